/**
 * Install records in the user's own mailbox (`mailbox_addins`): the manifest bytes as installed, the consent
 * given, the source, enabled or not, pinned, and an update waiting for consent. Users install for themselves
 * only, after an explicit acceptance of exactly what the consent prompt showed; every write is one transaction
 * (a crash leaves the add-in installed or absent, never half) and is audited.
 */
import type { Db, Queryable } from "../mailbox/index.ts";
import { tierRank, type Supplementary, type Tier } from "../permissions/tiers.ts";
import { SqlSessionStore } from "../runtime/sessions/sql-store.ts";
import type { AddinManifest } from "../manifest/model.ts";
import { audit } from "../tenant/audit.ts";
import { oceEffect } from "../tenant/oce.ts";
import { readPolicy, type TenantPolicy } from "../tenant/policy.ts";
import type { StoreCatalog } from "../store/catalog.ts";
import { candidateFromBytes, candidateFromUrl, storedManifest, type Candidate, type InstallSource } from "./candidate.ts";
import { acceptanceMatches, askOf, consentPrompt, escalates, granted, CONSENT_TEXT_VERSION, type ConsentPrompt, type GivenConsent } from "./consent.ts";
import { LifecycleError } from "./errors.ts";
import type { FetchManifestOptions } from "./fetch-manifest.ts";

export interface LifecycleUser {
  id: string;
  tenantId: string;
  email: string;
}

export type InstallInput = { source: "file"; manifest: string | Buffer; fileName?: string } | { source: "url"; url: string } | { source: "store"; addinId: string };

export interface InstalledAddin {
  id: string;
  name: string;
  version: string;
  source: InstallSource | "admin";
  enabled: boolean;
  mandatory: boolean;
  pinned: boolean;
  /** What a session of it is granted: never more than the manifest asks nor than the user accepted. */
  tier: Tier;
  supplementary: Supplementary[];
  consent: GivenConsent | null;
  pending: { version: string; tier: Tier; supplementary: Supplementary[]; prompt: ConsentPrompt } | null;
  /** Why it does not run although installed (taken down by the store). */
  notice: string | null;
  /** Disabled for the whole organisation by an admin. */
  orgDisabled: boolean;
  installedAt: string;
}

export interface InstallResult {
  addin: InstalledAddin;
  /** False when the same manifest was already installed (idempotent). */
  changed: boolean;
}

/** What a bridge session of the add-in runs with. */
export interface SessionAddin {
  addinId: string;
  name: string;
  version: string;
  sha256: string;
  manifest: AddinManifest;
  tier: Tier;
  supplementary: Supplementary[];
  source: InstallSource | "admin";
}

/** A row of `addin_installs`: one add-in the user installed (or their own state of an admin deployment). */
export interface OwnRow {
  mailbox_id: string;
  addin_id: string;
  source: InstallSource | "admin";
  source_ref: string | null;
  name: string;
  version: string;
  manifest: Uint8Array | null;
  sha256: string | null;
  consent: unknown;
  pending_manifest: Uint8Array | null;
  pending_version: string | null;
  enabled: boolean;
  pinned: boolean;
  notice: string | null;
  installed_at: Date;
}
interface DeployedRow {
  addin_id: string;
  name: string;
  version: string;
  manifest: Uint8Array;
  sha256: string;
  tier: Tier;
  supplementary: unknown;
  mandatory: boolean;
  notice: string | null;
  deployed_at: Date;
  user_enabled: boolean | null;
  user_pinned: boolean | null;
}
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

/** Deployments of the tenant ($1) that target the user ($2), with the user's own state row in their mailbox ($3). */
const DEPLOYED_FOR_USER = `SELECT d.addin_id, d.name, d.version, d.manifest, d.sha256, d.tier, d.supplementary, d.mandatory, d.notice, d.deployed_at,
    s.enabled AS user_enabled, s.pinned AS user_pinned
  FROM tenant_deployments d LEFT JOIN mailbox_addins s ON s.mailbox_id = $3 AND s.addin_id = d.addin_id
  WHERE d.tenant_id = $1 AND EXISTS (SELECT 1 FROM tenant_deployment_targets t WHERE t.tenant_id = d.tenant_id AND t.addin_id = d.addin_id
    AND (t.kind = 'everyone' OR (t.kind = 'user' AND t.value = $2)
      OR (t.kind = 'group' AND EXISTS (SELECT 1 FROM tenant_group_members g WHERE g.tenant_id = d.tenant_id AND g.group_name = t.value AND g.user_id = $2))))`;

export class Installs {
  private readonly sessions: SqlSessionStore;
  constructor(
    private readonly db: Db,
    private readonly catalog: StoreCatalog,
    private readonly fetchOptions: FetchManifestOptions = {},
  ) {
    this.sessions = new SqlSessionStore(db);
  }

  /** Reads and validates the manifest of an install request (file text, HTTPS URL, or store listing). */
  async resolve(input: InstallInput): Promise<Candidate> {
    if (input.source === "file") {
      const bytes = typeof input.manifest === "string" ? Buffer.from(input.manifest, "utf8") : input.manifest;
      return candidateFromBytes(bytes, "file", input.fileName ?? null, input.fileName);
    }
    if (input.source === "url") return candidateFromUrl(input.url, this.fetchOptions);
    if (input.source === "store") return this.catalog.candidate(input.addinId);
    throw new LifecycleError("invalid-request", 'source must be "file", "url" or "store"');
  }

  async prompt(input: InstallInput): Promise<ConsentPrompt> {
    return consentPrompt((await this.resolve(input)).manifest);
  }

  private async ownMailbox(q: Queryable, user: LifecycleUser): Promise<string> {
    const { rows } = await q.query<{ id: string }>("SELECT id FROM mailboxes WHERE owner_user_id = $1 AND kind = 'user' ORDER BY created_at LIMIT 1", [user.id]);
    if (!rows[0]) throw new LifecycleError("not-found", `${user.email} has no mailbox of their own to install into`);
    return rows[0].id;
  }

  /** The policy checks of a user's own install (not of admin deployments). */
  private async checkUserInstall(q: Queryable, user: LifecycleUser, c: Candidate, client: string | undefined): Promise<TenantPolicy> {
    const policy = await readPolicy(q, user.tenantId);
    const takenDown = await this.catalog.isTakenDown(q, c.addinId);
    if (takenDown) throw new LifecycleError("taken-down", takenDown);
    if (policy.blockUserInstalls) throw new LifecycleError("user-installs-blocked", "your organisation does not let users install add-ins; ask your admin to deploy it");
    const oce = oceEffect(policy.optionalConnectedExperiences, client);
    if (!oce.userInstalls) throw new LifecycleError("oce-off", `optional connected experiences are off for ${oce.client} in your organisation: add-ins cannot be installed from this client`);
    if (policy.disabledAddins.includes(c.addinId)) throw new LifecycleError("disabled-by-admin", `${c.manifest.name.value} is disabled in your organisation`);
    if (tierRank(c.manifest.tier) > tierRank(policy.userInstallMaxTier))
      throw new LifecycleError("above-user-cap", `${c.manifest.name.value} asks for ${c.manifest.tier}; users of your organisation may install add-ins up to ${policy.userInstallMaxTier} (higher only by admin deployment)`);
    return policy;
  }

  /**
   * Installs (or updates) an add-in for the user. Same manifest already installed: nothing changes. A new manifest
   * that asks for no more than the consent given applies without a prompt; otherwise `accept` must match the
   * prompt exactly (consent-required with the prompt when it does not). Nothing is stored on any refusal.
   */
  async install(user: LifecycleUser, input: InstallInput | Candidate, options: { accept?: unknown; client?: string; actor?: string } = {}): Promise<InstallResult> {
    const c = "sha256" in input ? input : await this.resolve(input);
    const actor = options.actor ?? user.email;
    const ask = askOf(c.manifest);
    const result = await this.db.transaction(async (tx) => {
      await this.checkUserInstall(tx, user, c, options.client);
      const mailboxId = await this.ownMailbox(tx, user);
      const { rows } = await tx.query<OwnRow>("SELECT * FROM mailbox_addins WHERE mailbox_id = $1 AND addin_id = $2 FOR UPDATE", [mailboxId, c.addinId]);
      const existing = rows[0] && rows[0].source !== "admin" ? rows[0] : undefined;
      if (existing && existing.sha256 === c.sha256) return false;
      const prior = existing ? (json(existing.consent) as GivenConsent | null) : null;
      const needsConsent = !prior || escalates(ask, prior);
      if (needsConsent && !acceptanceMatches(ask, options.accept))
        throw new LifecycleError("consent-required", `installing ${c.manifest.name.value} needs your consent to: ${consentPrompt(c.manifest).explanation.headline} (${ask.tier}${ask.supplementary.length ? ` + ${ask.supplementary.join(", ")}` : ""})`, {
          prompt: consentPrompt(c.manifest),
        });
      const consent: GivenConsent = needsConsent ? { ...ask, by: actor, at: new Date().toISOString(), textVersion: CONSENT_TEXT_VERSION } : prior!;
      await tx.query(
        `INSERT INTO mailbox_addins (mailbox_id, addin_id, source, source_ref, name, version, manifest, sha256, consent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
         ON CONFLICT (mailbox_id, addin_id) DO UPDATE SET source = EXCLUDED.source, source_ref = EXCLUDED.source_ref, name = EXCLUDED.name, version = EXCLUDED.version,
           manifest = EXCLUDED.manifest, sha256 = EXCLUDED.sha256, consent = EXCLUDED.consent, pending_manifest = NULL, pending_version = NULL, enabled = true, notice = NULL, updated_at = now()`,
        [mailboxId, c.addinId, c.source, c.sourceRef, c.manifest.name.value, c.manifest.version, c.bytes, c.sha256, JSON.stringify(consent)],
      );
      const target = `mailbox:${mailboxId}/addin:${c.addinId}`;
      const after = { version: c.manifest.version, source: c.source, sourceRef: c.sourceRef, sha256: c.sha256, ...ask };
      if (needsConsent) await audit(tx, { tenantId: user.tenantId, actor, action: "addin.consent", target, before: prior, after: consent });
      await audit(tx, { tenantId: user.tenantId, actor, action: existing ? "addin.update" : "addin.install", target, before: existing ? { version: existing.version, sha256: existing.sha256 } : null, after });
      return true;
    });
    return { addin: (await this.find(user, c.addinId))!, changed: result };
  }

  /** Accepts an update that asked for more than the consent given (it waited in the install record). */
  async acceptUpdate(user: LifecycleUser, addinId: string, accept: unknown): Promise<InstalledAddin> {
    const id = addinId.toLowerCase();
    await this.db.transaction(async (tx) => {
      const mailboxId = await this.ownMailbox(tx, user);
      const { rows } = await tx.query<OwnRow>("SELECT * FROM mailbox_addins WHERE mailbox_id = $1 AND addin_id = $2 AND source <> 'admin' FOR UPDATE", [mailboxId, id]);
      const row = rows[0];
      if (!row) throw new LifecycleError("not-installed", `add-in ${id} is not installed`);
      if (!row.pending_manifest) throw new LifecycleError("invalid-request", `${row.name} has no update waiting for consent`);
      const c = candidateFromBytes(Buffer.from(row.pending_manifest), row.source as InstallSource, row.source_ref);
      await this.checkUserInstall(tx, user, c, undefined);
      const ask = askOf(c.manifest);
      if (!acceptanceMatches(ask, accept)) throw new LifecycleError("consent-required", `the update of ${row.name} to ${c.manifest.version} needs your consent`, { prompt: consentPrompt(c.manifest) });
      const consent: GivenConsent = { ...ask, by: user.email, at: new Date().toISOString(), textVersion: CONSENT_TEXT_VERSION };
      await tx.query(
        "UPDATE mailbox_addins SET manifest = $3, sha256 = $4, version = $5, name = $6, consent = $7::jsonb, pending_manifest = NULL, pending_version = NULL, updated_at = now() WHERE mailbox_id = $1 AND addin_id = $2",
        [mailboxId, id, c.bytes, c.sha256, c.manifest.version, c.manifest.name.value, JSON.stringify(consent)],
      );
      const target = `mailbox:${mailboxId}/addin:${id}`;
      await audit(tx, { tenantId: user.tenantId, actor: user.email, action: "addin.consent", target, before: json(row.consent), after: consent });
      await audit(tx, { tenantId: user.tenantId, actor: user.email, action: "addin.update", target, before: { version: row.version }, after: { version: c.manifest.version, ...ask } });
    });
    return (await this.find(user, id))!;
  }

  /** Removes the user's own install; admin deployments cannot be removed by the user. Ends its open sessions. */
  async remove(user: LifecycleUser, addinId: string, actor = user.email): Promise<void> {
    const id = addinId.toLowerCase();
    await this.db.transaction(async (tx) => {
      const mailboxId = await this.ownMailbox(tx, user);
      const { rows } = await tx.query<OwnRow>("DELETE FROM mailbox_addins WHERE mailbox_id = $1 AND addin_id = $2 AND source <> 'admin' RETURNING *", [mailboxId, id]);
      if (!rows[0]) {
        const deployed = await tx.query(`${DEPLOYED_FOR_USER} AND d.addin_id = $4`, [user.tenantId, user.id, mailboxId, id]);
        if (deployed.rows[0]) throw new LifecycleError("admin-deployed", "this add-in was deployed by your admin: you can disable it (when optional) but not remove it");
        throw new LifecycleError("not-installed", `add-in ${id} is not installed`);
      }
      await audit(tx, { tenantId: user.tenantId, actor, action: "addin.remove", target: `mailbox:${mailboxId}/addin:${id}`, before: { version: rows[0].version, source: rows[0].source }, after: null });
      await this.sessions.closeForAddin(id, { tenantId: user.tenantId, userIds: [user.id] }, tx);
    });
  }

  /** Enables or disables for the user: their own install, or an optional admin deployment (mandatory ones stay on). */
  async setEnabled(user: LifecycleUser, addinId: string, enabled: boolean, actor = user.email): Promise<InstalledAddin> {
    const id = addinId.toLowerCase();
    await this.db.transaction(async (tx) => {
      const mailboxId = await this.ownMailbox(tx, user);
      const { rows } = await tx.query<OwnRow>("SELECT * FROM mailbox_addins WHERE mailbox_id = $1 AND addin_id = $2 FOR UPDATE", [mailboxId, id]);
      const deployed = (await tx.query<DeployedRow>(`${DEPLOYED_FOR_USER} AND d.addin_id = $4`, [user.tenantId, user.id, mailboxId, id])).rows[0];
      const own = rows[0];
      if (deployed) {
        if (deployed.mandatory && !enabled) throw new LifecycleError("mandatory", `${deployed.name} is a mandatory deployment of your organisation and cannot be disabled`);
      } else if (!own || own.source === "admin") throw new LifecycleError("not-installed", `add-in ${id} is not installed`);
      const notice = own?.notice ?? deployed?.notice;
      if (enabled && notice) throw new LifecycleError("taken-down", notice);
      const before = own ? own.enabled : deployed ? (deployed.user_enabled ?? true) : true;
      if (own) await tx.query("UPDATE mailbox_addins SET enabled = $3, updated_at = now() WHERE mailbox_id = $1 AND addin_id = $2", [mailboxId, id, enabled]);
      else
        await tx.query("INSERT INTO mailbox_addins (mailbox_id, addin_id, source, name, version, enabled) VALUES ($1, $2, 'admin', $3, $4, $5)", [mailboxId, id, deployed!.name, deployed!.version, enabled]);
      if (before !== enabled) {
        await audit(tx, { tenantId: user.tenantId, actor, action: enabled ? "addin.enable" : "addin.disable", target: `mailbox:${mailboxId}/addin:${id}`, before: { enabled: before }, after: { enabled } });
        if (!enabled) await this.sessions.closeForAddin(id, { tenantId: user.tenantId, userIds: [user.id] }, tx);
      }
    });
    return (await this.find(user, id))!;
  }

  /** The user's add-ins: admin deployments that target them, then their own installs (a deployment shadows an own install of the same id). */
  async list(user: LifecycleUser): Promise<InstalledAddin[]> {
    const { rows: me } = await this.db.query<{ id: string }>("SELECT id FROM mailboxes WHERE owner_user_id = $1 AND kind = 'user' ORDER BY created_at LIMIT 1", [user.id]);
    const mailboxId = me[0]?.id ?? "";
    const policy = await readPolicy(this.db, user.tenantId);
    const out = new Map<string, InstalledAddin>();
    for (const d of (await this.db.query<DeployedRow>(`${DEPLOYED_FOR_USER} ORDER BY d.name`, [user.tenantId, user.id, mailboxId])).rows) {
      const supplementary = (json(d.supplementary) as Supplementary[]) ?? [];
      out.set(d.addin_id, {
        id: d.addin_id,
        name: d.name,
        version: d.version,
        source: "admin",
        enabled: !d.notice && (d.mandatory || d.user_enabled !== false),
        mandatory: d.mandatory,
        pinned: d.user_pinned ?? false,
        tier: d.tier,
        supplementary,
        consent: null,
        pending: null,
        notice: d.notice,
        orgDisabled: policy.disabledAddins.includes(d.addin_id),
        installedAt: new Date(d.deployed_at).toISOString(),
      });
    }
    const { rows } = await this.db.query<OwnRow>("SELECT * FROM mailbox_addins WHERE mailbox_id = $1 AND source <> 'admin' ORDER BY name", [mailboxId]);
    for (const r of rows) if (!out.has(r.addin_id)) out.set(r.addin_id, this.ownView(r, policy));
    return [...out.values()];
  }

  async find(user: LifecycleUser, addinId: string): Promise<InstalledAddin | undefined> {
    return (await this.list(user)).find((a) => a.id === addinId.toLowerCase());
  }

  private ownView(r: OwnRow, policy: TenantPolicy): InstalledAddin {
    const m = storedManifest(r.manifest!, r.sha256!);
    const consent = json(r.consent) as GivenConsent | null;
    const g = granted(askOf(m), consent);
    let pending: InstalledAddin["pending"] = null;
    if (r.pending_manifest) {
      const pm = storedManifest(r.pending_manifest, `pending:${r.mailbox_id}:${r.addin_id}:${r.pending_version}`);
      pending = { version: pm.version, ...askOf(pm), prompt: consentPrompt(pm) };
    }
    return {
      id: r.addin_id,
      name: r.name,
      version: r.version,
      source: r.source,
      enabled: r.enabled,
      mandatory: false,
      pinned: r.pinned,
      tier: g.tier,
      supplementary: g.supplementary,
      consent,
      pending,
      notice: r.notice,
      orgDisabled: policy.disabledAddins.includes(r.addin_id),
      installedAt: new Date(r.installed_at).toISOString(),
    };
  }

  /**
   * The add-in a bridge session of this user may run, with its granted permission: an admin deployment that
   * targets them (no consent: the admin's), else their own enabled install (the consented tier). Refuses an add-in
   * disabled for the organisation, disabled by the user, taken down, or (optional connected experiences off on
   * Android/iOS) not admin-deployed. Two queries: the policy, and the deployment/install lookup.
   */
  async forSession(user: LifecycleUser, addinId: string, client: string | undefined): Promise<{ addin: SessionAddin; policy: TenantPolicy }> {
    const id = addinId.toLowerCase();
    const policy = await readPolicy(this.db, user.tenantId);
    const row = (await this.sessionRows(user, id)).get(id);
    if (!row) throw new LifecycleError("not-installed", `add-in ${id} is not installed for ${user.email}`);
    return { addin: sessionAddin(row, policy, client), policy };
  }

  /**
   * What forSession answers for every add-in of the user at once (one policy read, one query): the add-ins that may
   * open a session on `client`, keyed by id; the refused ones are left out.
   */
  async forSessionAll(user: LifecycleUser, client: string | undefined): Promise<{ addins: Map<string, SessionAddin>; policy: TenantPolicy }> {
    const policy = await readPolicy(this.db, user.tenantId);
    const addins = new Map<string, SessionAddin>();
    for (const [id, row] of await this.sessionRows(user, null)) {
      try {
        addins.set(id, sessionAddin(row, policy, client));
      } catch (err) {
        if (!(err instanceof LifecycleError)) throw err;
      }
    }
    return { addins, policy };
  }

  /** The install record behind each add-in of the user (or of one add-in): an admin deployment wins over an own install. */
  private async sessionRows(user: LifecycleUser, addinId: string | null): Promise<Map<string, SessionRow>> {
    const deployed = DEPLOYED_FOR_USER.replace("$3", "(SELECT id FROM me)");
    const { rows } = await this.db.query<SessionRow>(
      `WITH me AS (SELECT id FROM mailboxes WHERE owner_user_id = $2 AND kind = 'user' ORDER BY created_at LIMIT 1)
       SELECT 'admin' AS kind, 'admin' AS source, x.addin_id, x.name, x.version, x.manifest, x.sha256, NULL::jsonb AS consent, x.notice,
         (x.mandatory OR coalesce(x.user_enabled, true)) AS enabled
       FROM (${deployed} AND ($3::text IS NULL OR d.addin_id = $3)) x
       UNION ALL
       SELECT 'own', i.source, i.addin_id, i.name, i.version, i.manifest, i.sha256, i.consent, i.notice, i.enabled
       FROM mailbox_addins i WHERE i.mailbox_id = (SELECT id FROM me) AND ($3::text IS NULL OR i.addin_id = $3) AND i.source <> 'admin'`,
      [user.tenantId, user.id, addinId],
    );
    const byId = new Map<string, SessionRow>();
    for (const r of rows) if (r.kind === "admin" || !byId.has(r.addin_id)) byId.set(r.addin_id, r);
    return byId;
  }
}

type SessionRow = DeployedRow & { kind: "admin" | "own"; source: InstallSource | "admin"; consent: unknown; enabled: boolean };

/** The add-in a session may open from its install record, or the policy's refusal. */
function sessionAddin(row: SessionRow, policy: TenantPolicy, client: string | undefined): SessionAddin {
  const id = row.addin_id;
  if (policy.disabledAddins.includes(id)) throw new LifecycleError("disabled-by-admin", `${row.name} is disabled in your organisation`);
  if (row.notice) throw new LifecycleError("taken-down", row.notice);
  if (!row.enabled) throw new LifecycleError("disabled", `${row.name} is disabled; enable it in your add-ins`);
  const oce = oceEffect(policy.optionalConnectedExperiences, client);
  if (oce.onlyAdminDeployed && row.kind !== "admin") throw new LifecycleError("oce-off", `optional connected experiences are off for ${oce.client}: only add-ins deployed by your admin run there`);
  const manifest = storedManifest(row.manifest, row.sha256);
  const g = row.kind === "admin" ? askOf(manifest) : granted(askOf(manifest), json(row.consent) as GivenConsent | null);
  return { addinId: id, name: row.name, version: row.version, sha256: row.sha256, manifest, tier: g.tier, supplementary: g.supplementary, source: row.source };
}
