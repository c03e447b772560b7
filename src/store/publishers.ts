/**
 * Store publishers: an account with a verified-identity flag, an accepted publisher agreement, a privacy-policy
 * URL and a support URL. An account may exist incomplete; a submission from it is refused, naming what is missing.
 */
import type { Db } from "../mailbox/index.ts";
import { newId } from "../mailbox/index.ts";
import { LifecycleError } from "../addins/errors.ts";
import { audit } from "../tenant/audit.ts";
import { isUniqueViolation } from "../mailbox/store/directory.ts";

export interface Publisher {
  id: string;
  name: string;
  ownerUserId: string | null;
  verified: boolean;
  agreementAcceptedAt: string | null;
  privacyUrl: string | null;
  supportUrl: string | null;
  createdAt: string;
}

export interface NewPublisher {
  name: string;
  ownerUserId?: string | null;
  privacyUrl?: string | null;
  supportUrl?: string | null;
  acceptAgreement?: boolean;
  /** Only the operator (CLI, seed) may create a verified publisher directly. */
  verified?: boolean;
}

interface Row {
  id: string;
  name: string;
  owner_user_id: string | null;
  verified: boolean;
  agreement_accepted_at: Date | null;
  privacy_url: string | null;
  support_url: string | null;
  created_at: Date;
}
export const toPublisher = (r: Row): Publisher => ({
  id: r.id,
  name: r.name,
  ownerUserId: r.owner_user_id,
  verified: r.verified,
  agreementAcceptedAt: r.agreement_accepted_at ? new Date(r.agreement_accepted_at).toISOString() : null,
  privacyUrl: r.privacy_url,
  supportUrl: r.support_url,
  createdAt: new Date(r.created_at).toISOString(),
});

/** What keeps a publisher from submitting (empty: nothing). */
export function missingForSubmission(p: Publisher): string[] {
  const missing: string[] = [];
  if (!p.verified) missing.push("a verified identity");
  if (!p.agreementAcceptedAt) missing.push("the accepted publisher agreement");
  if (!p.privacyUrl) missing.push("a privacy-policy URL");
  if (!p.supportUrl) missing.push("a support URL");
  return missing;
}

function checkHttpsUrl(field: string, v: string | null | undefined): string | null {
  if (v === undefined || v === null || v === "") return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new LifecycleError("invalid-request", `${field}: "${v.slice(0, 200)}" is not a URL`);
  }
  if (u.protocol !== "https:") throw new LifecycleError("not-https", `${field} must be an https:// URL`);
  return u.toString();
}

export class Publishers {
  constructor(private readonly db: Db) {}

  async create(input: NewPublisher, actor: string, tenantId: string | null): Promise<Publisher> {
    const name = input.name?.trim();
    if (!name || name.length > 100) throw new LifecycleError("invalid-request", "name: a publisher needs a name of 1–100 characters");
    const privacy = checkHttpsUrl("privacyUrl", input.privacyUrl);
    const support = checkHttpsUrl("supportUrl", input.supportUrl);
    const id = newId();
    try {
      return await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<Row>(
          `INSERT INTO store_publishers (id, name, owner_user_id, verified, agreement_accepted_at, privacy_url, support_url)
           VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, $6, $7) RETURNING *`,
          [id, name, input.ownerUserId ?? null, input.verified ?? false, input.acceptAgreement === true, privacy, support],
        );
        const p = toPublisher(rows[0]!);
        await audit(tx, { tenantId, actor, action: "store.publisher-create", target: `publisher:${p.name}`, before: null, after: p });
        return p;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new LifecycleError("id-claimed", `a publisher named "${name}" already exists`);
      throw err;
    }
  }

  async get(idOrName: string): Promise<Publisher | undefined> {
    const { rows } = await this.db.query<Row>("SELECT * FROM store_publishers WHERE id = $1 OR lower(name) = lower($1) ORDER BY (id = $1) DESC LIMIT 1", [idOrName]);
    return rows[0] && toPublisher(rows[0]);
  }

  async list(): Promise<Publisher[]> {
    return (await this.db.query<Row>("SELECT * FROM store_publishers ORDER BY name")).rows.map(toPublisher);
  }

  async verify(id: string, actor: string): Promise<Publisher> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>("UPDATE store_publishers SET verified = true WHERE id = $1 RETURNING *", [id]);
      if (!rows[0]) throw new LifecycleError("not-found", `publisher ${id} not found`);
      const p = toPublisher(rows[0]);
      await audit(tx, { tenantId: null, actor, action: "store.publisher-verify", target: `publisher:${p.name}`, before: { verified: false }, after: { verified: true } });
      return p;
    });
  }
}
