/**
 * Optional connected experiences turned off, per client platform (reference §6, current docs): on Windows and Mac
 * the store entry point is gone and users cannot install; on Android and iOS only admin-deployed add-ins run; the
 * browser clients (Outlook on the web, new Outlook on Windows) are unaffected.
 */
import { CLIENT_IDS, isClientId, type ClientId } from "../activation/index.ts";

export interface OceEffect {
  /** The user may install add-ins themselves (store, file, URL). */
  userInstalls: boolean;
  /** The store can be browsed. */
  store: boolean;
  /** Only admin-deployed add-ins run. */
  onlyAdminDeployed: boolean;
}

const UNAFFECTED: OceEffect = { userInstalls: true, store: true, onlyAdminDeployed: false };

export const OCE_OFF: Readonly<Record<ClientId, OceEffect>> = {
  web: UNAFFECTED,
  "new-windows": UNAFFECTED,
  windows: { userInstalls: false, store: false, onlyAdminDeployed: false },
  mac: { userInstalls: false, store: false, onlyAdminDeployed: false },
  ios: { userInstalls: false, store: false, onlyAdminDeployed: true },
  android: { userInstalls: false, store: false, onlyAdminDeployed: true },
};

export type OceSettings = Record<ClientId, boolean>;

export function defaultOce(): OceSettings {
  return Object.fromEntries(CLIENT_IDS.map((c) => [c, true])) as OceSettings;
}

/** What applies to `client` under the tenant's settings (unknown clients count as the browser). */
export function oceEffect(settings: OceSettings, client: string | undefined): OceEffect & { client: ClientId; off: boolean } {
  const id: ClientId = client && isClientId(client) ? client : "web";
  const off = settings[id] === false;
  return { client: id, off, ...(off ? OCE_OFF[id] : UNAFFECTED) };
}
