/**
 * The lifecycle plane over one database: the user's installs, the tenant's policies, groups, deployments and
 * audit log, and the store. Holds no state between calls (several app servers share the database).
 */
import type { Db, MailboxStore } from "../mailbox/index.ts";
import { SqlSessionStore } from "../runtime/sessions/sql-store.ts";
import { StoreCatalog } from "../store/catalog.ts";
import { AuditLog } from "../tenant/audit.ts";
import { TenantDeployments, type Deployment, type Target } from "../tenant/deployments.ts";
import { TenantGroups } from "../tenant/groups.ts";
import { TenantPolicies, type TenantPolicy } from "../tenant/policy.ts";
import type { Candidate } from "./candidate.ts";
import { LifecycleError } from "./errors.ts";
import type { FetchManifestOptions } from "./fetch-manifest.ts";
import { Installs, type InstallInput } from "./installs.ts";

export interface LifecycleOptions {
  /** For URL installs and deployments (tests trust their own CA and local addresses here). */
  fetch?: FetchManifestOptions;
}

export class Lifecycle {
  readonly catalog: StoreCatalog;
  readonly installs: Installs;
  readonly policies: TenantPolicies;
  readonly groups: TenantGroups;
  readonly deployments: TenantDeployments;
  readonly auditLog: AuditLog;
  private readonly sessions: SqlSessionStore;

  constructor(
    readonly db: Db,
    options: LifecycleOptions = {},
  ) {
    this.catalog = new StoreCatalog(db);
    this.installs = new Installs(db, this.catalog, options.fetch);
    this.policies = new TenantPolicies(db);
    this.groups = new TenantGroups(db);
    this.deployments = new TenantDeployments(db);
    this.auditLog = new AuditLog(db);
    this.sessions = new SqlSessionStore(db);
  }

  static of(store: MailboxStore, options: LifecycleOptions = {}): Lifecycle {
    return new Lifecycle(store.db, options);
  }

  /** Centralized deployment (no user consent). Refuses add-ins the store took down. */
  async deploy(tenantId: string, input: InstallInput | Candidate, targets: Target[], mandatory: boolean, actor: string): Promise<Deployment> {
    const c = "sha256" in input ? input : await this.installs.resolve(input);
    return this.deployments.deploy(tenantId, c, targets, mandatory, actor, async (tx) => {
      const takenDown = await this.catalog.isTakenDown(tx, c.addinId);
      if (takenDown) throw new LifecycleError("taken-down", takenDown);
    });
  }

  /** Removes a deployment; open sessions of users who no longer have the add-in end at their next call. */
  async undeploy(tenantId: string, addinId: string, actor: string): Promise<void> {
    await this.deployments.undeploy(tenantId, addinId, actor, async (tx) => {
      const { rows } = await tx.query<{ user_id: string }>(
        "SELECT m.owner_user_id AS user_id FROM mailbox_addins i JOIN mailboxes m ON m.id = i.mailbox_id WHERE i.addin_id = $1 AND i.source <> 'admin' AND i.enabled AND m.tenant_id = $2 AND m.owner_user_id IS NOT NULL",
        [addinId.toLowerCase(), tenantId],
      );
      await this.sessions.closeForAddin(addinId, { tenantId, exceptUserIds: rows.map((r) => r.user_id) }, tx);
    });
  }

  /** Enables or disables an add-in for the organisation; disabling ends its open sessions in the tenant. */
  async setAddinEnabled(tenantId: string, addinId: string, enabled: boolean, actor: string): Promise<TenantPolicy> {
    return this.policies.setAddinEnabled(tenantId, addinId, enabled, actor, async (tx) => {
      if (!enabled) await this.sessions.closeForAddin(addinId, { tenantId }, tx);
    });
  }
}
