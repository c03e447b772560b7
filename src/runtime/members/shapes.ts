/** Argument shapes shared by members, and conversions between the store's and Office.js's shapes. */
import { z } from "zod";
import type { EmailAddress } from "../../mailbox/index.ts";

export const noArgs = z.tuple([]).rest(z.unknown()).transform(() => [] as unknown[]);
export const coercion = z.enum(["text", "html", "Text", "Html"]).transform((c) => c.toLowerCase() as "text" | "html");
export const options = z.object({ coercionType: coercion.optional() }).passthrough().optional();
/** Lengths and counts are the permission table's limits, measured before the schema (members/limits.ts). */
export const recipientInput = z.union([
  z.string(),
  z.object({ emailAddress: z.string(), displayName: z.string().optional() }).passthrough(),
]);
export const recipientList = z.array(recipientInput);

export interface EmailAddressDetails {
  displayName: string;
  emailAddress: string;
  recipientType: "externalUser" | "user" | "other" | "distributionList";
  appointmentResponse?: string;
}

export function toDetails(a: EmailAddress | null | undefined): EmailAddressDetails | null {
  return a ? { displayName: a.name || a.address, emailAddress: a.address, recipientType: "externalUser" } : null;
}

export function toDetailsList(list: EmailAddress[] | undefined): EmailAddressDetails[] {
  return (list ?? []).map((a) => toDetails(a)!);
}

export function fromRecipientInput(list: z.infer<typeof recipientList>): EmailAddress[] {
  return list.map((r) => (typeof r === "string" ? { name: "", address: r } : { name: r.displayName ?? "", address: r.emailAddress }));
}
