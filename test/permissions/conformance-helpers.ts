/** What the conformance test reads, in one place (the table, the catalogue and the token service's errors). */
export { API_TABLE, ERROR_CODES, OFFICE_ERRORS, OFFICE_ERRORS_BY_NAME } from "../../src/permissions/index.ts";
export { TOKEN_ISSUE_ERRORS as TOKEN_ISSUE_ERRORS_CHECK } from "../../src/mailbox/tokens/scopes.ts";
