import { randomBytes } from "node:crypto";
import { newId } from "../ids.ts";
import { MailboxError, notFound } from "../errors.ts";
import type { StoreContext } from "./context.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { Tenant, User } from "./types.ts";

/** Tenants, users and login sessions. */
export class Directory {
  constructor(private readonly ctx: StoreContext) {}

  async createTenant(input: { id?: string; name: string; legacyTokensEnabled?: boolean }): Promise<Tenant> {
    const id = input.id ?? newId();
    await this.ctx.db.query("INSERT INTO tenants (id, name, legacy_tokens_enabled) VALUES ($1, $2, $3)", [id, input.name, input.legacyTokensEnabled ?? true]);
    return { id, name: input.name, legacyTokensEnabled: input.legacyTokensEnabled ?? true };
  }

  async getTenant(id: string): Promise<Tenant | undefined> {
    const { rows } = await this.ctx.db.query<TenantRow>("SELECT * FROM tenants WHERE id = $1", [id]);
    return rows[0] && toTenant(rows[0]);
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.ctx.db.query<TenantRow>("SELECT * FROM tenants ORDER BY name")).rows.map(toTenant);
  }

  /** The tenant switch that turns legacy Exchange callback and identity tokens off (Outlook then fails with 9042). */
  async setLegacyTokensEnabled(tenantId: string, enabled: boolean): Promise<void> {
    const { rows } = await this.ctx.db.query("UPDATE tenants SET legacy_tokens_enabled = $2 WHERE id = $1 RETURNING id", [tenantId, enabled]);
    if (rows.length === 0) throw notFound("tenant");
  }

  async createUser(input: { id?: string; tenantId: string; email: string; displayName: string; password?: string; isAdmin?: boolean; timeZone?: string }): Promise<User> {
    const id = input.id ?? newId();
    const hash = input.password === undefined ? null : await hashPassword(input.password);
    try {
      await this.ctx.db.query(
        "INSERT INTO users (id, tenant_id, email, display_name, password_hash, is_admin, time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [id, input.tenantId, input.email, input.displayName, hash, input.isAdmin ?? false, input.timeZone ?? "UTC"],
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new MailboxError("Conflict", `a user with address ${input.email} already exists`);
      throw err;
    }
    return { id, tenantId: input.tenantId, email: input.email, displayName: input.displayName, isAdmin: input.isAdmin ?? false, timeZone: input.timeZone ?? "UTC" };
  }

  async getUser(id: string): Promise<User | undefined> {
    const { rows } = await this.ctx.db.query<UserRow>("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0] && toUser(rows[0]);
  }

  async getUserByEmail(email: string): Promise<User | undefined> {
    const { rows } = await this.ctx.db.query<UserRow>("SELECT * FROM users WHERE lower(email) = lower($1)", [email]);
    return rows[0] && toUser(rows[0]);
  }

  async listUsers(tenantId?: string): Promise<User[]> {
    const { rows } = tenantId
      ? await this.ctx.db.query<UserRow>("SELECT * FROM users WHERE tenant_id = $1 ORDER BY email", [tenantId])
      : await this.ctx.db.query<UserRow>("SELECT * FROM users ORDER BY email");
    return rows.map(toUser);
  }

  /** Returns the user when the password matches; same work whether or not the address exists. */
  async authenticate(email: string, password: string): Promise<User | undefined> {
    const { rows } = await this.ctx.db.query<UserRow>("SELECT * FROM users WHERE lower(email) = lower($1)", [email]);
    const ok = await verifyPassword(password, rows[0]?.password_hash ?? null);
    return ok && rows[0] ? toUser(rows[0]) : undefined;
  }

  async createSession(userId: string, ttlSeconds = 12 * 3600): Promise<{ id: string; expiresAt: Date }> {
    const id = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await this.ctx.db.query("INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3)", [id, userId, expiresAt]);
    return { id, expiresAt };
  }

  async getSessionUser(sessionId: string): Promise<User | undefined> {
    const { rows } = await this.ctx.db.query<UserRow>(
      "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > now()",
      [sessionId],
    );
    return rows[0] && toUser(rows[0]);
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.ctx.db.query("DELETE FROM sessions WHERE id = $1", [sessionId]);
  }

  /** Sets a new password and ends every sign-in session of the user (whatever was bound to them ends too). */
  async setPassword(userId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.ctx.db.transaction(async (tx) => {
      await tx.query("UPDATE users SET password_hash = $2 WHERE id = $1", [userId, hash]);
      await tx.query("DELETE FROM sessions WHERE user_id = $1", [userId]);
    });
  }
}

interface TenantRow {
  id: string;
  name: string;
  legacy_tokens_enabled: boolean;
}
interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  is_admin: boolean;
  time_zone: string;
}
const toTenant = (r: TenantRow): Tenant => ({ id: r.id, name: r.name, legacyTokensEnabled: r.legacy_tokens_enabled });
const toUser = (r: UserRow): User => ({ id: r.id, tenantId: r.tenant_id, email: r.email, displayName: r.display_name, isAdmin: r.is_admin, timeZone: r.time_zone });

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "23505";
}
