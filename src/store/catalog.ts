/**
 * The add-in store: submissions (validated, HTTPS-only, with icons, from a complete publisher that owns the id),
 * archived read-only versions with their content hash, listings, reviews and takedown.
 */
import type { Db, Queryable } from "../mailbox/index.ts";
import { compareBuilds } from "../activation/index.ts";
import type { Supplementary, Tier } from "../permissions/tiers.ts";
import { explainManifest, type Explanation } from "../manifest/explain.ts";
import { formatFinding, finding } from "../manifest/findings.ts";
import type { Candidate } from "../addins/candidate.ts";
import { candidateFromBytes, storedManifest } from "../addins/candidate.ts";
import { LifecycleError } from "../addins/errors.ts";
import { applyStoreUpdate } from "../addins/updates.ts";
import { SqlSessionStore } from "../runtime/sessions/sql-store.ts";
import { audit } from "../tenant/audit.ts";
import { missingForSubmission, Publishers, type Publisher } from "./publishers.ts";
import type { StoredVerdict } from "../audit/package.ts";
import { auditPackageOffThread } from "../audit/package-thread.ts";
import { checkPackage, PackageError, type PackageFile } from "../audit/package-files.ts";

export interface Listing {
  id: string;
  name: string;
  description: string;
  publisher: { id: string; name: string; verified: boolean };
  version: string;
  tier: Tier;
  supplementary: Supplementary[];
  status: "listed" | "taken-down";
  takedownReason: string | null;
  rating: { average: number | null; count: number };
  updatedAt: string;
  /** The auditor's static verdict on the current version (null: archived before the auditor ran at submission). */
  audit: StoredVerdict | null;
}

export interface StoreVersion {
  addinId: string;
  version: string;
  sha256: string;
  format: string;
  tier: Tier;
  supplementary: Supplementary[];
  archivedAt: string;
  /** The auditor's static verdict, computed at submission (null for versions archived before). */
  audit: StoredVerdict | null;
}

export interface ListingDetail extends Listing {
  versions: StoreVersion[];
  explanation: Explanation;
}

export interface Review {
  addinId: string;
  user: string;
  rating: number;
  text: string;
  updatedAt: string;
}

interface ListingRow {
  addin_id: string;
  name: string;
  description: string;
  current_version: string;
  status: "listed" | "taken-down";
  takedown_reason: string | null;
  updated_at: Date;
  publisher_id: string;
  publisher_name: string;
  verified: boolean;
  tier: Tier;
  supplementary: unknown;
  avg: number | string | null;
  count: number | string;
  audit: unknown;
}
interface VersionRow {
  addin_id: string;
  version: string;
  sha256: string;
  format: string;
  tier: Tier;
  supplementary: unknown;
  archived_at: Date;
  audit: unknown;
}
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

const LISTING_SELECT = `SELECT l.addin_id, l.name, l.description, l.current_version, l.status, l.takedown_reason, l.updated_at, p.id AS publisher_id, p.name AS publisher_name,
  p.verified, v.tier, v.supplementary, v.audit, (SELECT avg(rating) FROM store_reviews r WHERE r.addin_id = l.addin_id) AS avg,
  (SELECT count(*) FROM store_reviews r WHERE r.addin_id = l.addin_id) AS count
  FROM store_listings l JOIN store_publishers p ON p.id = l.publisher_id JOIN store_versions v ON v.addin_id = l.addin_id AND v.version = l.current_version`;

const toListing = (r: ListingRow): Listing => ({
  id: r.addin_id,
  name: r.name,
  description: r.description,
  publisher: { id: r.publisher_id, name: r.publisher_name, verified: r.verified },
  version: r.current_version,
  tier: r.tier,
  supplementary: (json(r.supplementary) as Supplementary[]) ?? [],
  status: r.status,
  takedownReason: r.takedown_reason,
  rating: { average: r.avg === null ? null : Math.round(Number(r.avg) * 10) / 10, count: Number(r.count) },
  updatedAt: new Date(r.updated_at).toISOString(),
  audit: (json(r.audit) as StoredVerdict | null) ?? null,
});
const toVersion = (r: VersionRow): StoreVersion => ({
  addinId: r.addin_id,
  version: r.version,
  sha256: r.sha256,
  format: r.format,
  tier: r.tier,
  supplementary: (json(r.supplementary) as Supplementary[]) ?? [],
  archivedAt: new Date(r.archived_at).toISOString(),
  audit: (json(r.audit) as StoredVerdict | null) ?? null,
});

/** Store rules on top of manifest validation: every URL HTTPS, icons present. Throws naming the field and line. */
export function checkSubmission(c: Candidate): void {
  // Bare host names (AppDomains / validDomains entries without a scheme) are not URLs; anything with a scheme must be https.
  const http = c.manifest.urls.filter((u) => /^[a-z][a-z0-9+.-]*:/i.test(u.url) && !/^https:\/\//i.test(u.url));
  if (http.length) {
    const f = http[0]!;
    throw new LifecycleError("not-https", `every URL of a store add-in must be https://; ${formatFinding("manifest", finding("error", "not-https", `${f.field} is ${f.url}`, f.pos))}${http.length > 1 ? ` (and ${http.length - 1} more)` : ""}`, {
      findings: http.map((u) => finding("error", "not-https", `${u.field} must be an https:// URL, not ${u.url}`, u.pos)),
    });
  }
  if (c.manifest.icons.length === 0) throw new LifecycleError("no-icons", "a store add-in needs an icon (IconUrl / icons)");
}

export class StoreCatalog {
  readonly publishers: Publishers;
  private readonly sessions: SqlSessionStore;
  constructor(private readonly db: Db) {
    this.publishers = new Publishers(db);
    this.sessions = new SqlSessionStore(db);
  }

  /**
   * Submits a manifest as a new version of the publisher's listing. Same bytes as an archived version: idempotent.
   * Installed copies get the update (silently, or pending consent when it asks for more).
   */
  async submit(publisherIdOrName: string, bytes: Buffer, fileName: string | undefined, actor: string, tenantId: string | null, asOwner?: string, options: { code?: readonly PackageFile[] } = {}): Promise<StoreVersion> {
    // `code`: the add-in's code submitted with the manifest (a bundle or a folder's files), audited with it.
    const publisher = await this.publishers.get(publisherIdOrName);
    if (!publisher) throw new LifecycleError("not-found", `no publisher "${publisherIdOrName}"`);
    if (asOwner !== undefined && publisher.ownerUserId !== asOwner) throw new LifecycleError("forbidden", `you do not own publisher ${publisher.name}`);
    const missing = missingForSubmission(publisher);
    if (missing.length) throw new LifecycleError("publisher-incomplete", `publisher ${publisher.name} cannot submit yet: it lacks ${missing.join(", ")}`);
    let code: PackageFile[] | undefined;
    try {
      code = options.code === undefined ? undefined : checkPackage(options.code);
    } catch (e) {
      if (e instanceof PackageError) throw new LifecycleError("invalid-request", `the submitted code: ${e.message}`);
      throw e;
    }
    const c = candidateFromBytes(bytes, "store", null, fileName);
    c.sourceRef = c.addinId;
    checkSubmission(c);
    // The auditor's static verdict on what is submitted, on a thread of its own (a multi-MB bundle takes seconds: on
    // the event loop it would stall every other request). A failure of the auditor itself never blocks a submission:
    // the version is then "not audited" (null).
    let verdict: StoredVerdict | null = null;
    try {
      verdict = await auditPackageOffThread({ text: c.bytes.toString("utf8"), file: fileName ?? `manifest.${c.manifest.format}` }, code);
    } catch (e) {
      process.emitWarning(`store: the auditor failed on ${c.addinId} ${c.manifest.version}: ${(e as Error).message}`);
    }
    return this.db.transaction(async (tx) => {
      const { rows: listing } = await tx.query<{ publisher_id: string; current_version: string; status: string }>("SELECT publisher_id, current_version, status FROM store_listings WHERE addin_id = $1 FOR UPDATE", [c.addinId]);
      const l = listing[0];
      if (l && l.publisher_id !== publisher.id) throw new LifecycleError("id-claimed", `add-in id ${c.addinId} is already published by another publisher; choose a new id`);
      if (l?.status === "taken-down") throw new LifecycleError("taken-down", `add-in ${c.addinId} was taken down by the store operator`);
      const { rows: same } = await tx.query<VersionRow & { manifest: Uint8Array }>("SELECT * FROM store_versions WHERE addin_id = $1 AND version = $2", [c.addinId, c.manifest.version]);
      if (same[0]) {
        if (same[0].sha256 === c.sha256) return toVersion(same[0]);
        throw new LifecycleError("version-exists", `version ${c.manifest.version} of ${c.addinId} is archived with other content; archived versions never change — submit a new version number`);
      }
      if (l && compareBuilds(c.manifest.version, l.current_version) <= 0)
        throw new LifecycleError("version-not-newer", `version ${c.manifest.version} is not newer than the listed ${l.current_version}`);
      const m = c.manifest;
      if (l) await tx.query("UPDATE store_listings SET name = $2, description = $3, current_version = $4, updated_at = now() WHERE addin_id = $1", [c.addinId, m.name.value, m.description.value, m.version]);
      else await tx.query("INSERT INTO store_listings (addin_id, publisher_id, name, description, current_version) VALUES ($1, $2, $3, $4, $5)", [c.addinId, publisher.id, m.name.value, m.description.value, m.version]);
      const { rows } = await tx.query<VersionRow>(
        "INSERT INTO store_versions (addin_id, version, manifest, sha256, format, tier, supplementary, audit) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) RETURNING *",
        [c.addinId, m.version, c.bytes, c.sha256, m.format, m.tier, JSON.stringify([...m.supplementary].sort()), JSON.stringify(verdict)],
      );
      const v = toVersion(rows[0]!);
      const after = { publisher: publisher.name, version: v.version, sha256: v.sha256, tier: v.tier, supplementary: v.supplementary, audit: verdict ? { verdict: verdict.verdict, levels: verdict.levels, needed: verdict.needed.tier, basis: verdict.basis, graph: verdict.graph.verdict } : null };
      await audit(tx, { tenantId: null, actor, action: "store.publish", target: `addin:${c.addinId}`, before: l ? { version: l.current_version } : null, after });
      if (tenantId) await audit(tx, { tenantId, actor, action: "store.publish", target: `addin:${c.addinId}`, before: l ? { version: l.current_version } : null, after });
      if (l) await applyStoreUpdate(tx, c, actor);
      return v;
    });
  }

  async list(options: { q?: string; includeTakenDown?: boolean } = {}): Promise<Listing[]> {
    const q = options.q?.trim().slice(0, 100);
    const { rows } = await this.db.query<ListingRow>(
      `${LISTING_SELECT} WHERE ($1::boolean OR l.status = 'listed') AND ($2::text IS NULL OR l.name ILIKE '%' || $2 || '%' OR l.description ILIKE '%' || $2 || '%') ORDER BY l.name`,
      [options.includeTakenDown ?? false, q || null],
    );
    return rows.map(toListing);
  }

  async listing(addinId: string): Promise<Listing | undefined> {
    const { rows } = await this.db.query<ListingRow>(`${LISTING_SELECT} WHERE l.addin_id = $1`, [addinId.toLowerCase()]);
    return rows[0] && toListing(rows[0]);
  }

  async detail(addinId: string): Promise<ListingDetail | undefined> {
    const l = await this.listing(addinId);
    if (!l) return undefined;
    const versions = (await this.db.query<VersionRow>("SELECT addin_id, version, sha256, format, tier, supplementary, archived_at, audit FROM store_versions WHERE addin_id = $1 ORDER BY archived_at DESC", [l.id])).rows.map(toVersion);
    const current = await this.versionBytes(l.id, l.version);
    return { ...l, versions, explanation: explainManifest(storedManifest(current!.bytes, current!.sha256)) };
  }

  /** The stored verdicts of archived versions, by `addinId@version` (the admin center and the consent prompt show them). */
  async verdicts(versions: readonly { addinId: string; version: string }[]): Promise<Map<string, StoredVerdict | null>> {
    const out = new Map<string, StoredVerdict | null>();
    if (!versions.length) return out;
    const { rows } = await this.db.query<{ addin_id: string; version: string; audit: unknown }>(
      "SELECT addin_id, version, audit FROM store_versions WHERE (addin_id, version) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
      [versions.map((v) => v.addinId.toLowerCase()), versions.map((v) => v.version)],
    );
    for (const r of rows) out.set(`${r.addin_id}@${r.version}`, (json(r.audit) as StoredVerdict | null) ?? null);
    return out;
  }

  /** Each add-in from the store gets the verdict of its archived version; others (a file, a URL) get null. */
  async withVerdicts<T extends { id: string; version: string; source: string }>(list: readonly T[]): Promise<(T & { audit: StoredVerdict | null })[]> {
    const fromStore = list.filter((x) => x.source === "store");
    const found = await this.verdicts(fromStore.map((x) => ({ addinId: x.id, version: x.version })));
    return list.map((x) => ({ ...x, audit: x.source === "store" ? (found.get(`${x.id.toLowerCase()}@${x.version}`) ?? null) : null }));
  }

  async verdict(addinId: string, version: string): Promise<StoredVerdict | null> {
    return (await this.verdicts([{ addinId, version }])).get(`${addinId.toLowerCase()}@${version}`) ?? null;
  }

  async versionBytes(addinId: string, version: string): Promise<{ bytes: Buffer; sha256: string } | undefined> {
    const { rows } = await this.db.query<{ manifest: Uint8Array; sha256: string }>("SELECT manifest, sha256 FROM store_versions WHERE addin_id = $1 AND version = $2", [addinId.toLowerCase(), version]);
    return rows[0] && { bytes: Buffer.from(rows[0].manifest), sha256: rows[0].sha256 };
  }

  /** The current version of a listed add-in as an install candidate; taken-down or unknown listings are refused. */
  async candidate(addinId: string): Promise<Candidate> {
    const l = await this.listing(addinId);
    if (!l) throw new LifecycleError("not-found", `no store listing for add-in ${addinId}`);
    if (l.status === "taken-down") throw new LifecycleError("taken-down", `${l.name} was taken down by the store operator${l.takedownReason ? `: ${l.takedownReason}` : ""}`);
    const v = (await this.versionBytes(l.id, l.version))!;
    return { source: "store", sourceRef: l.id, bytes: v.bytes, sha256: v.sha256, manifest: storedManifest(v.bytes, v.sha256), addinId: l.id };
  }

  /** Whether the store took this add-in id down (refuses installs of it by any path). */
  async isTakenDown(q: Queryable, addinId: string): Promise<string | undefined> {
    const { rows } = await q.query<{ name: string; takedown_reason: string | null }>("SELECT name, takedown_reason FROM store_listings WHERE addin_id = $1 AND status = 'taken-down'", [addinId.toLowerCase()]);
    return rows[0] ? `${rows[0].name} was taken down by the store operator${rows[0].takedown_reason ? `: ${rows[0].takedown_reason}` : ""}` : undefined;
  }

  async reviews(addinId: string): Promise<Review[]> {
    const { rows } = await this.db.query<{ addin_id: string; email: string; rating: number; text: string; updated_at: Date }>(
      "SELECT r.addin_id, u.email, r.rating, r.text, r.updated_at FROM store_reviews r JOIN users u ON u.id = r.user_id WHERE r.addin_id = $1 ORDER BY r.updated_at DESC",
      [addinId.toLowerCase()],
    );
    return rows.map((r) => ({ addinId: r.addin_id, user: r.email, rating: r.rating, text: r.text, updatedAt: new Date(r.updated_at).toISOString() }));
  }

  /** One review per user per add-in (a second replaces the first). The caller checks the user has it installed. */
  async review(addinId: string, user: { id: string; email: string; tenantId: string }, rating: unknown, text: unknown): Promise<Review> {
    if (typeof rating !== "number" || !Number.isInteger(rating) || rating < 1 || rating > 5) throw new LifecycleError("invalid-request", "rating must be a whole number from 1 to 5");
    if (text !== undefined && (typeof text !== "string" || text.length > 4000)) throw new LifecycleError("invalid-request", "text must be a string of at most 4,000 characters");
    const id = addinId.toLowerCase();
    const l = await this.listing(id);
    if (!l) throw new LifecycleError("not-found", `no store listing for add-in ${id}`);
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ updated_at: Date }>(
        `INSERT INTO store_reviews (addin_id, user_id, rating, text) VALUES ($1, $2, $3, $4)
         ON CONFLICT (addin_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, text = EXCLUDED.text, updated_at = now() RETURNING updated_at`,
        [id, user.id, rating, text ?? ""],
      );
      await audit(tx, { tenantId: user.tenantId, actor: user.email, action: "store.review", target: `addin:${id}`, before: null, after: { rating } });
      return { addinId: id, user: user.email, rating, text: (text as string | undefined) ?? "", updatedAt: new Date(rows[0]!.updated_at).toISOString() };
    });
  }

  /** Takes a listing down: installed copies and deployments are disabled with a notice, open sessions end. */
  async takedown(addinId: string, reason: string, actor: string): Promise<Listing> {
    const id = addinId.toLowerCase();
    if (!reason || reason.length > 1000) throw new LifecycleError("invalid-request", "a takedown needs a reason (at most 1,000 characters)");
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ name: string; status: string }>("SELECT name, status FROM store_listings WHERE addin_id = $1 FOR UPDATE", [id]);
      if (!rows[0]) throw new LifecycleError("not-found", `no store listing for add-in ${id}`);
      if (rows[0].status === "taken-down") return;
      const notice = `${rows[0].name} was taken down by the store operator: ${reason}`;
      await tx.query("UPDATE store_listings SET status = 'taken-down', takedown_reason = $2, taken_down_at = now(), updated_at = now() WHERE addin_id = $1", [id, reason]);
      const { rows: installs } = await tx.query<{ tenant_id: string; mailbox_id: string }>(
        `UPDATE mailbox_addins i SET enabled = false, notice = $2, updated_at = now() FROM mailboxes m
         WHERE m.id = i.mailbox_id AND i.addin_id = $1 AND i.source <> 'admin' RETURNING m.tenant_id, i.mailbox_id`,
        [id, notice],
      );
      const { rows: deps } = await tx.query<{ tenant_id: string }>("UPDATE tenant_deployments SET notice = $2 WHERE addin_id = $1 RETURNING tenant_id", [id, notice]);
      await this.sessions.closeForAddin(id, {}, tx);
      await audit(tx, { tenantId: null, actor, action: "store.takedown", target: `addin:${id}`, before: { status: "listed" }, after: { status: "taken-down", reason } });
      const tenants = new Set([...installs.map((r) => r.tenant_id), ...deps.map((r) => r.tenant_id)]);
      for (const t of tenants)
        await audit(tx, { tenantId: t, actor, action: "store.takedown", target: `addin:${id}`, before: { status: "listed" }, after: { status: "taken-down", reason, disabledInstalls: installs.filter((r) => r.tenant_id === t).length } });
    });
    return (await this.listing(id))!;
  }

  async isOperator(userId: string): Promise<boolean> {
    return (await this.db.query("SELECT 1 FROM store_operators WHERE user_id = $1", [userId])).rows.length > 0;
  }

  async addOperator(userId: string): Promise<void> {
    await this.db.query("INSERT INTO store_operators (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [userId]);
  }
}

export type { Publisher };
