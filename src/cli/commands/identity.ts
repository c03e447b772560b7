/**
 * `outpost identity …`: the identity provider from the command line — app registrations (by hand or from a
 * manifest's WebApplicationInfo), consent (user or admin), revocation, the scope catalogue, legacy-token modes.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { Identity, LEGACY_TOKEN_MODES, LegacyModeError, RegistrationError, ConsentError, SCOPES, legacyTokenMode, readManifestAuth, registrationFromManifest, setLegacyTokenMode, type LegacyTokenMode, type NewRegistration } from "../../identity/index.ts";
import type { MailboxStore } from "../../mailbox/index.ts";
import { CliError, UsageError, printJson } from "../output.ts";
import { openCliStore } from "./mailbox.ts";

interface Common {
  data?: string;
  json?: boolean;
}
const collect = (v: string, prev: string[] = []) => [...prev, v];

async function withStore<T>(opts: Common, fn: (store: MailboxStore, identity: Identity) => Promise<T>): Promise<T> {
  const store = await openCliStore(opts);
  try {
    return await fn(store, Identity.of(store));
  } catch (e) {
    if (e instanceof RegistrationError || e instanceof ConsentError || e instanceof LegacyModeError) throw new CliError(e.message);
    throw e;
  } finally {
    await store.close();
  }
}

async function userByAddress(store: MailboxStore, address: string) {
  const user = await store.directory.getUserByEmail(address);
  if (!user) throw new CliError(`--user ${address}: no such user`);
  return user;
}

export function registerIdentityCommands(program: Command): void {
  const id = program.command("identity").description("Outpost's identity provider: app registrations, consent, revocation, Graph scopes, legacy-token modes");

  id.command("register")
    .description("Register an add-in's app (client id, redirect URIs, Graph scopes, SSO resource); --manifest reads WebApplicationInfo")
    .option("--manifest <file>", "take the add-in id, name, client id, resource and scopes from this manifest")
    .option("--client-id <id>", "the client id MSAL.js names (default: WebApplicationInfo Id, else a new GUID)")
    .option("--addin <id>", "the add-in id (manifest Id) the registration belongs to")
    .option("--name <name>", "display name shown on consent screens")
    .option("--publisher <name>", "publisher shown on consent screens")
    .option("--redirect-uri <uri>", "redirect URI (repeatable); for NAA: brk-multihub://<add-in domain>", collect)
    .option("--scope <scope>", "Graph scope the app asks for (repeatable)", collect)
    .option("--sso-resource <uri>", "Office SSO resource (api://<domain>/<client id>)")
    .option("--tenant <id>", "only this tenant may use it (default: every tenant)")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "print the registration as JSON")
    .action(async (opts: Common & { manifest?: string; clientId?: string; addin?: string; name?: string; publisher?: string; redirectUri?: string[]; scope?: string[]; ssoResource?: string; tenant?: string }) => {
      let input: NewRegistration;
      if (opts.manifest) {
        const auth = readManifestAuth(await readFile(opts.manifest, "utf8").catch(() => Promise.reject(new CliError(`${opts.manifest}: cannot read the file`))), opts.manifest);
        if (auth.problems.length) throw new CliError(auth.problems.join("\n"));
        input = registrationFromManifest(auth);
      } else {
        if (!opts.name) throw new UsageError("--name is required (or --manifest)");
        input = { displayName: opts.name };
      }
      input = {
        ...input,
        ...(opts.clientId ? { clientId: opts.clientId } : {}),
        ...(opts.addin ? { addinId: opts.addin } : {}),
        ...(opts.name ? { displayName: opts.name } : {}),
        ...(opts.publisher ? { publisher: opts.publisher } : {}),
        ...(opts.redirectUri ? { redirectUris: opts.redirectUri } : {}),
        ...(opts.scope ? { scopes: [...(input.scopes ?? []), ...opts.scope] } : {}),
        ...(opts.ssoResource ? { ssoResource: opts.ssoResource } : {}),
        tenantId: opts.tenant ?? null,
      };
      const reg = await withStore(opts, async (store, identity) => {
        if (opts.tenant && !(await store.directory.getTenant(opts.tenant))) throw new CliError(`--tenant ${opts.tenant}: no such tenant`);
        return identity.registrations.create(input);
      });
      if (opts.json) printJson(reg);
      else console.log(`registered ${reg.displayName}: client id ${reg.clientId}, scopes ${reg.scopes.join(" ") || "(none)"}, redirect URIs ${reg.redirectUris.join(" ") || "(none)"}`);
    });

  id.command("list")
    .description("List app registrations")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "one registration per line as JSON")
    .action(async (opts: Common) => {
      const regs = await withStore(opts, (_s, identity) => identity.registrations.list());
      for (const r of regs) opts.json ? printJson(r) : console.log(`${r.clientId}  ${r.displayName}  add-in ${r.addinId ?? "-"}  scopes ${r.scopes.join(" ")}`);
    });

  const grantOpts = (c: Command) =>
    c
      .requiredOption("--client-id <id>", "the app registration")
      .option("--user <address>", "the user consenting (or whose consent is withdrawn)")
      .option("--admin", "tenant-wide consent by an administrator (with --tenant)")
      .option("--tenant <id>", "the tenant, for --admin")
      .option("--scope <scope>", "a scope (repeatable; default: every scope the registration asks for)", collect)
      .option("--data <dir>", "embedded store folder", "./data")
      .option("--json", "print the result as JSON");
  type GrantOpts = Common & { clientId: string; user?: string; admin?: boolean; tenant?: string; scope?: string[] };
  const subject = async (store: MailboxStore, opts: GrantOpts) => {
    if (opts.admin) {
      if (!opts.tenant || !(await store.directory.getTenant(opts.tenant))) throw new UsageError("--admin needs --tenant <existing tenant id>");
      return { tenantId: opts.tenant, userId: null, by: `admin:${opts.tenant}` };
    }
    if (!opts.user) throw new UsageError("--user <address> or --admin --tenant <id> is required");
    const u = await userByAddress(store, opts.user);
    return { tenantId: u.tenantId, userId: u.id, by: u.id };
  };

  grantOpts(id.command("consent").description("Record consent to an app's scopes, as the user would on the consent screen")).action(async (opts: GrantOpts) => {
    const granted = await withStore(opts, async (store, identity) => {
      const reg = await identity.registrations.get(opts.clientId);
      if (!reg) throw new CliError(`--client-id ${opts.clientId}: no such registration`);
      const s = await subject(store, opts);
      return identity.consents.grant({ tenantId: s.tenantId, clientId: reg.clientId, userId: s.userId, scopes: opts.scope ?? reg.scopes, grantedBy: s.by, registered: reg.scopes });
    });
    opts.json ? printJson({ granted }) : console.log(granted.length ? `granted ${granted.join(" ")}` : "nothing new to grant");
  });

  grantOpts(id.command("revoke").description("Withdraw consent; tokens issued under it stop working at their next use")).action(async (opts: GrantOpts) => {
    const removed = await withStore(opts, async (store, identity) => {
      const s = await subject(store, opts);
      return identity.consents.revoke({ tenantId: s.tenantId, clientId: opts.clientId, userId: s.userId, ...(opts.scope ? { scopes: opts.scope } : {}) });
    });
    opts.json ? printJson({ removed }) : console.log(`withdrew ${removed} grant(s)`);
  });

  id.command("grants")
    .description("The apps a user (or their organisation) consented to, scope by scope")
    .requiredOption("--user <address>", "the user")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "one grant per line as JSON")
    .action(async (opts: Common & { user: string }) => {
      const grants = await withStore(opts, async (store, identity) => {
        const u = await userByAddress(store, opts.user);
        return identity.consents.listForUser(u.tenantId, u.id);
      });
      for (const g of grants) opts.json ? printJson(g) : console.log(`${g.clientId}  ${g.scope}  ${g.userId ? "user" : "admin (organisation)"}  ${g.grantedAt.toISOString()}`);
    });

  id.command("scopes")
    .description("The Graph scopes Outpost knows, with the consent text users and admins see")
    .option("--json", "one scope per line as JSON")
    .action((opts: { json?: boolean }) => {
      for (const s of SCOPES) opts.json ? printJson(s) : console.log(`${s.name.padEnd(22)} ${s.adminConsentRequired ? "admin " : "user  "} ${s.userText}`);
    });

  id.command("legacy-tokens <tenant> [mode]")
    .description(`Show or set a tenant's legacy Exchange token mode: ${LEGACY_TOKEN_MODES.join(" | ")} (removed is final)`)
    .option("--force", "allow leaving 'removed' (test setups only)")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "print the mode as JSON")
    .action(async (tenant: string, mode: string | undefined, opts: Common & { force?: boolean }) => {
      if (mode !== undefined && !(LEGACY_TOKEN_MODES as readonly string[]).includes(mode)) throw new UsageError(`mode must be one of ${LEGACY_TOKEN_MODES.join(", ")}, not "${mode}"`);
      const now = await withStore(opts, async (store) => {
        if (mode) await setLegacyTokenMode(store.db, tenant, mode as LegacyTokenMode, { force: opts.force });
        const m = await legacyTokenMode(store.db, tenant);
        if (!m) throw new CliError(`${tenant}: no such tenant`);
        return m;
      });
      opts.json ? printJson({ tenant, mode: now }) : console.log(`${tenant}: legacy tokens ${now}`);
    });
}
