/**
 * Outpost's identity provider: OpenID Connect discovery and JWKS, authorization code + PKCE, app registrations per
 * add-in, consent per scope (user and admin), revocation, and the host broker for nested app authentication and
 * Office SSO. Domain module: no server imports. See docs/identity.md.
 */
export { Identity } from "./identity.ts";
export { SCOPES, CONSENT_TEXT_VERSION, GRAPH_RESOURCE, GRAPH_APP_ID, SSO_SCOPE, scopeDef, parseScopes, isOidcScope, ScopeError, type ScopeDef } from "./scopes.ts";
export { AppRegistrations, RegistrationError, ScopeNotRegistered, checkRedirectUri, type AppRegistration, type NewRegistration } from "./registrations.ts";
export { Consents, ConsentError, type Grant } from "./consent.ts";
export { IdentityTokens, AccessTokenError, issuerFor, ACCESS_TOKEN_LIFETIME_SECONDS, type AccessClaims, type TokenRefusal } from "./tokens.ts";
export { AuthorizationCodes, OAuthError, checkChallenge, s256 } from "./codes.ts";
export { Broker, type BrokerSubject, type BridgeError, type NaaResult } from "./broker.ts";
export { readTicket, signTicket, type ConsentTicket } from "./tickets.ts";
export { SSO_ERRORS, ssoError } from "./sso-errors.ts";
export { legacyTokenMode, setLegacyTokenMode, legacyTokenError, legacyMemberError, LegacyModeError, LEGACY_TOKEN_MODES, TOKEN_STATUS, type LegacyTokenMode, type LegacyMember } from "./legacy.ts";
export { readManifestAuth, registrationFromManifest, type ManifestAuth } from "./manifest-auth.ts";
