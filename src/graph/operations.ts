/**
 * Every route of Outpost's Graph mail surface and the delegated scopes it accepts, as data (any one of them suffices),
 * from the Microsoft Graph reference's permission tables ("least privileged" first). `own`: the signed-in user's
 * mailbox (/me, or /users/{self}); `shared`: another mailbox the user may open (delegate or shared mailbox), which
 * needs a .Shared scope and the user's own rights there. The route file and the scope × route tests read this table.
 */
// The types module only (not the mailbox index): the auditor reads this table without loading the store.
import type { MailboxRights } from "../mailbox/store/types.ts";
import { rightsCanCreate, rightsCanRead, rightsCanWrite } from "../mailbox/store/types.ts";

export interface GraphOperation {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  /** Path under /v1.0/me (the /users/{id} form is derived). */
  readonly path: string;
  readonly own: readonly string[];
  readonly shared: readonly string[];
  /** What the user must be allowed to do in the mailbox (delegate rights). */
  readonly rights: "read" | "create" | "write" | "profile";
}

const READ_BASIC = ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"];
const READ_BASIC_SHARED = ["Mail.ReadBasic.Shared", "Mail.Read.Shared", "Mail.ReadWrite.Shared"];
const READ = ["Mail.Read", "Mail.ReadWrite"];
const READ_SHARED = ["Mail.Read.Shared", "Mail.ReadWrite.Shared"];
const WRITE = ["Mail.ReadWrite"];
const WRITE_SHARED = ["Mail.ReadWrite.Shared"];
const SEND = ["Mail.Send"];
const SEND_SHARED = ["Mail.Send.Shared"];
const PROFILE = ["User.Read", "User.ReadBasic.All", "User.Read.All"];
const OTHER_PROFILE = ["User.ReadBasic.All", "User.Read.All"];

const op = (method: GraphOperation["method"], path: string, own: string[], shared: string[], rights: GraphOperation["rights"]): GraphOperation => ({
  method,
  path,
  // A .Shared scope covers the user's own mailbox too ("mail a user can access, including their own").
  own: [...own, ...shared],
  shared,
  rights,
});

export const GRAPH_OPERATIONS = {
  "user.get": op("GET", "", PROFILE, OTHER_PROFILE, "profile"),
  "messages.list": op("GET", "/messages", READ_BASIC, READ_BASIC_SHARED, "read"),
  "messages.get": op("GET", "/messages/{id}", READ_BASIC, READ_BASIC_SHARED, "read"),
  "messages.mime": op("GET", "/messages/{id}/$value", READ, READ_SHARED, "read"),
  "messages.create": op("POST", "/messages", WRITE, WRITE_SHARED, "create"),
  "messages.update": op("PATCH", "/messages/{id}", WRITE, WRITE_SHARED, "write"),
  "messages.delete": op("DELETE", "/messages/{id}", WRITE, WRITE_SHARED, "write"),
  "messages.move": op("POST", "/messages/{id}/move", WRITE, WRITE_SHARED, "write"),
  "messages.copy": op("POST", "/messages/{id}/copy", WRITE, WRITE_SHARED, "create"),
  "messages.send": op("POST", "/messages/{id}/send", SEND, SEND_SHARED, "write"),
  "sendMail": op("POST", "/sendMail", SEND, SEND_SHARED, "create"),
  "attachments.list": op("GET", "/messages/{id}/attachments", READ, READ_SHARED, "read"),
  "attachments.get": op("GET", "/messages/{id}/attachments/{aid}", READ, READ_SHARED, "read"),
  "attachments.value": op("GET", "/messages/{id}/attachments/{aid}/$value", READ, READ_SHARED, "read"),
  "attachments.create": op("POST", "/messages/{id}/attachments", WRITE, WRITE_SHARED, "write"),
  "attachments.delete": op("DELETE", "/messages/{id}/attachments/{aid}", WRITE, WRITE_SHARED, "write"),
  "attachments.uploadSession": op("POST", "/messages/{id}/attachments/createUploadSession", WRITE, WRITE_SHARED, "write"),
  "folders.list": op("GET", "/mailFolders", READ_BASIC, READ_BASIC_SHARED, "read"),
  "folders.get": op("GET", "/mailFolders/{fid}", READ_BASIC, READ_BASIC_SHARED, "read"),
  "folders.children": op("GET", "/mailFolders/{fid}/childFolders", READ_BASIC, READ_BASIC_SHARED, "read"),
  "folders.messages": op("GET", "/mailFolders/{fid}/messages", READ_BASIC, READ_BASIC_SHARED, "read"),
  "folders.create": op("POST", "/mailFolders", WRITE, WRITE_SHARED, "create"),
  "folders.createMessage": op("POST", "/mailFolders/{fid}/messages", WRITE, WRITE_SHARED, "create"),
} as const satisfies Record<string, GraphOperation>;
export type GraphOperationId = keyof typeof GRAPH_OPERATIONS;

export type GraphDecision = { allowed: true; basicOnly: boolean } | { allowed: false; reason: "scope-missing" | "shared-scope-missing" | "no-mailbox-rights" | "insufficient-mailbox-rights" };

/**
 * Pure decision: may a token with `scopes` perform `id` on a mailbox that is the user's own or not, given the user's
 * rights there? `basicOnly`: the only matching scopes are Mail.ReadBasic ones (bodies and previews withheld).
 */
export function decideGraph(id: GraphOperationId, scopes: readonly string[], target: { own: boolean; rights: MailboxRights | undefined }): GraphDecision {
  const op: GraphOperation = GRAPH_OPERATIONS[id];
  const accepted = target.own ? op.own : op.shared;
  const matching = accepted.filter((s) => scopes.includes(s));
  if (!matching.length) return { allowed: false, reason: target.own || !op.own.some((s) => scopes.includes(s)) ? "scope-missing" : "shared-scope-missing" };
  if (op.rights !== "profile") {
    if (!rightsCanRead(target.rights)) return { allowed: false, reason: "no-mailbox-rights" };
    const ok = op.rights === "read" ? true : op.rights === "create" ? rightsCanCreate(target.rights) : rightsCanWrite(target.rights);
    if (!ok) return { allowed: false, reason: "insufficient-mailbox-rights" };
  }
  return { allowed: true, basicOnly: matching.every((s) => s.startsWith("Mail.ReadBasic")) };
}
