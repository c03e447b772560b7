/** The add-in store: publishers, submissions, archived read-only versions, listings, reviews, takedown. */
export { StoreCatalog, checkSubmission, type Listing, type ListingDetail, type StoreVersion, type Review } from "./catalog.ts";
export type { StoredVerdict, PackageFile } from "../audit/package.ts";
export { Publishers, missingForSubmission, type Publisher, type NewPublisher } from "./publishers.ts";
