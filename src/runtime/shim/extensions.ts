/**
 * Installers run on the finished `Office` object, each self-contained (its source text is what the page runs, as
 * with installOffice). The identity area adds Office.context.auth here from its own file, e.g.
 *   import { installAuth } from "./auth.ts";   export const SHIM_EXTENSIONS = [installAuth];
 * Without one, Office.context.auth.getAccessTokenAsync answers 13000 (SSO not configured for the add-in).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { installAuth } from "./auth.ts";
export type ShimExtension = (Office: any, hooks: any) => void;

export const SHIM_EXTENSIONS: ShimExtension[] = [installAuth];
