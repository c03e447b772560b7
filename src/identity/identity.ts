import type { Db, MailboxStore } from "../mailbox/index.ts";
import { Broker } from "./broker.ts";
import { AuthorizationCodes } from "./codes.ts";
import { Consents } from "./consent.ts";
import { IdentityKeys } from "./keys.ts";
import { AppRegistrations } from "./registrations.ts";
import { IdentityTokens } from "./tokens.ts";

/** Outpost's identity provider over one database: registrations, consent, keys, codes, tokens and the host broker. */
export class Identity {
  readonly registrations: AppRegistrations;
  readonly consents: Consents;
  readonly keys: IdentityKeys;
  readonly tokens: IdentityTokens;
  readonly codes: AuthorizationCodes;
  readonly broker: Broker;

  constructor(
    readonly db: Db,
    readonly directory: MailboxStore["directory"],
    options: { issuerOrigins?: string[] } = {},
  ) {
    this.registrations = new AppRegistrations(db);
    this.consents = new Consents(db);
    this.keys = new IdentityKeys(db);
    this.tokens = new IdentityTokens(db, this.keys, options.issuerOrigins ?? []);
    this.codes = new AuthorizationCodes(db);
    this.broker = new Broker(this);
  }

  private static readonly byStore = new WeakMap<MailboxStore, Identity>();

  /** One provider per store (keys are loaded once per process). OUTPOST_PUBLIC_URL pins the issuer origin. */
  static of(store: MailboxStore): Identity {
    let id = Identity.byStore.get(store);
    if (!id) {
      const pinned = process.env.OUTPOST_PUBLIC_URL;
      Identity.byStore.set(store, (id = new Identity(store.db, store.directory, pinned ? { issuerOrigins: [pinned.replace(/\/$/, "")] } : {})));
    }
    return id;
  }
}
