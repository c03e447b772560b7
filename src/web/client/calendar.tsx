/** Calendar: appointments of a mailbox's calendar as a list by day, with the read form (add-in bar) and a compose form. */
import { useEffect, useState } from "preact/hooks";
import type { Item, ItemSummary } from "../../mailbox/index.ts";
import type { Json, SessionInfo } from "../../server/web/api-types.ts";
import { mail } from "./api.ts";
import { addr, parseAddresses } from "./mail.tsx";
import { AddinBarView, BusinessBar, InfoBar, runFunction, TaskPane, useAddinBar, type OpenPane } from "./addins.tsx";
import type { HostState } from "./addin-host-api.ts";
import { takeForm, type AddinFormResult } from "./forms.ts";

type Prefill = Extract<AddinFormResult, { kind: "appointment" }>["prefill"];

export function CalendarView({ session }: { session: SessionInfo }) {
  const [mailboxId, setMailboxId] = useState(session.mailboxes.find((g) => g.rights === "owner")?.mailbox.id ?? session.mailboxes[0]?.mailbox.id ?? "");
  const [items, setItems] = useState<Json<ItemSummary>[]>([]);
  const [sel, setSel] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [pane, setPane] = useState<(OpenPane & { form: "read" | "compose" }) | null>(null);
  const [notes, setNotes] = useState<HostState["notifications"]>([]);
  const [n, setN] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  // displayNewAppointmentForm / displayAppointmentForm from an add-in: the new-appointment form prefilled, or the item.
  useEffect(() => {
    const open = () => {
      const r = takeForm("calendar");
      if (!r) return;
      setPane(null);
      if (r.kind === "appointment") {
        setPrefill(r.prefill);
        setSel(null);
        setCreating(true);
      } else if (r.kind === "read") {
        setCreating(false);
        setSel(r.itemId);
      }
    };
    open();
    addEventListener("outpost:open-form", open);
    return () => removeEventListener("outpost:open-form", open);
  }, []);
  useEffect(() => {
    mail
      .calendar(mailboxId)
      .then((c) => setItems(c.items))
      .catch((e) => setError((e as Error).message));
  }, [mailboxId, n]);
  const days = new Map<string, Json<ItemSummary>[]>();
  for (const i of items) {
    const d = i.start ? new Date(i.start).toDateString() : "No date";
    days.set(d, [...(days.get(d) ?? []), i]);
  }
  return (
    <div class="calendar">
      <section class="days" aria-label="Appointments">
        <div class="actions" style={{ padding: "8px 12px" }}>
          <label>
            <span class="sr-only">Calendar</span>
            <select value={mailboxId} onChange={(e) => (setMailboxId(e.currentTarget.value), setSel(null))} aria-label="Calendar">
              {session.mailboxes.map((g) => (
                <option value={g.mailbox.id} key={g.mailbox.id}>
                  {g.mailbox.displayName}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="primary" onClick={() => (setPrefill(null), setCreating(true), setSel(null), setPane(null))}>
            New appointment
          </button>
        </div>
        {error && <p class="error" role="alert">{error}</p>}
        {[...days].map(([day, list]) => (
          <div class="day" key={day}>
            <h2>{day}</h2>
            {list.map((a) => (
              <button type="button" key={a.id} aria-selected={sel === a.id} onClick={() => (setSel(a.id), setCreating(false), setNotes([]), setPane(null))}>
                <b>{a.start ? new Date(a.start).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : ""}</b> {a.subject || "(no title)"}
              </button>
            ))}
          </div>
        ))}
        {items.length === 0 && <p class="empty" style={{ padding: "12px" }}>No appointments.</p>}
      </section>
      {creating ? (
        <NewAppointment key={JSON.stringify(prefill)} mailboxId={mailboxId} prefill={prefill} onDone={(id) => (setCreating(false), setPrefill(null), setN(n + 1), id && setSel(id))} />
      ) : (
        <AppointmentRead id={sel} onOpenPane={(p, form) => setPane({ ...p, form, key: Date.now() })} notes={notes} onDismiss={(k) => setNotes(notes.filter((x) => x.key !== k))} />
      )}
      {pane && <TaskPane pane={pane} itemId={sel} form={pane.form} pinned={false} onPin={() => undefined} onClose={() => setPane(null)} onHostState={(s) => setNotes(s.notifications)} />}
    </div>
  );
}

function AppointmentRead(props: { id: string | null; onOpenPane: (p: Omit<OpenPane, "key">, form: "read" | "compose") => void; notes: HostState["notifications"]; onDismiss: (k: string) => void }) {
  const [item, setItem] = useState<Json<Item> | null>(null);
  const [bar] = useAddinBar(props.id, "read");
  useEffect(() => {
    setItem(null);
    if (props.id) void mail.get(props.id).then(setItem);
  }, [props.id]);
  if (!props.id) return <section class="reading"><p class="empty">Select an appointment.</p></section>;
  if (!item) return <section class="reading" aria-busy="true" />;
  const attendees = [...item.recipients.required, ...item.recipients.optional];
  // The organizer's own appointment is Outlook's organizer form: add-ins see it in compose mode.
  const form = bar?.surface === "AppointmentOrganizerCommandSurface" ? "compose" : "read";
  return (
    <section class="reading" aria-label="Appointment" data-form={form}>
      <header>
        <h1>{item.subject || "(no title)"}</h1>
      </header>
      <AddinBarView bar={bar} onOpen={(p) => props.onOpenPane(p, form)} onFunction={(e, b) => void runFunction(e, b, item.id, form)} />
      <BusinessBar notices={bar?.business ?? []} />
      <InfoBar notes={props.notes} onDismiss={props.onDismiss} />
      <dl class="kv">
        <dt>When</dt>
        <dd>
          {item.start ? new Date(item.start).toLocaleString() : ""} – {item.end ? new Date(item.end).toLocaleString() : ""}
          {item.isAllDay ? " (all day)" : ""}
        </dd>
        <dt>Where</dt>
        <dd>{item.location ?? ""}</dd>
        <dt>Organizer</dt>
        <dd>{addr(item.from)}</dd>
        <dt>Attendees</dt>
        <dd>{attendees.map(addr).join("; ") || "—"}</dd>
      </dl>
      <pre style={{ whiteSpace: "pre-wrap", padding: "0 16px", font: "inherit" }}>{item.bodyText ?? ""}</pre>
    </section>
  );
}

function NewAppointment(props: { mailboxId: string; prefill: Prefill | null; onDone: (id?: string) => void }) {
  const now = new Date(Date.now() + 3600_000);
  now.setMinutes(0, 0, 0);
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const p = props.prefill;
  const start0 = p?.start ? new Date(p.start) : now;
  const [subject, setSubject] = useState(p?.subject ?? "");
  const [location, setLocation] = useState(p?.location ?? "");
  const [start, setStart] = useState(local(start0));
  const [end, setEnd] = useState(local(p?.end ? new Date(p.end) : new Date(start0.getTime() + 1800_000)));
  const [attendees, setAttendees] = useState((p?.attendees ?? []).map(addr).join("; "));
  const [body, setBody] = useState(p?.body ?? "");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const a = await mail.newAppointment(props.mailboxId, {
        subject,
        location,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        bodyText: body,
        requiredAttendees: parseAddresses(attendees),
      });
      props.onDone(a.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="compose" aria-label="New appointment">
      <form onSubmit={submit}>
        <div class="row"><label for="a-subject">Title</label><input id="a-subject" required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} /></div>
        <div class="row"><label for="a-location">Location</label><input id="a-location" value={location} onInput={(e) => setLocation(e.currentTarget.value)} /></div>
        <div class="row"><label for="a-start">Start</label><input id="a-start" type="datetime-local" required value={start} onInput={(e) => setStart(e.currentTarget.value)} /></div>
        <div class="row"><label for="a-end">End</label><input id="a-end" type="datetime-local" required value={end} onInput={(e) => setEnd(e.currentTarget.value)} /></div>
        <div class="row"><label for="a-att">Attendees</label><input id="a-att" value={attendees} onInput={(e) => setAttendees(e.currentTarget.value)} /></div>
        <label for="a-body" class="sr-only">Notes</label>
        <textarea id="a-body" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <div class="actions">
          <button type="submit" class="primary">Save</button>
          <button type="button" onClick={() => props.onDone()}>Cancel</button>
        </div>
      </form>
    </section>
  );
}
