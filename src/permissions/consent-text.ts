/**
 * What each tier and supplementary permission lets an add-in do to a mailbox, in plain words — the text
 * of the consent screen. Cumulative: a tier may also do everything the tiers below it may.
 */
import type { Supplementary, Tier } from "./tiers.ts";

export interface ConsentText {
  /** One line for a consent dialog heading. */
  headline: string;
  /** What this tier adds to the ones below it. */
  adds: string[];
}

export const TIER_CONSENT: Readonly<Record<Tier, ConsentText>> = {
  Restricted: {
    headline: "Can see only basic facts about the item you open",
    adds: [
      "Know whether the open item is a message or an appointment, and its ids",
      "Recognise postal addresses, web addresses and phone numbers in the open item",
      "Keep its own settings in your mailbox",
    ],
  },
  ReadItem: {
    headline: "Can read the item you open",
    adds: [
      "Read the whole open item: subject, body, sender, recipients, dates, attachments and internet headers",
      "See your name, email address and time zone",
      "Get a short-lived token to download the open item and its attachments from the mail server",
      "Store its own data on the item (custom properties)",
      "Use regular expressions and all recognised entities (meetings, tasks, contacts, email addresses) to decide when to appear",
    ],
  },
  ReadWriteItem: {
    headline: "Can read and change the item you open",
    adds: [
      "Change the open item: subject, body, recipients, location, times and categories",
      "Add and remove attachments, and save drafts",
      "Set internet headers and session data on the item you are writing",
    ],
  },
  ReadWriteMailbox: {
    headline: "Can read, change, send and delete anything in your mailbox",
    adds: [
      "Read, create, change, move and delete any message, appointment or folder in your mailbox through Exchange Web Services",
      "Send email on your behalf",
      "Open other items by id, and act on several selected messages at once",
      "Manage your mailbox's list of categories",
    ],
  },
};

export const SUPPLEMENTARY_CONSENT: Readonly<Record<Supplementary, ConsentText>> = {
  AppendOnSend: {
    headline: "Can add text to messages as you send them",
    adds: ["Add text or a disclaimer to the beginning or end of a message or meeting request when you send it, after you last see it"],
  },
  SharedFolder: {
    headline: "Can work in shared folders and shared mailboxes",
    adds: ["Act with the same permission in folders and mailboxes that others have shared with you or delegated to you"],
  },
};
