/** Mailbox-level members: user profile, diagnostics, ids, master categories, tokens, roaming settings. */
import { z } from "zod";
import { MailboxError, TokenIssueError } from "../../mailbox/index.ts";
import { limitError, tableLimit } from "./limits.ts";
import { isSaved } from "./item-compose.ts";
import { ERROR_CODES } from "../../permissions/index.ts";
import { legacyMemberError } from "../../identity/legacy.ts";
import { OfficeCallError, type MemberImpl } from "./context.ts";
import { noArgs } from "./shapes.ts";

const M = "Office.context.mailbox";
const legacyArgs = (e: { code: number; params: string[] }): [number, string[]] => [e.code, e.params];
const ok = () => null;
const id = z.tuple([z.string().max(400)]).rest(z.unknown());

/** Mailbox-level snapshot values; `user` is resolved once at bootstrap. */
export interface MailboxFacts {
  displayName: string;
  emailAddress: string;
  timeZone: string;
  baseUrl: string;
}

export const MAILBOX_PROPERTIES: Record<string, (f: MailboxFacts) => unknown> = {
  [`${M}.userProfile.displayName`]: (f) => f.displayName,
  [`${M}.userProfile.emailAddress`]: (f) => f.emailAddress,
  [`${M}.userProfile.timeZone`]: (f) => f.timeZone,
  [`${M}.userProfile.accountType`]: () => "enterprise",
  [`${M}.diagnostics.hostName`]: () => "Outpost",
  [`${M}.diagnostics.hostVersion`]: () => "0.1.0",
  [`${M}.diagnostics.OWAView`]: () => "ThreeColumns",
  [`${M}.ewsUrl`]: (f) => `${f.baseUrl}/EWS/Exchange.asmx`,
  [`${M}.restUrl`]: (f) => `${f.baseUrl}/api`,
};


function mapCategoryError(e: unknown): never {
  if (e instanceof MailboxError && e.code === "InvalidCategory") throw new OfficeCallError(9044);
  if (e instanceof MailboxError && e.code === "DuplicateCategory") throw new OfficeCallError(9045);
  throw e;
}

export const MAILBOX_MEMBERS: Record<string, MemberImpl> = {
  [`${M}.convertToEwsId`]: { args: id, run: (_c, [v]) => v },
  [`${M}.convertToRestId`]: { args: id, run: (_c, [v]) => v },
  [`${M}.addHandlerAsync`]: { args: z.tuple([z.string().max(60)]).rest(z.unknown()), run: ok },
  [`${M}.removeHandlerAsync`]: { args: z.tuple([z.string().max(60)]).rest(z.unknown()), run: ok },
  [`${M}.masterCategories.getAsync`]: {
    args: noArgs,
    run: async (ctx) => (await ctx.store.addinData.listMasterCategories(ctx.session.spec.mailboxId)).map((c) => ({ displayName: c.name, color: c.color })),
  },
  [`${M}.masterCategories.addAsync`]: {
    args: z.tuple([z.array(z.object({ displayName: z.string().min(1).max(255), color: z.string().max(20).optional() })).max(100)]).rest(z.unknown()),
    run: (ctx, [list]) =>
      ctx.store.addinData
        .addMasterCategories(ctx.session.spec.mailboxId, (list as Array<{ displayName: string; color?: string }>).map((c) => ({ name: c.displayName, color: c.color })))
        .then(ok, mapCategoryError),
  },
  [`${M}.masterCategories.removeAsync`]: {
    args: z.tuple([z.array(z.string().max(255)).max(100)]).rest(z.unknown()),
    run: (ctx, [names]) => ctx.store.addinData.removeMasterCategories(ctx.session.spec.mailboxId, names as string[]).then(ok, mapCategoryError),
  },
  [`${M}.getCallbackTokenAsync`]: {
    args: z.tuple([z.object({ isRest: z.boolean().optional() }).passthrough().optional()]).rest(z.unknown()),
    async run(ctx, [opts]) {
      const s = ctx.session.spec;
      try {
        const issued = await ctx.store.tokens.issueCallbackToken({
          userId: s.userId,
          mailboxId: s.mailboxId,
          addinId: s.addinId,
          tier: s.tier,
          mode: s.form,
          kind: (opts as { isRest?: boolean } | undefined)?.isRest ? "rest" : "ews",
          itemId: s.itemId,
          ...(s.form === "compose" && s.itemId ? { itemSaved: isSaved(ctx, await ctx.item()) } : {}),
        });
        return issued.token;
      } catch (e) {
        if (e instanceof TokenIssueError && e.key === "legacyTokensOff") throw new OfficeCallError(...legacyArgs(await legacyMemberError(ctx.store.db, s.tenantId, "getCallbackTokenAsync", s.client)));
        if (e instanceof TokenIssueError) throw new OfficeCallError(e.key === "unsavedItem" ? ERROR_CODES.canOnlyGetTokenForSavedItem : ERROR_CODES.genericTokenError);
        throw e;
      }
    },
  },
  [`${M}.getUserIdentityTokenAsync`]: {
    args: noArgs,
    async run(ctx) {
      const s = ctx.session.spec;
      try {
        return (await ctx.store.tokens.issueIdentityToken({ userId: s.userId, mailboxId: s.mailboxId, addinId: s.addinId, tier: s.tier, mode: s.form })).token;
      } catch (e) {
        // Legacy tokens disabled or removed: Outlook's answer per mode and client (src/identity/legacy.ts).
        if (e instanceof TokenIssueError && e.key === "legacyTokensOff") throw new OfficeCallError(...legacyArgs(await legacyMemberError(ctx.store.db, s.tenantId, "getUserIdentityTokenAsync", s.client)));
        throw e;
      }
    },
  },
  "Office.context.roamingSettings.get": { args: z.tuple([z.string().max(255)]), run: ok },
  "Office.context.roamingSettings.set": { args: z.tuple([z.string().max(255), z.unknown()]), run: ok },
  "Office.context.roamingSettings.remove": { args: z.tuple([z.string().max(255)]), run: ok },
  "Office.context.roamingSettings.saveAsync": {
    args: z.tuple([z.record(z.string(), z.unknown())]).rest(z.unknown()),
    async run(ctx, [data]) {
      const limit = tableLimit("Office.context.roamingSettings.saveAsync", "settings as JSON");
      if (JSON.stringify(data).length > limit.max) throw limitError(limit);
      await ctx.store.addinData.setRoamingSettings(ctx.session.spec.userId, ctx.session.spec.addinId, data as Record<string, never>);
      return null;
    },
  },
};
