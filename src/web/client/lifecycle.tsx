/**
 * Consent dialog, "My add-ins", "Get add-ins" (store), the admin center and the publisher page, on the lifecycle
 * API (docs/lifecycle.md). Types come from the domain modules (type-only imports).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ConsentPrompt, InstalledAddin, InstallResult } from "../../addins/index.ts";
import type { Listing, ListingDetail, Review, StoreVersion } from "../../store/catalog.ts";
import type { Publisher } from "../../store/publishers.ts";
import type { StoredVerdict } from "../../audit/package.ts";
import type { TenantPolicy } from "../../tenant/policy.ts";
import type { Deployment, Target } from "../../tenant/deployments.ts";
import type { AuditEntry } from "../../tenant/audit.ts";
import type { GovernanceThreshold } from "../../governance/index.ts";
import type { SessionInfo } from "../../server/web/api-types.ts";
import { SUPPLEMENTARY_CONSENT, TIER_CONSENT } from "../../permissions/consent-text.ts";
import { TIERS, type Supplementary, type Tier } from "../../permissions/tiers.ts";
import { api, ApiError } from "./api.ts";
import { watchSettings } from "./addins.tsx";

type Source = { source: "file"; manifest: string } | { source: "url"; url: string } | { source: "store"; addinId: string };

/**
 * What the tenant lets this client offer. Nothing is offered until the server has said so: a client that assumed
 * "store on" showed Get add-ins after a reload although the admin had blocked it, until the answer came.
 */
export function useClientConfig(session: SessionInfo | null): { storeEnabled: boolean; userInstalls: boolean; loaded: boolean } {
  const [config, setConfig] = useState({ storeEnabled: false, userInstalls: false, loaded: false });
  useEffect(() => {
    if (!session) return;
    const load = () =>
      api<{ storeEnabled: boolean; userInstalls: boolean; unresponsiveSeconds: number }>("GET", "/api/web/client-config")
        .then((c) => {
          watchSettings.unresponsiveSeconds = c.unresponsiveSeconds;
          setConfig({ storeEnabled: c.storeEnabled, userInstalls: c.userInstalls, loaded: true });
        })
        .catch(() => undefined);
    void load();
    addEventListener("outpost:policy-changed", load);
    return () => removeEventListener("outpost:policy-changed", load);
  }, [session?.user.id]);
  return config;
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const findings = (err.body as { error?: { findings?: Array<{ message?: string; line?: number }> } })?.error?.findings;
    return findings?.length ? `${err.message}: ${findings.slice(0, 3).map((f) => `${f.line ? `line ${f.line}: ` : ""}${f.message}`).join("; ")}` : err.message;
  }
  return (err as Error).message;
}

function PermissionList({ tier, supplementary }: { tier: Tier; supplementary: Supplementary[] }) {
  const upto = TIERS.slice(0, TIERS.indexOf(tier) + 1);
  return (
    <ul class="perms">
      {upto.flatMap((t) => TIER_CONSENT[t].adds).map((a) => (
        <li key={a}>{a}</li>
      ))}
      {supplementary.flatMap((s) => SUPPLEMENTARY_CONSENT[s].adds).map((a) => (
        <li key={a}>{a}</li>
      ))}
    </ul>
  );
}

/** The least-privilege auditor's verdict on a store version, in one line (consent dialog, admin center rows). */
function AuditVerdictLine({ audit }: { audit: StoredVerdict | null | undefined }) {
  if (audit === undefined) return null;
  if (audit === null) return <p class="sub" data-testid="audit-verdict">Least-privilege audit: not audited</p>;
  const graph = audit.graph.verdict !== "none" || audit.graph.requested.length ? ` Graph scopes: ${audit.graph.summary}.` : "";
  return (
    <p class="sub" data-testid="audit-verdict" title={audit.note ?? audit.evidence.map((e) => `${e.tier} ${e.member} ${e.where}`).join("\n")}>
      Least-privilege audit: {audit.summary}
      {audit.verdict !== "exact" && <span class={`tag${audit.verdict === "under-privileged" ? " warn" : ""}`}>{audit.verdict}</span>}
      {audit.basis === "manifest" ? " (manifest only: no code was submitted)" : ""}.{graph}
    </p>
  );
}

/** The consent dialog: what the add-in may do, in plain words; nothing installs without Install being pressed. */
export function ConsentDialog(props: { prompt: ConsentPrompt; onAccept: () => Promise<void>; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const p = props.prompt;
  const e = p.explanation;
  return (
    <dialog ref={ref} aria-labelledby="consent-title" aria-describedby="consent-headline" onCancel={(ev) => (ev.preventDefault(), props.onCancel())} data-testid="consent-dialog">
      <h2 id="consent-title">
        Add {p.addin.name}?
      </h2>
      <p class="sub">
        {p.addin.provider} · version {p.addin.version}
      </p>
      <p id="consent-headline">
        <b>{e.headline}</b> <span class="tag">{p.tier}</span>
        {p.supplementary.map((s) => (
          <span class="tag warn" key={s}>
            {" "}
            {s}
          </span>
        ))}
      </p>
      <h3>It will be able to</h3>
      <ul>
        {e.can.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      {e.cannot.length > 0 && (
        <>
          <h3>It will not be able to</h3>
          <ul>
            {e.cannot.slice(0, 4).map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {e.appears.length > 0 && <p class="sub">Appears: {e.appears.join(" ")}</p>}
      {e.loadsFrom.length > 0 && <p class="sub">Loads from: {e.loadsFrom.join(", ")}</p>}
      <AuditVerdictLine audit={(p as ConsentPrompt & { audit?: StoredVerdict | null }).audit} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onAccept();
            } catch (err) {
              setError(errorText(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          Install
        </button>
      </div>
    </dialog>
  );
}

/** Asks for the prompt, shows the dialog, installs on accept. */
function useInstaller(onInstalled: (r: InstallResult) => void) {
  const [prompt, setPrompt] = useState<{ p: ConsentPrompt; src: Source } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async (src: Source) => {
    setError(null);
    try {
      setPrompt({ p: await api<ConsentPrompt>("POST", "/api/addins/consent-prompt", src), src });
    } catch (err) {
      setError(errorText(err));
    }
  };
  const dialog = prompt && (
    <ConsentDialog
      prompt={prompt.p}
      onCancel={() => setPrompt(null)}
      onAccept={async () => {
        const r = await api<InstallResult>("POST", "/api/addins", { ...prompt.src, client: "web", accept: { tier: prompt.p.tier, supplementary: prompt.p.supplementary, textVersion: prompt.p.textVersion } });
        setPrompt(null);
        onInstalled(r);
      }}
    />
  );
  return { start, dialog, error };
}

export function MyAddins() {
  const [list, setList] = useState<InstalledAddin[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [url, setUrl] = useState("");
  const load = () =>
    api<{ value: InstalledAddin[] }>("GET", "/api/addins")
      .then((r) => setList(r.value))
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);
  const installer = useInstaller((r) => (setNotice(`${r.addin.name} was added.`), void load()));
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const [update, setUpdate] = useState<InstalledAddin | null>(null);
  return (
    <div class="page">
      <h1>My add-ins</h1>
      {notice && <p class="notice" role="status">{notice}</p>}
      {(error || installer.error) && <p class="error" role="alert">{error ?? installer.error}</p>}
      <section class="panel" aria-label="Add a custom add-in">
        <h2>Add a custom add-in</h2>
        <div class="actions">
          <label>
            From a file: <input type="file" accept=".xml,.json" aria-label="Manifest file" onChange={async (e) => {
              const input = e.currentTarget;
              const f = input.files?.[0];
              input.value = "";
              if (f) await installer.start({ source: "file", manifest: await f.text() });
            }} />
          </label>
          <form onSubmit={(e) => (e.preventDefault(), void installer.start({ source: "url", url }))} class="actions">
            <label>
              <span class="sr-only">Manifest URL</span>
              <input type="url" placeholder="https://…/manifest.xml" value={url} onInput={(e) => setUrl(e.currentTarget.value)} aria-label="Manifest URL" />
            </label>
            <button type="submit">Add from URL</button>
          </form>
        </div>
      </section>
      {!list ? (
        <p aria-busy="true">Loading…</p>
      ) : list.length === 0 ? (
        <p>No add-ins yet.</p>
      ) : (
        <div class="cards">
          {list.map((a) => (
            <article class="card" key={a.id} data-addin={a.id} aria-label={a.name}>
              <h2>{a.name}</h2>
              <span class="sub">
                version {a.version} · {a.source === "admin" ? (a.mandatory ? "required by your organization" : "deployed by your organization") : `added from ${a.source}`}
              </span>
              <div>
                <span class="tag">{a.tier}</span>
                {a.supplementary.map((s) => (
                  <span class="tag warn" key={s}> {s}</span>
                ))}
                {!a.enabled && <span class="tag warn"> turned off</span>}
                {a.orgDisabled && <span class="tag warn"> disabled by your admin</span>}
              </div>
              <p style={{ margin: 0 }}><b>{TIER_CONSENT[a.tier].headline}</b></p>
              <PermissionList tier={a.tier} supplementary={a.supplementary} />
              {a.notice && <p class="bar business">{a.notice}</p>}
              {a.pending && (
                <p class="bar info">
                  Version {a.pending.version} asks for more ({a.pending.tier}).{" "}
                  <button type="button" class="link" onClick={() => setUpdate(a)}>Review</button>
                </p>
              )}
              <div class="actions">
                {!a.mandatory && (
                  <button type="button" onClick={() => act(() => api("PATCH", `/api/addins/${encodeURIComponent(a.id)}`, { enabled: !a.enabled }))}>
                    {a.enabled ? "Turn off" : "Turn on"}
                  </button>
                )}
                {a.source !== "admin" && (
                  <button type="button" onClick={() => act(() => api("DELETE", `/api/addins/${encodeURIComponent(a.id)}`))}>
                    Remove
                  </button>
                )}
                {a.mandatory && <span class="sub">Your organization requires this add-in.</span>}
              </div>
            </article>
          ))}
        </div>
      )}
      {installer.dialog}
      {update?.pending && (
        <ConsentDialog
          prompt={update.pending.prompt}
          onCancel={() => setUpdate(null)}
          onAccept={async () => {
            const p = update.pending!.prompt;
            await api("POST", `/api/addins/${encodeURIComponent(update.id)}/consent`, { accept: { tier: p.tier, supplementary: p.supplementary, textVersion: p.textVersion } });
            setUpdate(null);
            await load();
          }}
        />
      )}
    </div>
  );
}

export function StorePage() {
  const [q, setQ] = useState("");
  const [list, setList] = useState<Listing[] | null>(null);
  const [detail, setDetail] = useState<(ListingDetail & { reviews: Review[] }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const search = () =>
    api<{ value: Listing[] }>("GET", `/api/store/listings?q=${encodeURIComponent(q)}`)
      .then((r) => setList(r.value))
      .catch((e) => setError(errorText(e)));
  useEffect(() => void search(), []);
  const installer = useInstaller((r) => setNotice(`${r.addin.name} was added. Find it in My add-ins.`));
  const open = async (id: string) => {
    try {
      const [d, r] = await Promise.all([api<ListingDetail>("GET", `/api/store/listings/${encodeURIComponent(id)}`), api<{ value: Review[] }>("GET", `/api/store/listings/${encodeURIComponent(id)}/reviews`)]);
      setDetail({ ...d, reviews: r.value });
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="page">
      <h1>Get add-ins</h1>
      <form class="actions" onSubmit={(e) => (e.preventDefault(), void search())} role="search">
        <label>
          <span class="sr-only">Search the store</span>
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="Search add-ins" aria-label="Search the store" />
        </label>
        <button type="submit">Search</button>
      </form>
      {notice && <p class="notice" role="status">{notice}</p>}
      {(error || installer.error) && <p class="error" role="alert">{error ?? installer.error}</p>}
      <div class="cards">
        {(list ?? []).map((l) => (
          <article class="card" key={l.id} data-listing={l.id} aria-label={l.name}>
            <h2>{l.name}</h2>
            <span class="sub">
              {l.publisher.name}
              {l.publisher.verified ? " ✓ verified" : ""} · v{l.version} · {l.rating.count ? `${l.rating.average?.toFixed(1)} ★ (${l.rating.count})` : "no reviews"}
            </span>
            <p style={{ margin: 0 }}>{l.description}</p>
            <div>
              <span class="tag">{l.tier}</span>
              {l.supplementary.map((s) => <span class="tag warn" key={s}> {s}</span>)}
            </div>
            <div class="actions">
              <button type="button" class="primary" onClick={() => installer.start({ source: "store", addinId: l.id })}>
                Add
              </button>
              <button type="button" onClick={() => open(l.id)}>
                Details
              </button>
            </div>
          </article>
        ))}
      </div>
      {list && list.length === 0 && <p>No add-ins found.</p>}
      {detail && (
        <section class="panel" aria-label={`${detail.name} details`} style={{ marginTop: "16px" }}>
          <h2>{detail.name}</h2>
          <p>{detail.explanation.headline}</p>
          <PermissionList tier={detail.tier} supplementary={detail.supplementary} />
          <h3>Versions</h3>
          <ul>{detail.versions.map((v) => <li key={v.version}>{v.version} ({v.tier}) — {new Date(v.archivedAt).toLocaleDateString()}</li>)}</ul>
          <h3>Reviews</h3>
          {detail.reviews.length ? <ul>{detail.reviews.map((r) => <li key={r.user}>{"★".repeat(r.rating)} {r.text} — {r.user}</li>)}</ul> : <p>No reviews yet.</p>}
          <button type="button" onClick={() => setDetail(null)}>Close</button>
        </section>
      )}
      {installer.dialog}
    </div>
  );
}

const CLIENTS = ["web", "new-windows", "windows", "mac", "ios", "android"] as const;

export function AdminCenter() {
  const [policy, setPolicy] = useState<(TenantPolicy & { thresholdRanges?: GovernanceThreshold[] }) | null>(null);
  const [deployments, setDeployments] = useState<Deployment[]>([]);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deploySrc, setDeploySrc] = useState("");
  const [target, setTarget] = useState("everyone");
  const [mandatory, setMandatory] = useState(false);
  const [thresholds, setThresholds] = useState<Record<string, string>>({});
  const [orgAddin, setOrgAddin] = useState("");
  const load = async () => {
    try {
      const [p, d, a] = await Promise.all([
        api<TenantPolicy & { thresholdRanges?: GovernanceThreshold[] }>("GET", "/api/admin/policy"),
        api<{ value: Deployment[] }>("GET", "/api/admin/deployments"),
        api<{ value: AuditEntry[] }>("GET", "/api/admin/audit?limit=50"),
      ]);
      setPolicy(p);
      setDeployments(d.value);
      setAudit(a.value);
      setThresholds(Object.fromEntries(Object.entries(p.thresholds).map(([k, v]) => [k, String(v)])));
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => void load(), []);
  const change = async (patch: Record<string, unknown>, what: string) => {
    if (!policy) return;
    setError(null);
    try {
      const p = await api<TenantPolicy>("PUT", "/api/admin/policy", { version: policy.version, ...patch });
      setPolicy({ ...policy, ...p });
      setNotice(`${what} saved.`);
      dispatchEvent(new Event("outpost:policy-changed"));
      const a = await api<{ value: AuditEntry[] }>("GET", "/api/admin/audit?limit=50");
      setAudit(a.value);
    } catch (err) {
      setError(errorText(err));
      await load();
    }
  };
  const targetOf = (t: string): Target => (t === "everyone" ? { kind: "everyone" } : t.startsWith("group:") ? { kind: "group", name: t.slice(6) } : { kind: "user", address: t.replace(/^user:/, "") });
  if (!policy) return <div class="page">{error ? <p class="error" role="alert">{error}</p> : <p aria-busy="true">Loading…</p>}</div>;
  return (
    <div class="page">
      <h1>Admin center</h1>
      {notice && <p class="notice" role="status">{notice}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      <section class="panel" aria-label="Policies">
        <h2>Policies</h2>
        <label>
          <input type="checkbox" checked={policy.blockUserInstalls} onChange={(e) => change({ blockUserInstalls: e.currentTarget.checked }, "User installs")} /> Block users from installing add-ins
        </label>
        <br />
        <label>
          Highest permission users may install themselves{" "}
          <select value={policy.userInstallMaxTier} onChange={(e) => change({ userInstallMaxTier: e.currentTarget.value }, "Install cap")}>
            {TIERS.map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <br />
        <label>
          <input type="checkbox" checked={policy.legacyTokensEnabled} onChange={(e) => change({ legacyTokensEnabled: e.currentTarget.checked }, "Legacy tokens")} /> Legacy Exchange tokens enabled
        </label>
        <br />
        <label>
          <input type="checkbox" checked={policy.irmActivation} onChange={(e) => change({ irmActivation: e.currentTarget.checked }, "IRM activation")} /> Add-ins may activate on IRM-protected items
        </label>
        <fieldset style={{ marginTop: "8px" }}>
          <legend>Optional connected experiences</legend>
          {CLIENTS.map((c) => (
            <label key={c} style={{ marginRight: "12px" }}>
              <input type="checkbox" checked={policy.optionalConnectedExperiences[c]} onChange={(e) => change({ optionalConnectedExperiences: { [c]: e.currentTarget.checked } }, `Connected experiences (${c})`)} /> {c}
            </label>
          ))}
        </fieldset>
      </section>
      <section class="panel" aria-label="Governance thresholds">
        <h2>Governance thresholds</h2>
        <table class="grid">
          <thead><tr><th>Threshold</th><th>Default</th><th>Range</th><th>Override</th></tr></thead>
          <tbody>
            {(policy.thresholdRanges ?? []).map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td>{t.default} {t.unit}</td>
                <td>{t.min}–{t.max}</td>
                <td>
                  <input aria-label={`${t.name} override`} size={8} value={thresholds[t.name] ?? ""} onInput={(e) => setThresholds({ ...thresholds, [t.name]: e.currentTarget.value })} />
                  <button type="button" onClick={() => change({ thresholds: { [t.name]: thresholds[t.name] ? Number(thresholds[t.name]) : null } }, t.name)}>Save</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel" aria-label="Deployments">
        <h2>Deployments</h2>
        <table class="grid">
          <thead><tr><th>Add-in</th><th>Permission</th><th>Targets</th><th>Mandatory</th><th /></tr></thead>
          <tbody>
            {deployments.map((d) => (
              <tr key={d.id}>
                <td>{d.name} <span class="sub">v{d.version}</span><AuditVerdictLine audit={(d as Deployment & { audit?: StoredVerdict | null }).audit ?? undefined} /></td>
                <td>{d.tier}</td>
                <td>{d.targets.map((t) => (t.kind === "everyone" ? "everyone" : t.kind === "group" ? `group ${t.name}` : t.address)).join(", ")}</td>
                <td>{d.mandatory ? "yes" : "no"}</td>
                <td><button type="button" onClick={async () => { try { await api("DELETE", `/api/admin/deployments/${encodeURIComponent(d.id)}`); await load(); } catch (err) { setError(errorText(err)); } }}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="actions" onSubmit={async (e) => {
          e.preventDefault();
          try {
            const src: Source = /^https:/.test(deploySrc) ? { source: "url", url: deploySrc } : { source: "store", addinId: deploySrc };
            await api("POST", "/api/admin/deployments", { ...src, targets: [targetOf(target)], mandatory });
            setNotice("Deployed.");
            await load();
          } catch (err) {
            setError(errorText(err));
          }
        }}>
          <label>Store id or manifest URL <input value={deploySrc} onInput={(e) => setDeploySrc(e.currentTarget.value)} required /></label>
          <label>To <input value={target} onInput={(e) => setTarget(e.currentTarget.value)} size={22} aria-label="Deploy to (everyone, group:NAME or an address)" /></label>
          <label><input type="checkbox" checked={mandatory} onChange={(e) => setMandatory(e.currentTarget.checked)} /> Mandatory</label>
          <button type="submit" class="primary">Deploy</button>
        </form>
      </section>
      <section class="panel" aria-label="Add-ins in the organization">
        <h2>Turn an add-in off for everyone</h2>
        <p class="sub">Disabled: {policy.disabledAddins.join(", ") || "none"}</p>
        <form class="actions" onSubmit={async (e) => {
          e.preventDefault();
          try {
            const disabled = policy.disabledAddins.includes(orgAddin.toLowerCase());
            const p = await api<TenantPolicy>("PUT", `/api/admin/addins/${encodeURIComponent(orgAddin)}/state`, { enabled: disabled });
            setPolicy({ ...policy, ...p });
          } catch (err) {
            setError(errorText(err));
          }
        }}>
          <label>Add-in id <input value={orgAddin} onInput={(e) => setOrgAddin(e.currentTarget.value)} required /></label>
          <button type="submit">Turn off / on</button>
        </form>
      </section>
      <section class="panel" aria-label="Audit log">
        <h2>Audit log</h2>
        <table class="grid">
          <thead><tr><th>When</th><th>Who</th><th>What</th><th>Target</th></tr></thead>
          <tbody>
            {audit.map((a) => (
              <tr key={a.id}><td>{new Date(a.at).toLocaleString()}</td><td>{a.actor}</td><td>{a.action}</td><td>{a.target}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export function PublisherPage() {
  const [publishers, setPublishers] = useState<Publisher[]>([]);
  const [name, setName] = useState("");
  const [privacyUrl, setPrivacyUrl] = useState("");
  const [supportUrl, setSupportUrl] = useState("");
  const [agree, setAgree] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reviews, setReviews] = useState<Record<string, Review[]>>({});
  const [listings, setListings] = useState<Listing[]>([]);
  const load = async () => {
    try {
      setPublishers((await api<{ value: Publisher[] }>("GET", "/api/store/publishers")).value);
      setListings((await api<{ value: Listing[] }>("GET", "/api/store/listings")).value);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => void load(), []);
  return (
    <div class="page">
      <h1>Publisher</h1>
      {notice && <p class="notice" role="status">{notice}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      <section class="panel" aria-label="Your publishers">
        <h2>Your publishers</h2>
        {publishers.length === 0 && <p>None yet.</p>}
        {publishers.map((p) => (
          <div key={p.id} style={{ marginBottom: "10px" }}>
            <b>{p.name}</b> {p.verified ? <span class="tag">verified</span> : <span class="tag warn">unverified</span>}
            <label style={{ marginLeft: "12px" }}>
              Submit a version: <input type="file" accept=".xml,.json" aria-label={`Manifest for ${p.name}`} onChange={async (e) => {
                const input = e.currentTarget;
                const f = input.files?.[0];
                input.value = "";
                if (!f) return;
                try {
                  const v = await api<StoreVersion>("POST", `/api/store/publishers/${encodeURIComponent(p.id)}/submissions`, { manifest: await f.text() });
                  setNotice(`Version ${v.version} of ${v.addinId} submitted (${v.tier}).`);
                  await load();
                } catch (err) {
                  setError(errorText(err));
                }
              }} />
            </label>
          </div>
        ))}
      </section>
      <section class="panel" aria-label="Listings and reviews">
        <h2>Listings and reviews</h2>
        <ul>
          {listings.filter((l) => publishers.some((p) => p.id === l.publisher.id)).map((l) => (
            <li key={l.id}>
              {l.name} v{l.version} — {l.status}{" "}
              <button type="button" class="link" onClick={async () => setReviews({ ...reviews, [l.id]: (await api<{ value: Review[] }>("GET", `/api/store/listings/${encodeURIComponent(l.id)}/reviews`)).value })}>
                reviews
              </button>
              {reviews[l.id] && <ul>{reviews[l.id]!.length ? reviews[l.id]!.map((r) => <li key={r.user}>{"★".repeat(r.rating)} {r.text}</li>) : <li>No reviews.</li>}</ul>}
            </li>
          ))}
        </ul>
      </section>
      <section class="panel" aria-label="New publisher">
        <h2>New publisher</h2>
        <form onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api("POST", "/api/store/publishers", { name, privacyUrl, supportUrl, acceptAgreement: agree });
            setNotice(`Publisher ${name} created.`);
            await load();
          } catch (err) {
            setError(errorText(err));
          }
        }}>
          <label class="field"><span>Name</span><input value={name} onInput={(e) => setName(e.currentTarget.value)} required /></label>
          <label class="field"><span>Privacy statement URL</span><input type="url" value={privacyUrl} onInput={(e) => setPrivacyUrl(e.currentTarget.value)} required /></label>
          <label class="field"><span>Support URL</span><input type="url" value={supportUrl} onInput={(e) => setSupportUrl(e.currentTarget.value)} required /></label>
          <label><input type="checkbox" checked={agree} onChange={(e) => setAgree(e.currentTarget.checked)} /> I accept the publisher agreement</label>
          <div class="actions"><button type="submit" class="primary">Create</button></div>
        </form>
      </section>
    </div>
  );
}
