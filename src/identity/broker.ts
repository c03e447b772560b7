/**
 * The host's token broker, as Outlook plays it for nested app authentication (MSAL.js createNestablePublicClientApplication)
 * and for Office.auth.getAccessToken (SSO). The subject comes from the bridge session the host page holds (user,
 * tenant, add-in), never from the add-in. Answers use MSAL's nested-app-auth shapes (BridgeError statuses, token
 * and account objects) so MSAL maps them to the errors it documents; see node_modules/@azure/msal-browser/src/naa.
 */
import type { User } from "../mailbox/index.ts";
import type { Identity } from "./identity.ts";
import { ownApiRequest, ScopeNotRegistered, type AppRegistration } from "./registrations.ts";
import { ScopeError, SSO_SCOPE, scopeDef } from "./scopes.ts";
import { ssoError, type SsoErrorCode } from "./sso-errors.ts";
import { signTicket } from "./tickets.ts";
import { issuerFor } from "./tokens.ts";

export interface BrokerSubject {
  tenantId: string;
  userId: string;
  addinId: string;
  /** Origin of the add-in's frame, as the host page saw it (for the brk-multihub redirect URI check). */
  origin?: string;
}

/** MSAL's BridgeStatusCode values. */
export type BridgeStatus = "USER_INTERACTION_REQUIRED" | "USER_CANCEL" | "NO_NETWORK" | "TRANSIENT_ERROR" | "PERSISTENT_ERROR" | "DISABLED" | "ACCOUNT_UNAVAILABLE" | "NESTED_APP_AUTH_UNAVAILABLE";

export interface BridgeError {
  status: BridgeStatus;
  code?: string;
  subError?: string;
  description?: string;
}

export interface NaaAccount {
  homeAccountId: string;
  environment: string;
  tenantId: string;
  username: string;
  localAccountId: string;
  name: string;
  loginHint: string;
}

export interface NaaToken {
  access_token: string;
  expires_in: number;
  id_token: string;
  properties: null;
  scope: string;
  authority: string;
}

export type NaaResult = { ok: true; token: NaaToken; account: NaaAccount } | { ok: false; error: BridgeError; consentNeeded?: string[] };

type NaaFailure = Extract<NaaResult, { ok: false }>;
const fail = (status: BridgeStatus, code: string, description: string, subError?: string): NaaFailure => ({ ok: false, error: { status, code, description, ...(subError ? { subError } : {}) } });

export class Broker {
  constructor(private readonly identity: Identity) {}

  account(user: User, issuerBase: string): NaaAccount {
    return {
      homeAccountId: `${user.id}.${user.tenantId}`,
      environment: new URL(issuerBase).host,
      tenantId: user.tenantId,
      username: user.email,
      localAccountId: user.id,
      name: user.displayName,
      loginHint: user.email,
    };
  }

  /** GetInitContext: what MSAL learns about the host before any request. */
  async initContext(subject: BrokerSubject, issuerBase: string) {
    const user = await this.user(subject);
    return {
      sdkName: "outpost-naa-broker",
      sdkVersion: "1.0.0",
      capabilities: { queryAccount: false },
      ...(user ? { accountContext: { homeAccountId: `${user.id}.${user.tenantId}`, environment: new URL(issuerBase).host, tenantId: user.tenantId } } : {}),
    };
  }

  /** GetToken (silent). Consent missing: USER_INTERACTION_REQUIRED / consent_required, as Entra ID answers MSAL. */
  async token(subject: BrokerSubject, request: { clientId?: unknown; scope?: unknown }, issuerBase: string): Promise<NaaResult> {
    const checked = await this.check(subject, request);
    if ("error" in checked) return checked.error;
    const { user, reg, scopes, api } = checked;
    // The add-in's own API scope (access_as_user) needs no Graph consent, as for Office SSO tokens.
    const missing = await this.identity.consents.missing(user.tenantId, reg.clientId, user.id, scopes.filter((s) => s !== SSO_SCOPE));
    if (missing.length) {
      const adminOnly = missing.filter((s) => scopeDef(s)?.adminConsentRequired);
      if (adminOnly.length)
        return { ...fail("USER_INTERACTION_REQUIRED", "consent_required", `AADSTS90094: ${adminOnly.join(", ")} need an administrator's consent for ${reg.displayName}.`, "consent_required"), consentNeeded: missing };
      return { ...fail("USER_INTERACTION_REQUIRED", "consent_required", `AADSTS65001: The user has not consented to ${missing.join(", ")} for ${reg.displayName}.`, "consent_required"), consentNeeded: missing };
    }
    const access = await this.identity.tokens.issueAccessToken({ issuerBase, user, clientId: reg.clientId, scopes, ...(api ? { audience: api.audience } : {}) });
    const idToken = await this.identity.tokens.issueIdToken({ issuerBase, user, clientId: reg.clientId });
    return {
      ok: true,
      token: { access_token: access.token, expires_in: access.expiresIn, id_token: idToken, properties: null, scope: api ? [...scopes.filter((s) => s !== SSO_SCOPE), api.requested].join(" ") : scopes.join(" "), authority: issuerFor(issuerBase, user.tenantId).replace(/\/v2\.0$/, "") },
      account: this.account(user, issuerBase),
    };
  }

  /**
   * GetTokenPopup's first half: a consent ticket for the dialog when consent is missing and a user may give it.
   * Scopes that need an administrator cannot be consented to here: the caller reports the error.
   */
  async consentTicket(subject: BrokerSubject, request: { clientId?: unknown; scope?: unknown }): Promise<{ ticket: string; scopes: string[] } | { error: BridgeError } | { none: true }> {
    const checked = await this.check(subject, request);
    if ("error" in checked) return { error: checked.error.error };
    const { user, reg, scopes } = checked;
    const missing = await this.identity.consents.missing(user.tenantId, reg.clientId, user.id, scopes.filter((s) => s !== SSO_SCOPE));
    if (!missing.length) return { none: true };
    const adminOnly = missing.filter((s) => scopeDef(s)?.adminConsentRequired);
    if (adminOnly.length) return { error: { status: "PERSISTENT_ERROR", code: "access_denied", subError: "consent_required", description: `AADSTS90094: ${adminOnly.join(", ")} need an administrator's consent; ask your admin to approve ${reg.displayName}.` } };
    return { ticket: await signTicket(this.identity.keys, { tenantId: user.tenantId, userId: user.id, clientId: reg.clientId, scopes: missing }), scopes: missing };
  }

  /** Office.auth.getAccessToken: a token for the add-in's own API (webApplicationInfo resource), scope access_as_user. */
  async sso(subject: BrokerSubject, issuerBase: string): Promise<{ ok: true; token: string } | { ok: false; error: ReturnType<typeof ssoError> }> {
    const user = await this.user(subject);
    const err = (code: SsoErrorCode) => ({ ok: false as const, error: ssoError(code) });
    if (!user) return err(13001);
    const reg = await this.identity.registrations.forAddin(subject.addinId);
    if (!reg?.ssoResource) return err(13000);
    if (reg.tenantId && reg.tenantId !== user.tenantId) return err(13007);
    if (subject.origin && reg.ssoResource.startsWith("api://")) {
      const host = reg.ssoResource.slice("api://".length).split("/")[0];
      if (host && new URL(subject.origin).host !== host) return err(13004);
    }
    const access = await this.identity.tokens.issueAccessToken({ issuerBase, user, clientId: reg.clientId, scopes: [SSO_SCOPE], audience: reg.ssoResource });
    return { ok: true, token: access.token };
  }

  private async user(subject: BrokerSubject): Promise<User | undefined> {
    const user = await this.identity.directory.getUser(subject.userId);
    return user && user.tenantId === subject.tenantId ? user : undefined;
  }

  private async check(subject: BrokerSubject, request: { clientId?: unknown; scope?: unknown }): Promise<{ user: User; reg: AppRegistration; scopes: string[]; api?: { audience: string; requested: string } } | { error: NaaFailure }> {
    const user = await this.user(subject);
    if (!user) return { error: fail("ACCOUNT_UNAVAILABLE", "no_account", "No signed-in account is available to the host.") };
    if (typeof request.clientId !== "string" || typeof request.scope !== "string") return { error: fail("PERSISTENT_ERROR", "invalid_request", "clientId and scope are required.") };
    const reg = await this.identity.registrations.get(request.clientId);
    if (!reg) return { error: fail("PERSISTENT_ERROR", "unauthorized_client", `AADSTS700016: Application with identifier '${request.clientId.slice(0, 100)}' was not found in the directory.`) };
    if (reg.tenantId && reg.tenantId !== user.tenantId) return { error: fail("PERSISTENT_ERROR", "unauthorized_client", `AADSTS700016: Application '${reg.clientId}' is not registered in the user's organisation.`) };
    // An add-in may only use its own registration: the client id of another add-in is refused whatever it asks.
    if (reg.addinId !== subject.addinId) return { error: fail("PERSISTENT_ERROR", "unauthorized_client", `Application '${reg.clientId}' is not registered for this add-in.`) };
    if (subject.origin) {
      const broker = `brk-multihub://${new URL(subject.origin).host}`;
      if (!reg.redirectUris.some((u) => u.replace(/\/$/, "") === broker))
        return { error: fail("PERSISTENT_ERROR", "invalid_request", `AADSTS50011: The redirect URI '${broker}' specified in the request does not match the redirect URIs configured for the application '${reg.clientId}'.`) };
    }
    try {
      const api = ownApiRequest(reg, request.scope);
      if (api) return { user, reg, scopes: api.scopes, api };
      return { user, reg, scopes: this.identity.registrations.requestable(reg, request.scope) };
    } catch (e) {
      if (e instanceof ScopeError || e instanceof ScopeNotRegistered) return { error: fail("PERSISTENT_ERROR", "invalid_scope", `AADSTS70011: ${e.message}`) };
      throw e;
    }
  }
}
