/**
 * Permission decision benchmark: decide() over a realistic mix of calls (every table row × both modes × both item
 * types, at every tier), against the floor — a bare Map lookup of the same paths in this process. decide() runs on
 * every bridge call, so it must stay a small constant over the lookup.
 */
import { API_TABLE, ITEM_TYPES, MODES, ON_PREMISES_POLICY, TIERS, decide, lowestTierFor, type ApiRequest, type Grant } from "../src/permissions/index.ts";
import { opsPerSecond } from "./stats.ts";

export async function run(): Promise<void> {
  const requests: ApiRequest[] = [];
  for (const m of API_TABLE) for (const mode of MODES) for (const itemType of ITEM_TYPES) requests.push({ path: m.path, mode, itemType, args: { entityType: "Contact", isRest: true } });
  const grants: Grant[] = TIERS.map((tier) => ({ tier, supplementary: ["AppendOnSend"], tenant: ON_PREMISES_POLICY }));
  const floorMap = new Map(API_TABLE.map((m) => [m.path, m]));
  let sink = 0;

  const decisionsPerRound = requests.length * grants.length;
  const decideOps = opsPerSecond(() => {
    for (const g of grants) for (const r of requests) if (decide(r, g).allowed) sink++;
  }, 2000) * decisionsPerRound;
  const lookupOps = opsPerSecond(() => {
    for (let i = 0; i < grants.length; i++) for (const r of requests) if (floorMap.get(r.path)) sink++;
  }, 2000) * decisionsPerRound;
  const paths = API_TABLE.map((m) => m.path);
  const auditOps = opsPerSecond(() => {
    sink += lowestTierFor(paths).perPath.size;
  }, 1000);

  console.log(`permissions: decide() ${(decideOps / 1e6).toFixed(2)} M decisions/s (${(1e9 / decideOps).toFixed(0)} ns each) over ${requests.length} requests × ${grants.length} tiers`);
  console.log(`permissions: floor (bare Map.get) ${(lookupOps / 1e6).toFixed(2)} M/s; decide is ${(lookupOps / decideOps).toFixed(1)}× the floor`);
  console.log(`permissions: lowestTierFor(all ${paths.length} paths) ${auditOps.toFixed(0)} /s${sink < 0 ? "" : ""}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
