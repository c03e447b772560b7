/**
 * Bridges the activation engine's synchronous governance sink to the (async) governance store:
 * regex time-outs become `activation-timeout` events counted toward the tenant's ActivationRetryLimit,
 * and add-ins disabled for the user (for any reason, on any client) are skipped by activation.
 * Load it before an activation pass, `flush()` after.
 */
import type { ActivationGovernanceEvent, ActivationGovernanceSink, ActivationGovernanceState } from "../activation/governance.ts";
import { DEFAULT_SESSION, type Governance, type RecordResult } from "./governance.ts";

export interface ActivationSinkContext {
  tenant: string;
  user: string;
  session?: string;
  /** Display names for the business bar text, by add-in id. */
  names?: ReadonlyMap<string, string> | Record<string, string>;
}

export interface GovernanceActivationSink extends ActivationGovernanceSink, ActivationGovernanceState {
  /** Waits for every recorded event to be stored; rejects with the first storage error. */
  flush(): Promise<RecordResult[]>;
}

export async function activationSink(governance: Governance, ctx: ActivationSinkContext): Promise<GovernanceActivationSink> {
  const session = ctx.session ?? DEFAULT_SESSION;
  const disabled = new Set((await governance.listDisabled(ctx.user)).map((d) => d.addinId));
  const timeouts = await governance.storage.countersFor(ctx.user, session, "activation-timeout");
  const nameOf = (id: string) => (ctx.names instanceof Map ? ctx.names.get(id) : (ctx.names as Record<string, string> | undefined)?.[id]);
  const pending: Promise<RecordResult>[] = [];
  // One chain: events of one pass are stored in the order activation emitted them.
  let chain: Promise<unknown> = Promise.resolve();

  const enqueue = (work: () => Promise<RecordResult>) => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    pending.push(next);
  };

  return {
    record(event: ActivationGovernanceEvent): void {
      if (event.kind === "regex-timeout") {
        timeouts.set(event.addinId, (timeouts.get(event.addinId) ?? 0) + 1);
        const detail = `${event.enforcement === "client" ? "ActivationAlertThreshold" : "Outpost safety budget"} on ${event.client}${event.regexName ? `, stopped in "${event.regexName}"` : ""}`;
        enqueue(async () => {
          const result = await governance.recordEvent({
            tenant: ctx.tenant,
            user: ctx.user,
            addinId: event.addinId,
            addinName: nameOf(event.addinId),
            session,
            client: event.client,
            kind: "activation-timeout",
            detail,
            measured: Math.round(event.elapsedMs),
            threshold: event.thresholdMs,
            crossed: true,
          });
          if (result.disabled) disabled.add(event.addinId);
          return result;
        });
      } else {
        // The engine's own verdict (governed client, its retry limit): honour it even if the tenant's limit is higher.
        disabled.add(event.addinId);
        enqueue(async () => {
          const r = await governance.disable(ctx.user, event.addinId, `its activation rules took too long to evaluate ${event.timeouts} times (ActivationRetryLimit ${event.retryLimit})`, {
            tenant: ctx.tenant,
            addinName: nameOf(event.addinId),
            session,
            client: event.client,
          });
          return { event: r.event, evaluation: { crossed: true, immediate: true }, disabled: true, disabledNow: r.disabledNow };
        });
      }
    },
    timeoutCount(addinId: string): number {
      return timeouts.get(addinId) ?? 0;
    },
    isDisabled(addinId: string): boolean {
      return disabled.has(addinId);
    },
    async flush(): Promise<RecordResult[]> {
      return Promise.all(pending.splice(0));
    },
  };
}
