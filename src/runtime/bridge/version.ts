/** The bridge wire format's version: bumped on any incompatible change to CallMessage or CallResult. */
export const PROTOCOL_VERSION = 1;
