/**
 * Office.auth.getAccessToken (SSO) errors, as the Office host reports them (codes 13000–13013). Facts: Office add-ins
 * documentation, "Troubleshoot error messages for single sign-on"; the wording here is Outpost's own.
 */
export const SSO_ERRORS = {
  13000: { name: "API Not Supported", message: "The identity API is not supported for this add-in: its manifest has no webApplicationInfo (or its registration no SSO resource)." },
  13001: { name: "User Not Signed In", message: "No user is signed in to Outpost." },
  13002: { name: "User Aborted", message: "The user cancelled the sign-in or the consent." },
  13003: { name: "Unsupported User Type", message: "The user's account type does not support single sign-on (modern authentication is off)." },
  13004: { name: "Invalid Resource", message: "The add-in's webApplicationInfo resource does not match its domain." },
  13005: { name: "Invalid Grant", message: "The add-in has not been granted access to the user's profile: consent is needed." },
  13006: { name: "Client Error", message: "The host could not complete the request; sign in again." },
  13007: { name: "Token Unavailable", message: "The host could not get a token for the add-in." },
  13008: { name: "Operation In Progress", message: "A previous getAccessToken call has not completed yet." },
  13012: { name: "Not Supported Here", message: "getAccessToken is not supported on this platform or in this runtime." },
} as const;
export type SsoErrorCode = keyof typeof SSO_ERRORS;

export function ssoError(code: SsoErrorCode): { code: number; name: string; message: string } {
  return { code, ...SSO_ERRORS[code] };
}
