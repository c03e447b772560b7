/** Typed calls to Outpost's JSON API (same origin, session cookie). Errors carry the server's message. */
import type { AddinBar, CalendarPage, FolderList, ItemPage, ItemView, Json, SessionInfo, SortKey } from "../../server/web/api-types.ts";
import type { Item, User } from "../../mailbox/index.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } | string } | undefined)?.error;
    const code = typeof err === "string" ? err : (err?.code ?? String(res.status));
    const message = typeof err === "string" ? err : (err?.message ?? res.statusText);
    throw new ApiError(res.status, code, message, data);
  }
  return data as T;
}

export const mail = {
  session: () => api<SessionInfo>("GET", "/api/session"),
  signIn: (email: string, password: string) => api<{ user: Json<User> }>("POST", "/api/session", { email, password }),
  signOut: () => api<void>("DELETE", "/api/session"),
  folders: (mailboxId: string) => api<FolderList>("GET", `/api/mailboxes/${encodeURIComponent(mailboxId)}/folders`),
  items: (folderId: string, o: { offset: number; limit: number; sort: SortKey; dir: "asc" | "desc" }) =>
    api<ItemPage>("GET", `/api/web/folders/${encodeURIComponent(folderId)}/items?offset=${o.offset}&limit=${o.limit}&sort=${o.sort}&dir=${o.dir}`),
  view: (id: string) => api<ItemView>("GET", `/api/web/items/${encodeURIComponent(id)}/view`),
  bodyUrl: (id: string, images: boolean, highlight: boolean) => `/api/web/items/${encodeURIComponent(id)}/body?images=${images ? 1 : 0}&highlight=${highlight ? 1 : 0}`,
  attachmentUrl: (id: string, aid: string) => `/api/items/${encodeURIComponent(id)}/attachments/${encodeURIComponent(aid)}/content`,
  markRead: (id: string, isRead: boolean) => api<Json<Item>>("PATCH", `/api/web/items/${encodeURIComponent(id)}`, { isRead }),
  patch: (id: string, patch: Record<string, unknown>) => api<Json<Item>>("PATCH", `/api/web/items/${encodeURIComponent(id)}`, patch),
  newDraft: (mailboxId?: string) => api<Json<Item>>("POST", "/api/web/drafts", mailboxId ? { mailboxId } : {}),
  respond: (id: string, kind: "reply" | "replyAll" | "forward") => api<Json<Item>>("POST", `/api/web/items/${encodeURIComponent(id)}/respond`, { kind }),
  get: (id: string) => api<Json<Item>>("GET", `/api/items/${encodeURIComponent(id)}`),
  send: (id: string) => api<Json<Item>>("POST", `/api/items/${encodeURIComponent(id)}/send`),
  remove: (id: string) => api<void>("DELETE", `/api/items/${encodeURIComponent(id)}`),
  attach: (id: string, a: { name: string; contentType: string; base64: string }) => api<unknown>("POST", `/api/web/items/${encodeURIComponent(id)}/attachments`, a),
  detach: (id: string, aid: string) => api<void>("DELETE", `/api/web/items/${encodeURIComponent(id)}/attachments/${encodeURIComponent(aid)}`),
  calendar: (mailboxId: string) => api<CalendarPage>("GET", `/api/web/mailboxes/${encodeURIComponent(mailboxId)}/calendar`),
  newAppointment: (mailboxId: string, a: Record<string, unknown>) => api<Json<Item>>("POST", `/api/web/mailboxes/${encodeURIComponent(mailboxId)}/appointments`, a),
  addinBar: (id: string, form: "read" | "compose") => api<AddinBar>("GET", `/api/web/items/${encodeURIComponent(id)}/addins?form=${form}`),
  report: (r: { kind: string; addinId?: string; origin?: string; detail?: string }) => api<void>("POST", "/api/web/security-report", r).catch(() => undefined),
};
