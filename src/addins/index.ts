/**
 * Add-in lifecycle: install records in the user's mailbox, consent and updates; with src/tenant and src/store,
 * the `Lifecycle` plane. See docs/lifecycle.md.
 */
export { Lifecycle, type LifecycleOptions } from "./lifecycle.ts";
export { Installs, type InstallInput, type InstalledAddin, type InstallResult, type LifecycleUser, type SessionAddin } from "./installs.ts";
export { LifecycleError, type LifecycleErrorCode } from "./errors.ts";
export { CONSENT_TEXT_VERSION, consentPrompt, acceptanceMatches, escalates, granted, askOf, type Ask, type ConsentPrompt, type ConsentAcceptance, type GivenConsent } from "./consent.ts";
export { candidateFromBytes, candidateFromFile, candidateFromUrl, sha256, type Candidate, type InstallSource } from "./candidate.ts";
export { fetchManifest, checkManifestUrl, MANIFEST_URL_MAX_BYTES, MANIFEST_URL_TIMEOUT_MS, type FetchManifestOptions } from "./fetch-manifest.ts";
export { seedDemoAddins, seedDemoAddinsOnce, DEMO_PUBLISHER } from "./seed.ts";
export { exportInstalls, importInstalls, type ExportedInstall } from "./export.ts";
