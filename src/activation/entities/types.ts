/**
 * Entity shapes, field for field as @types/office-js declares them (`Office.Entities`, `Contact`,
 * `MeetingSuggestion`, `PhoneNumber`, `TaskSuggestion`, `EmailUser`); a test checks both ways.
 * Declared here so domain code does not depend on the office-js ambient namespace.
 */

export interface EmailUser {
  displayName: string;
  emailAddress: string;
}

export interface PhoneNumber {
  /** Digits only (and a leading + for international numbers). */
  phoneString: string;
  /** As written in the item. */
  originalPhoneString: string;
  /** Home, Work, Mobile, Fax or Unspecified, from the label next to the number. */
  type: string;
}

export interface Contact {
  addresses: string[];
  businessName: string;
  emailAddresses: string[];
  personName: string;
  phoneNumbers: PhoneNumber[];
  urls: string[];
}

export interface MeetingSuggestion {
  attendees: EmailUser[];
  /** ISO 8601. */
  end: string;
  location: string;
  meetingString: string;
  /** ISO 8601. */
  start: string;
  subject: string;
}

export interface TaskSuggestion {
  assignees: EmailUser[];
  taskString: string;
}

/**
 * `taskSuggestions` is `string[]` in @types/office-js (the task sentences); the full
 * `TaskSuggestion` objects are what `getEntitiesByType(TaskSuggestion)` returns, kept beside it.
 */
export interface Entities {
  addresses: string[];
  contacts: Contact[];
  emailAddresses: string[];
  meetingSuggestions: MeetingSuggestion[];
  phoneNumbers: PhoneNumber[];
  taskSuggestions: string[];
  urls: string[];
}

export type EntityTypeName = "Address" | "Contact" | "EmailAddress" | "MeetingSuggestion" | "PhoneNumber" | "TaskSuggestion" | "Url";

export type EntityValue = string | Contact | MeetingSuggestion | PhoneNumber | TaskSuggestion;

export interface ExtractedEntities extends Entities {
  taskSuggestionDetails: TaskSuggestion[];
}

export function emptyEntities(): ExtractedEntities {
  return { addresses: [], contacts: [], emailAddresses: [], meetingSuggestions: [], phoneNumbers: [], taskSuggestions: [], urls: [], taskSuggestionDetails: [] };
}

/** A found entity with where it was, for contacts and highlighting. */
export interface Located<T> {
  value: T;
  start: number;
  end: number;
}
