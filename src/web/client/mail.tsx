/** Mail: folders of the user's own and shared/delegate mailboxes, the message list, the reading pane and compose. */
import { useEffect, useState } from "preact/hooks";
import type { Folder, Item, ItemSummary, EmailAddress } from "../../mailbox/index.ts";
import type { ItemView, Json, SessionInfo, SortKey } from "../../server/web/api-types.ts";
import { ApiError, mail } from "./api.ts";
import {
  AddinBarView,
  BusinessBar,
  fireLaunchEvents,
  Highlights,
  InfoBar,
  runFunction,
  smartAlertDecision,
  SmartAlertDialog,
  TaskPane,
  useAddinBar,
  type OpenPane,
} from "./addins.tsx";
import { hostState, type HostState } from "./addin-host-api.ts";
import { takeForm } from "./forms.ts";

const PAGE = 50;
const WELL_KNOWN_ORDER = ["inbox", "drafts", "sentitems", "deleteditems", "junkemail", "archive", "outbox"];

export function fmtDate(s: string | null | undefined): string {
  if (!s) return "";
  const d = new Date(s);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { year: "numeric", month: "short", day: "numeric" });
}
export const addr = (a: Json<EmailAddress> | null | undefined) => (a ? (a.name ? `${a.name} <${a.address}>` : a.address) : "");
const addrList = (l: Json<EmailAddress>[]) => l.map(addr).join("; ");
export function parseAddresses(s: string): Array<{ name: string; address: string }> {
  return s
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = /^(.*)<([^>]+)>$/.exec(p);
      return m ? { name: m[1]!.trim().replace(/^"|"$/g, ""), address: m[2]!.trim() } : { name: "", address: p };
    });
}

type Selection = { kind: "read"; id: string } | { kind: "compose"; id: string } | null;

export function MailView({ session }: { session: SessionInfo }) {
  const [folders, setFolders] = useState<Record<string, Json<Folder>[]>>({});
  const [folder, setFolder] = useState<Json<Folder> | null>(null);
  const [page, setPage] = useState<{ items: Json<ItemSummary>[]; total: number }>({ items: [], total: 0 });
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<SortKey>("receivedAt");
  const [dir, setDir] = useState<"asc" | "desc">("desc");
  const [sel, setSel] = useState<Selection>(null);
  const [pane, setPane] = useState<OpenPane | null>(null);
  const [pinned, setPinned] = useState(false);
  const [notes, setNotes] = useState<HostState["notifications"]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    (async () => {
      const all: Record<string, Json<Folder>[]> = {};
      for (const g of session.mailboxes) {
        const list = (await mail.folders(g.mailbox.id)).value.filter((f) => f.wellKnown !== "msgfolderroot" && f.wellKnown !== "calendar" && (f.folderClass === "IPF.Note" || (f.wellKnown && WELL_KNOWN_ORDER.includes(f.wellKnown))));
        list.sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));
        all[g.mailbox.id] = list;
      }
      setFolders(all);
      const own = session.mailboxes.find((g) => g.rights === "owner") ?? session.mailboxes[0];
      const inbox = own && all[own.mailbox.id]?.find((f) => f.wellKnown === "inbox");
      if (inbox) setFolder(inbox);
    })().catch((e) => setError((e as Error).message));
  }, [session.user.id]);

  useEffect(() => {
    if (!folder) return;
    mail
      .items(folder.id, { offset, limit: PAGE, sort, dir })
      .then((p) => setPage(p))
      .catch((e) => setError((e as Error).message));
  }, [folder?.id, offset, sort, dir, reload]);

  const select = (s: Selection) => {
    // A task pane that is not pinned closes when the selection changes, as in Outlook.
    if (!pinned) setPane(null);
    setNotes([]);
    setSel(s);
  };
  const openFolder = (f: Json<Folder>) => {
    setFolder(f);
    setOffset(0);
    select(null);
  };
  const compose = async (make: () => Promise<Json<Item>>) => {
    try {
      const d = await make();
      select({ kind: "compose", id: d.id });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const [composeNotice, setComposeNotice] = useState<string | null>(null);
  // A form an add-in asked for (displayNewMessageForm, displayReplyForm, displayMessageForm…), already made by the server.
  useEffect(() => {
    const open = () => {
      const r = takeForm("mail");
      if (!r || r.kind === "appointment") return;
      setComposeNotice(r.kind === "compose" && r.skipped.length ? `Couldn't attach: ${r.skipped.join(", ")}` : null);
      if (r.kind === "compose") {
        setPane(null);
        setPinned(false);
        setSel({ kind: "compose", id: r.itemId });
        setReload((n) => n + 1);
      } else select({ kind: "read", id: r.itemId });
    };
    open();
    addEventListener("outpost:open-form", open);
    return () => removeEventListener("outpost:open-form", open);
  }, []);
  const currentMailbox = folder?.mailboxId;
  const onHostState = (s: HostState) => {
    setNotes(s.notifications);
    const form = s.displayedForms.at(-1) as { kind?: string; member?: string; form?: string } | undefined;
    void form;
  };

  return (
    <>
      <nav class="folders" aria-label="Folders">
        <button type="button" class="primary new" onClick={() => compose(() => mail.newDraft(currentMailbox))}>
          New message
        </button>
        {session.mailboxes.map((g) => (
          <section key={g.mailbox.id} aria-label={g.mailbox.displayName}>
            <h2>
              {g.mailbox.displayName}
              {g.rights !== "owner" && <span class="sr-only"> ({g.rights})</span>}
            </h2>
            <ul>
              {(folders[g.mailbox.id] ?? []).map((f) => (
                <li key={f.id}>
                  <button type="button" aria-current={folder?.id === f.id} onClick={() => openFolder(f)}>
                    <span>{f.displayName}</span>
                    {f.unreadCount > 0 && (
                      <span class="count" aria-label={`${f.unreadCount} unread`}>
                        {f.unreadCount}
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
      <section class="list" aria-label={`Messages in ${folder?.displayName ?? ""}`}>
        <div class="tools">
          <label>
            <span class="sr-only">Sort by</span>
            <select value={sort} onChange={(e) => (setSort(e.currentTarget.value as SortKey), setOffset(0))} aria-label="Sort by">
              <option value="receivedAt">Date</option>
              <option value="subject">Subject</option>
              <option value="importance">Importance</option>
            </select>
          </label>
          <button type="button" onClick={() => (setDir(dir === "desc" ? "asc" : "desc"), setOffset(0))} aria-label={dir === "desc" ? "Newest first (click for oldest first)" : "Oldest first (click for newest first)"}>
            {dir === "desc" ? "↓" : "↑"}
          </button>
          <span style={{ marginLeft: "auto" }}>{page.total} items</span>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <ol role="listbox" aria-label="Messages" onKeyDown={(e) => listKeys(e, page.items, sel, (id) => select({ kind: "read", id }))}>
          {page.items.map((m) => (
            <li key={m.id} class={m.isRead ? "" : "unread"}>
              <button
                type="button"
                role="option"
                aria-selected={sel?.id === m.id}
                data-item={m.id}
                onClick={() => {
                  performance.mark("outpost:open-message");
                  select(m.isDraft ? { kind: "compose", id: m.id } : { kind: "read", id: m.id });
                }}
              >
                <span class="from">
                  <span>{m.from?.name || m.from?.address || "(no sender)"}</span>
                  <span class="date">{fmtDate(m.receivedAt ?? m.createdAt)}</span>
                </span>
                <span class="subj" style={{ display: "block" }}>
                  {m.hasAttachments && <span class="clip" title="Has attachments" aria-label="has attachments">att</span>}
                  {m.subject || "(no subject)"}
                </span>
                <span class="prev" style={{ display: "block" }}>
                  {m.bodyPreview}
                </span>
              </button>
            </li>
          ))}
        </ol>
        <div class="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous
          </button>
          <span>
            {page.total ? offset + 1 : 0}–{Math.min(offset + PAGE, page.total)} of {page.total}
          </span>
          <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
            Next
          </button>
        </div>
      </section>
      {sel?.kind === "compose" ? (
        <Compose
          key={sel.id}
          id={sel.id}
          session={session}
          notice={composeNotice}
          onDone={() => {
            select(null);
            setComposeNotice(null);
            setReload((n) => n + 1);
          }}
          onOpenPane={(p) => setPane({ ...p, key: Date.now() })}
          notes={notes}
          onDismissNote={(k) => setNotes(notes.filter((n) => n.key !== k))}
        />
      ) : (
        <ReadingPane
          id={sel?.id ?? null}
          onCompose={(kind) => sel && compose(() => mail.respond(sel.id, kind))}
          onDeleted={() => (select(null), setReload((n) => n + 1))}
          onOpenPane={(p) => setPane({ ...p, key: Date.now() })}
          notes={notes}
          onDismissNote={(k) => setNotes(notes.filter((n) => n.key !== k))}
          onRead={() => setReload((n) => n + 1)}
          onHostState={onHostState}
        />
      )}
      {pane && (
        <TaskPane
          pane={pane}
          itemId={sel?.id ?? null}
          form={sel?.kind === "compose" ? "compose" : "read"}
          pinned={pinned}
          onPin={setPinned}
          onClose={() => (setPane(null), setPinned(false))}
          onHostState={onHostState}
        />
      )}
    </>
  );
}

function rank(f: Json<Folder>): number {
  const i = f.wellKnown ? WELL_KNOWN_ORDER.indexOf(f.wellKnown) : -1;
  return i < 0 ? 100 : i;
}

function listKeys(e: KeyboardEvent, items: Json<ItemSummary>[], sel: Selection, open: (id: string) => void) {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  e.preventDefault();
  const i = items.findIndex((m) => m.id === sel?.id);
  const next = items[Math.min(items.length - 1, Math.max(0, i + (e.key === "ArrowDown" ? 1 : -1)))];
  if (next) {
    open(next.id);
    (document.querySelector(`[data-item="${next.id}"]`) as HTMLElement | null)?.focus();
  }
}

function ReadingPane(props: {
  id: string | null;
  onCompose: (kind: "reply" | "replyAll" | "forward") => void;
  onDeleted: () => void;
  onOpenPane: (p: Omit<OpenPane, "key">) => void;
  notes: HostState["notifications"];
  onDismissNote: (k: string) => void;
  onRead: () => void;
  onHostState: (s: HostState) => void;
}) {
  const [view, setView] = useState<ItemView | null>(null);
  const [images, setImages] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [bar] = useAddinBar(props.id, "read");
  const [fnStatus, setFnStatus] = useState<string | null>(null);
  useEffect(() => {
    setView(null);
    setImages(false);
    setError(null);
    setFnStatus(null);
    if (!props.id) return;
    let live = true;
    mail
      .view(props.id)
      .then(async (v) => {
        if (!live) return;
        setView(v);
        if (!v.item.isRead && v.canWrite) {
          await mail.markRead(v.item.id, true).catch(() => undefined);
          props.onRead();
        }
      })
      .catch((e) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [props.id]);
  if (!props.id) return <section class="reading" aria-label="Reading pane"><p class="empty">Select a message to read it.</p></section>;
  if (error) return <section class="reading" aria-label="Reading pane"><p class="error" role="alert">{error}</p></section>;
  if (!view) return <section class="reading" aria-label="Reading pane" aria-busy="true" />;
  const m = view.item;
  const highlight = !!bar?.entries.some((e) => e.highlights.length);
  return (
    <section class="reading" aria-label="Reading pane">
      <header>
        <h1>{m.subject || "(no subject)"}</h1>
        <div class="meta">
          <div>
            <b>From</b> {addr(m.from)}
          </div>
          {m.recipients.to.length > 0 && (
            <div>
              <b>To</b> {addrList(m.recipients.to)}
            </div>
          )}
          {m.recipients.cc.length > 0 && (
            <div>
              <b>Cc</b> {addrList(m.recipients.cc)}
            </div>
          )}
          <div>{m.receivedAt ? new Date(m.receivedAt).toLocaleString() : ""}</div>
        </div>
        <div class="actions">
          <button type="button" onClick={() => props.onCompose("reply")}>Reply</button>
          <button type="button" onClick={() => props.onCompose("replyAll")}>Reply all</button>
          <button type="button" onClick={() => props.onCompose("forward")}>Forward</button>
          {view.canWrite && (
            <button type="button" onClick={async () => (await mail.remove(m.id), props.onDeleted())}>
              Delete
            </button>
          )}
        </div>
      </header>
      <AddinBarView
        bar={bar}
        onOpen={props.onOpenPane}
        onFunction={async (entry, b) => {
          setFnStatus(`${b.label}: running…`);
          const r = await runFunction(entry, b, m.id, "read").catch((e: Error) => ({ completion: { completed: false, error: e.message } as never, session: "" }));
          setFnStatus(r.completion.completed ? `${b.label}: done` : `${b.label}: ${r.completion.error ?? "did not complete"}`);
          if (r.session) void hostState(r.session).then(props.onHostState).catch(() => undefined);
        }}
      />
      <BusinessBar notices={bar?.business ?? []} />
      <InfoBar notes={props.notes} onDismiss={props.onDismissNote} />
      {fnStatus && (
        <div class="bar info" role="status" data-testid="function-status">
          {fnStatus}
        </div>
      )}
      <Highlights bar={bar} onOpen={props.onOpenPane} />
      {m.attachments.filter((a) => !a.isInline).length > 0 && (
        <div class="attachments" aria-label="Attachments">
          {m.attachments
            .filter((a) => !a.isInline)
            .map((a) => (
              <span class="attachment" key={a.id}>
                {/^image\/(png|jpe?g|gif|webp)$/i.test(a.contentType) && a.size < 5_000_000 && <img src={mail.attachmentUrl(m.id, a.id)} alt={`Preview of ${a.name}`} />}
                <a href={mail.attachmentUrl(m.id, a.id)} download={a.name}>
                  {a.name}
                </a>
                <span class="sub">{Math.max(1, Math.round(a.size / 1024))} KB</span>
              </span>
            ))}
        </div>
      )}
      {view.remoteImages > 0 && !images && (
        <div class="bar images" role="status">
          <span>To protect your privacy, {view.remoteImages} remote image{view.remoteImages > 1 ? "s were" : " was"} not downloaded.</span>
          <button type="button" class="link" onClick={() => setImages(true)}>
            Show images
          </button>
        </div>
      )}
      <iframe
        class="mail-frame"
        title="Message body"
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerpolicy="no-referrer"
        src={mail.bodyUrl(m.id, images, highlight)}
        key={`${m.id}-${images}-${highlight}`}
      />
    </section>
  );
}

function Compose(props: {
  id: string;
  session: SessionInfo;
  notice?: string | null;
  onDone: () => void;
  onOpenPane: (p: Omit<OpenPane, "key">) => void;
  notes: HostState["notifications"];
  onDismissNote: (k: string) => void;
}) {
  const [item, setItem] = useState<Json<Item> | null>(null);
  const [to, setTo] = useState("");
  const [cc, setCc] = useState("");
  const [bcc, setBcc] = useState("");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [status, setStatus] = useState<string | null>(props.notice ?? null);
  const [error, setError] = useState<string | null>(null);
  const [alert, setAlert] = useState<{ addin: string; message: string; canSendAnyway: boolean } | null>(null);
  const [bar, reloadBar] = useAddinBar(props.id, "compose");
  const [fired, setFired] = useState(false);

  const load = async () => {
    const d = await mail.get(props.id);
    setItem(d);
    setTo(addrList(d.recipients.to));
    setCc(addrList(d.recipients.cc));
    setBcc(addrList(d.recipients.bcc));
    setSubject(d.subject);
    setBody(d.bodyText ?? "");
  };
  useEffect(() => {
    void load().catch((e) => setError((e as Error).message));
  }, [props.id]);
  // OnNewMessageCompose: once per compose form, after the bar knows which add-ins handle it; reload what they set.
  useEffect(() => {
    if (!bar || fired) return;
    setFired(true);
    void fireLaunchEvents(bar, "OnNewMessageCompose", props.id).then((runs) => {
      if (runs.length) void load();
    });
  }, [bar]);

  const save = async () => {
    const patch = { to: parseAddresses(to), cc: parseAddresses(cc), bcc: parseAddresses(bcc), subject, bodyText: body, bodyHtml: null };
    const d = await mail.patch(props.id, patch);
    setItem(d);
    return d;
  };
  const doSend = async () => {
    await mail.send(props.id);
    setStatus("Sent.");
    props.onDone();
  };
  const send = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await save();
      setStatus("Checking with add-ins…");
      const runs = await fireLaunchEvents(bar, "OnMessageSend", props.id);
      const decision = smartAlertDecision(runs);
      if (!decision.send) {
        setStatus(null);
        setAlert(decision.dialog!);
        return;
      }
      await doSend();
    } catch (err) {
      setStatus(null);
      setError(err instanceof ApiError ? err.message : (err as Error).message);
    }
  };
  const attach = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) {
      const buf = new Uint8Array(await f.arrayBuffer());
      let bin = "";
      for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
      await mail.attach(props.id, { name: f.name, contentType: f.type || "application/octet-stream", base64: btoa(bin) }).catch((e: Error) => setError(e.message));
    }
    setItem(await mail.get(props.id));
  };
  if (!item) return <section class="compose" aria-busy="true">{error && <p class="error">{error}</p>}</section>;
  return (
    <section class="compose" aria-label="Compose">
      <AddinBarView
        bar={bar}
        onOpen={props.onOpenPane}
        onFunction={async (entry, b) => {
          await save();
          const r = await runFunction(entry, b, props.id, "compose");
          setStatus(r.completion.completed ? `${b.label}: done` : `${b.label}: ${r.completion.error ?? "did not complete"}`);
          await load();
          reloadBar();
        }}
      />
      <BusinessBar notices={bar?.business ?? []} />
      <InfoBar notes={props.notes} onDismiss={props.onDismissNote} />
      <form onSubmit={send} aria-label="Message">
        <div class="row">
          <label for="c-to">To</label>
          <input id="c-to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="row">
          <label for="c-cc">Cc</label>
          <input id="c-cc" value={cc} onInput={(e) => setCc(e.currentTarget.value)} />
        </div>
        <div class="row">
          <label for="c-bcc">Bcc</label>
          <input id="c-bcc" value={bcc} onInput={(e) => setBcc(e.currentTarget.value)} />
        </div>
        <div class="row">
          <label for="c-subject">Subject</label>
          <input id="c-subject" value={subject} maxLength={255} onInput={(e) => setSubject(e.currentTarget.value)} />
        </div>
        <label for="c-body" class="sr-only">
          Message body
        </label>
        <textarea id="c-body" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        <div class="attachments" aria-label="Attachments">
          {item.attachments.map((a) => (
            <span class="attachment" key={a.id}>
              {a.name}
              <button type="button" class="link" aria-label={`Remove ${a.name}`} onClick={async () => (await mail.detach(props.id, a.id), setItem(await mail.get(props.id)))}>
                ×
              </button>
            </span>
          ))}
          <label>
            <span class="sr-only">Attach files</span>
            <input type="file" multiple onChange={(e) => void attach(e.currentTarget.files)} />
          </label>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {status && (
          <p class="notice" role="status">
            {status}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary">
            Send
          </button>
          <button type="button" onClick={async () => (await save(), setStatus("Draft saved."))}>
            Save draft
          </button>
          <button type="button" onClick={async () => (await mail.remove(props.id), props.onDone())}>
            Discard
          </button>
        </div>
      </form>
      {alert && (
        <SmartAlertDialog
          {...alert}
          onDone={async (anyway) => {
            setAlert(null);
            if (anyway) await doSend().catch((e: Error) => setError(e.message));
          }}
        />
      )}
    </section>
  );
}
