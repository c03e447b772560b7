/**
 * Consent per scope: a user's own, or an admin's for every user of the tenant. A token is only as good as the consent
 * behind it: verification (tokens.ts) checks that each scope it carries is still granted and was granted before the
 * token was issued, so revoking consent ends every token issued under it at once, and re-granting does not revive them.
 */
import type { Db } from "../mailbox/index.ts";
import { CONSENT_TEXT_VERSION, isOidcScope, scopeDef } from "./scopes.ts";

export interface Grant {
  scope: string;
  /** null: an admin's consent for every user of the tenant. */
  userId: string | null;
  grantedBy: string;
  grantedAt: Date;
  consentTextVersion: number;
}

export class ConsentError extends Error {
  constructor(
    readonly reason: "admin-consent-required" | "unknown-scope" | "not-registered",
    message: string,
  ) {
    super(message);
    this.name = "ConsentError";
  }
}

export class Consents {
  constructor(private readonly db: Db) {}

  /**
   * Records consent to `scopes` (sign-in scopes need none and are skipped). `userId` null: admin consent for the
   * tenant. A user cannot consent to a scope that needs an admin. Already granted scopes keep their original time.
   */
  async grant(input: { tenantId: string; clientId: string; userId: string | null; scopes: readonly string[]; grantedBy: string; registered: readonly string[] }): Promise<string[]> {
    const added: string[] = [];
    for (const s of input.scopes) {
      const d = scopeDef(s);
      if (!d) throw new ConsentError("unknown-scope", `The scope '${s.slice(0, 100)}' does not exist.`);
      if (d.oidc) continue;
      if (!input.registered.includes(d.name)) throw new ConsentError("not-registered", `The application's registration does not ask for '${d.name}'.`);
      if (input.userId !== null && d.adminConsentRequired) throw new ConsentError("admin-consent-required", `'${d.name}' needs an administrator's consent.`);
    }
    await this.db.transaction(async (tx) => {
      for (const s of input.scopes) {
        const d = scopeDef(s)!;
        if (d.oidc) continue;
        const { rows } = await tx.query(
          `INSERT INTO oauth_grants (tenant_id, client_id, user_id, scope, granted_by, consent_text_version) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING RETURNING id`,
          [input.tenantId, input.clientId, input.userId, d.name, input.grantedBy, CONSENT_TEXT_VERSION],
        );
        if (rows.length) added.push(d.name);
      }
    });
    return added;
  }

  /** Withdraws consent (all scopes when `scopes` is absent). Tokens issued under it stop working at their next use. */
  async revoke(input: { tenantId: string; clientId: string; userId: string | null; scopes?: readonly string[] }): Promise<number> {
    const names = input.scopes?.map((s) => scopeDef(s)?.name ?? s);
    const { rows } = await this.db.query(
      `DELETE FROM oauth_grants WHERE tenant_id = $1 AND client_id = $2 AND coalesce(user_id, '') = coalesce($3, '')
         AND ($4::jsonb IS NULL OR scope IN (SELECT jsonb_array_elements_text($4::jsonb))) RETURNING id`,
      [input.tenantId, input.clientId, input.userId, names ? JSON.stringify(names) : null],
    );
    return rows.length;
  }

  /** Every grant in force for this user and app: the user's own and the tenant-wide admin ones. */
  async list(tenantId: string, clientId: string, userId: string | null): Promise<Grant[]> {
    const { rows } = await this.db.query<{ scope: string; user_id: string | null; granted_by: string; granted_at: Date; consent_text_version: number }>(
      `SELECT scope, user_id, granted_by, granted_at, consent_text_version FROM oauth_grants
        WHERE tenant_id = $1 AND client_id = $2 AND (user_id IS NULL OR user_id = $3) ORDER BY scope, user_id NULLS FIRST`,
      [tenantId, clientId, userId],
    );
    return rows.map((r) => ({ scope: r.scope, userId: r.user_id, grantedBy: r.granted_by, grantedAt: new Date(r.granted_at), consentTextVersion: r.consent_text_version }));
  }

  /** Every app the user (or the tenant's admins) consented to, for "apps with access to my data" screens and the CLI. */
  async listForUser(tenantId: string, userId: string): Promise<Array<{ clientId: string } & Grant>> {
    const { rows } = await this.db.query<{ client_id: string; scope: string; user_id: string | null; granted_by: string; granted_at: Date; consent_text_version: number }>(
      `SELECT client_id, scope, user_id, granted_by, granted_at, consent_text_version FROM oauth_grants
        WHERE tenant_id = $1 AND (user_id IS NULL OR user_id = $2) ORDER BY client_id, scope`,
      [tenantId, userId],
    );
    return rows.map((r) => ({ clientId: r.client_id, scope: r.scope, userId: r.user_id, grantedBy: r.granted_by, grantedAt: new Date(r.granted_at), consentTextVersion: r.consent_text_version }));
  }

  /** The requested scopes without consent in force (sign-in scopes never need any). */
  async missing(tenantId: string, clientId: string, userId: string, scopes: readonly string[]): Promise<string[]> {
    const have = new Set((await this.list(tenantId, clientId, userId)).map((g) => g.scope));
    return scopes.filter((s) => !isOidcScope(s) && !have.has(s));
  }
}
