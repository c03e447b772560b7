/** The auditor's rules as code-scanning tools see them: stable ids, a short and a full description, help text. */
import type { FindingLevel, RuleId } from "../types.ts";

export interface RuleMeta {
  /** Stable SARIF rule id. */
  id: string;
  name: string;
  short: string;
  help: string;
  level: FindingLevel;
}

export const RULES: Readonly<Record<RuleId, RuleMeta>> = {
  "over-privileged": { id: "OPA001", name: "OverPrivileged", level: "warning", short: "The manifest asks a higher tier than the code needs.", help: "Lower <Permissions> (XML) or authorization.permissions.resourceSpecific (unified manifest) to the tier the auditor names. Every level above what the code uses is access an attacker who controls the add-in's web server gets for free." },
  "under-privileged": { id: "OPA002", name: "UnderPrivileged", level: "error", short: "The code uses members above the tier the manifest asks.", help: "Outlook refuses these calls at run time (thrown elevated-permission error, withheld data, or an async error). Raise the tier, or remove or guard the use." },
  exact: { id: "OPA003", name: "ExactTier", level: "note", short: "The manifest asks exactly the tier the code needs.", help: "Nothing to do: the manifest already asks for the least privilege the evidence supports." },
  "member-use": { id: "OPA004", name: "MemberUse", level: "note", short: "An Office.js member the code uses, with the tier it needs.", help: "Evidence for the verdict: each use maps to a row of Outpost's permission table (docs/reference/permissions.md)." },
  "unresolved-member": { id: "OPA005", name: "UnresolvedMember", level: "warning", short: "A member reached through a name or body the auditor cannot compute.", help: "Use a literal member name (item.subject rather than item[name]) or a literal SOAP body so the audit can see what is used; until then the verdict may miss it." },
  "unknown-member": { id: "OPA006", name: "UnknownMember", level: "warning", short: "A member under Office.context.mailbox that the permission table does not know.", help: "Check the spelling against the Office.js reference; a member Outlook does not have is undefined at run time." },
  "legacy-token": { id: "OPA007", name: "LegacyExchangeToken", level: "warning", short: "Depends on a legacy Exchange token (callback/identity token, EWS).", help: "Legacy Exchange Online tokens are switched off in every Microsoft 365 tenant: the call fails (9042 / GenericTokenError). Move to nested app authentication and Microsoft Graph; for attachments, getAttachmentContentAsync." },
  "supplementary-missing": { id: "OPA008", name: "SupplementaryMissing", level: "error", short: "A member needs a supplementary permission the manifest does not declare.", help: "Declare it: AppendOnSend as <ExtendedPermission> in VersionOverrides V1_1, SharedFolder as <SupportsSharedFolders>; in the unified manifest, Mailbox.AppendOnSend.User / Mailbox.SharedFolder. Without it Outlook answers 9047." },
  "supplementary-unused": { id: "OPA009", name: "SupplementaryUnused", level: "warning", short: "A supplementary permission is declared but nothing uses it.", help: "Remove the declaration: least privilege applies to supplementary permissions too." },
  "manifest-mismatch": { id: "OPA010", name: "ManifestMismatch", level: "warning", short: "The XML and unified JSON manifests of one add-in disagree.", help: "Users get a different add-in depending on which manifest their client reads; make them agree (outpost manifest convert produces one from the other)." },
  "unreadable-input": { id: "OPA011", name: "UnreadableInput", level: "error", short: "A file could not be read or parsed.", help: "The rest of the audit went on without it; the verdict may miss what it contains." },
  "rest-call": { id: "OPA012", name: "RestRequest", level: "note", short: "A REST or EWS request sent with a token from the add-in.", help: "A read of the current item with the callback token needs ReadItem; a write, or any other item, needs ReadWriteMailbox." },
  "ews-operation": { id: "OPA013", name: "EwsOperation", level: "note", short: "The EWS operation a makeEwsRequestAsync body performs.", help: "makeEwsRequestAsync needs ReadWriteMailbox whatever the operation, and only the whitelisted operations succeed." },
  "trace-not-in-code": { id: "OPA014", name: "TraceNotInCode", level: "warning", short: "A member ran but the static analysis did not find it.", help: "The code audited is not the code that ran, or it reaches the member in a way the auditor cannot follow; pass the missing files with --code." },
  "not-in-declared-forms": { id: "OPA015", name: "NotInDeclaredForms", level: "warning", short: "A member that does not exist in the forms the manifest declares.", help: "The member is absent in that mode (read vs compose); the code path cannot work as written." },
  "activation-rule": { id: "OPA016", name: "ActivationRule", level: "note", short: "An activation rule that needs a tier of its own.", help: "Regular-expression and attachment rules need ReadItem." },
  "graph-call": { id: "OPA018", name: "GraphRequest", level: "note", short: "A Microsoft Graph request the code makes, with the scope it needs.", help: "Evidence for the Graph verdict: each request maps to a route of Outpost's Graph surface and the scopes that route accepts (src/graph/operations.ts, the table the routes enforce). A URL no route matches is listed and not judged." },
  "graph-scope-missing": { id: "OPA019", name: "GraphScopeMissing", level: "error", short: "A Graph call needs a scope the add-in does not ask for.", help: "Graph answers 403 ErrorAccessDenied (or the broker invalid_scope when MSAL asks for a scope the registration lacks). Add the least privileged scope named to WebApplicationInfo/Scopes and the app registration; another user's mailbox needs the .Shared variant." },
  "graph-scope-excess": { id: "OPA020", name: "GraphScopeExcess", level: "warning", short: "The add-in asks for a Graph scope no call needs, or a broader one than the calls need.", help: "Ask for the least privileged scope that covers the calls: Mail.Read to read bodies and attachments, Mail.ReadBasic when $select leaves bodies out, Mail.ReadWrite only to change mail, Mail.Send only to send." },
  "graph-scope": { id: "OPA021", name: "GraphScopeUnknown", level: "warning", short: "A scope request or declaration the auditor cannot judge.", help: "Use Graph's scope names (Mail.Read, https://graph.microsoft.com/Mail.Read); declare the scopes in WebApplicationInfo or pass the app registration's with --scopes." },
  degrades: { id: "OPA017", name: "Degrades", level: "note", short: "A use above the declared tier whose refusal the code catches.", help: "Not counted in the verdict: the add-in works without it, but that feature is off at the declared tier." },
};
