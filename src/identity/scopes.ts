/**
 * The delegated Graph scopes Outpost's identity provider knows, as data: what each lets an add-in do, in plain words,
 * whether a user may consent alone or an admin must, and which narrower scopes it contains. The Graph surface
 * (src/graph/operations.ts) says which scopes each route accepts; consent screens, tokens, the CLI and
 * docs/identity.md read this table. Facts: Microsoft Graph permissions reference (delegated permissions).
 */

export interface ScopeDef {
  readonly name: string;
  /** Shown on the consent screen to a user consenting for themselves. */
  readonly userText: string;
  /** Shown to an admin consenting for every user of the organisation. */
  readonly adminText: string;
  /** Graph: User.Read.All, .Shared mail scopes of other users' data and similar need an admin. */
  readonly adminConsentRequired: boolean;
  /** Scopes this one includes (a Mail.ReadWrite token may do what Mail.Read may). Informational. */
  readonly includes: readonly string[];
  /** openid/profile/email/offline_access: sign-in scopes, no Graph data. */
  readonly oidc?: true;
}

/** Bump when any consent text changes: each grant records the version the user saw. */
export const CONSENT_TEXT_VERSION = 1;

const def = (name: string, adminConsentRequired: boolean, userText: string, adminText: string, includes: string[] = [], oidc?: true): ScopeDef => ({
  name,
  adminConsentRequired,
  userText,
  adminText,
  includes,
  ...(oidc ? { oidc } : {}),
});

export const SCOPES: readonly ScopeDef[] = [
  def("openid", false, "Sign you in with your Outpost account.", "Sign users in with their Outpost accounts.", [], true),
  def("profile", false, "See your name and basic profile.", "See users' names and basic profiles.", [], true),
  def("email", false, "See your email address.", "See users' email addresses.", [], true),
  def("offline_access", false, "Keep access to what you allowed while you are not using it.", "Keep access to what users allowed while they are not using it.", [], true),
  def("User.Read", false, "Read your profile: your name, email address and time zone.", "Read the profile of each signed-in user.", []),
  def("User.ReadBasic.All", false, "Read the names and email addresses of people in your organisation.", "Read the names and email addresses of everyone in the organisation.", []),
  def("User.Read.All", true, "Read the full profiles of everyone in your organisation.", "Read the full profiles of everyone in the organisation.", ["User.ReadBasic.All"]),
  def("Mail.ReadBasic", false, "See the subject, sender, recipients and dates of your mail, but not its text or attachments.", "See the subject, sender, recipients and dates of users' mail, but not its text or attachments.", []),
  def("Mail.Read", false, "Read your mail, including its text and attachments. It cannot change or send anything.", "Read users' mail, including its text and attachments.", ["Mail.ReadBasic"]),
  def("Mail.ReadWrite", false, "Read, create, change, move and delete your mail. It cannot send mail.", "Read, create, change, move and delete users' mail.", ["Mail.Read", "Mail.ReadBasic"]),
  def("Mail.Send", false, "Send mail as you.", "Send mail as any signed-in user.", []),
  def("Mail.ReadBasic.Shared", false, "See the subject, sender, recipients and dates of mail in mailboxes shared with you, but not its text.", "See the subject, sender and dates of mail in mailboxes shared with users.", ["Mail.ReadBasic"]),
  def("Mail.Read.Shared", false, "Read mail in your mailbox and in mailboxes shared with you or that you are a delegate of.", "Read mail in users' mailboxes and in mailboxes shared with them.", ["Mail.Read", "Mail.ReadBasic.Shared"]),
  def("Mail.ReadWrite.Shared", false, "Read, create, change and delete mail in your mailbox and in mailboxes shared with you.", "Read, create, change and delete mail in users' mailboxes and mailboxes shared with them.", ["Mail.ReadWrite", "Mail.Read.Shared"]),
  def("Mail.Send.Shared", false, "Send mail as you or on behalf of the owners of mailboxes shared with you.", "Send mail as users or on behalf of mailboxes shared with them.", ["Mail.Send"]),
];

const BY_NAME = new Map(SCOPES.map((s) => [s.name.toLowerCase(), s]));

/** The Graph resource Outpost's Graph surface answers for (the `aud` of every Graph access token). */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The Graph application id, as the v2 endpoint writes it into `aud` for Graph tokens. Accepted as an alias. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** The scope Office SSO tokens carry for the add-in's own API (webApplicationInfo). */
export const SSO_SCOPE = "access_as_user";

export function scopeDef(name: string): ScopeDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export class ScopeError extends Error {
  constructor(readonly scope: string) {
    super(`The scope '${scope.slice(0, 100)}' does not exist.`);
    this.name = "ScopeError";
  }
}

/**
 * Normalizes a space-separated OAuth scope string: `https://graph.microsoft.com/Mail.Read` and `Mail.Read` name the
 * same scope; `.default` means "every scope the registration asks for". Unknown scopes throw ScopeError.
 */
export function parseScopes(scope: string, registered: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of scope.split(/\s+/).filter(Boolean).slice(0, 50)) {
    let name = raw;
    for (const prefix of [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`]) if (name.toLowerCase().startsWith(prefix)) name = name.slice(prefix.length);
    if (name === ".default") {
      for (const s of registered) if (!out.includes(s)) out.push(s);
      continue;
    }
    const d = scopeDef(name);
    if (!d) throw new ScopeError(raw);
    if (!out.includes(d.name)) out.push(d.name);
  }
  return out;
}

export const isOidcScope = (name: string): boolean => scopeDef(name)?.oidc === true;
