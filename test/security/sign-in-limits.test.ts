/**
 * Sign-in throttling stored in the database (issue 12): the counters are kept per tenant, a tenant's admins see
 * their accounts' counters and blocks and nobody else's, and two app servers sharing one PostgreSQL share one
 * budget — an attacker alternating between servers gets no more guesses than against one.
 */
import { test, after, describe } from "node:test";
import assert from "node:assert/strict";
import { openTwoServers } from "../helpers/two-servers.ts";
import { createServer } from "../../src/server/app.ts";
import type { SignInCounter } from "../../src/server/security/sign-in-limits.ts";
import { harness, PASSWORDS } from "./world.ts";

type App = Awaited<ReturnType<typeof createServer>>;
const signIn = (app: App, email: string, password: string, remoteAddress: string) => app.inject({ method: "POST", url: "/api/session", payload: { email, password }, remoteAddress });
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers["set-cookie"]).split(";")[0]!;

describe("admins see their tenant's sign-in counters (PGlite)", async () => {
  const h = await harness();
  after(() => h.close());

  test("a blocked account and address are listed for the account's tenant only, with the block's end", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await signIn(h.app, "bob@contoso.example", `guess-${i}`, "198.51.100.7")).statusCode, 401);
    const refused = await signIn(h.app, "bob@contoso.example", PASSWORDS["bob@contoso.example"]!, "198.51.100.7");
    assert.equal(refused.statusCode, 429, "blocked after five failures, even with the right password");
    await signIn(h.app, "eve@fabrikam.example", "wrong", "198.51.100.8");

    const admin = cookieOf(await signIn(h.app, "alice@contoso.example", PASSWORDS["alice@contoso.example"]!, "127.0.0.1"));
    const res = await h.inject({ method: "GET", url: "/api/admin/sign-in-limits", headers: { cookie: admin } });
    assert.equal(res.statusCode, 200, res.body);
    const counters = (res.json() as { value: SignInCounter[] }).value;
    const pair = counters.find((c) => c.limit === "account-address" && c.account === "bob@contoso.example");
    assert.ok(pair, JSON.stringify(counters));
    assert.equal(pair.address, "198.51.100.7");
    assert.ok(pair.blockedUntil && new Date(pair.blockedUntil).getTime() > Date.now(), "blocked, with the time the block ends");
    assert.ok(counters.some((c) => c.limit === "account" && c.account === "bob@contoso.example" && c.failures >= 5));
    assert.ok(!counters.some((c) => c.account === "eve@fabrikam.example"), "another tenant's accounts are not listed");

    const eveAdmin = cookieOf(await signIn(h.app, "eve@fabrikam.example", PASSWORDS["eve@fabrikam.example"]!, "127.0.0.2"));
    const theirs = (await h.inject({ method: "GET", url: "/api/admin/sign-in-limits", headers: { cookie: eveAdmin } })).json() as { value: SignInCounter[] };
    assert.ok(theirs.value.some((c) => c.account === "eve@fabrikam.example"));
    assert.ok(!theirs.value.some((c) => c.account === "bob@contoso.example"));
  });

  test("a user who is not an admin cannot read them", async () => {
    const bob = cookieOf(await signIn(h.app, "bob@contoso.example", PASSWORDS["bob@contoso.example"]!, "127.0.0.3"));
    assert.equal((await h.inject({ method: "GET", url: "/api/admin/sign-in-limits", headers: { cookie: bob } })).statusCode, 403);
  });
});

describe("two app servers sharing PostgreSQL share one budget", async () => {
  const settings = { signInLimits: { consecutive: 4, perAddress: 6, perAccount: 50, windowSec: 900, baseBlockSec: 60, maxBlockSec: 3600 } };
  const { storeA, appA, appB, close } = await openTwoServers("signin", { settings });
  const tenant = await storeA.directory.createTenant({ id: "contoso", name: "Contoso" });
  await storeA.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice", password: "pw-alice", isAdmin: true });
  await storeA.provisionUser({ tenantId: tenant.id, email: "bob@contoso.example", displayName: "Bob", password: "pw-bob" });
  after(close);

  test("failures alternating between A and B block the account on both, and A's admin sees the block", async () => {
    const ip = "203.0.113.10";
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await signIn(i % 2 ? appB : appA, "bob@contoso.example", `guess-${i}`, ip)).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 401]);
    assert.equal((await signIn(appA, "bob@contoso.example", "pw-bob", ip)).statusCode, 429, "blocked on A");
    const onB = await signIn(appB, "bob@contoso.example", "pw-bob", ip);
    assert.equal(onB.statusCode, 429, "and on B");
    assert.ok(Number(onB.headers["retry-after"]) > 0);
    const admin = cookieOf(await signIn(appA, "alice@contoso.example", "pw-alice", "127.0.0.1"));
    const counters = ((await appA.inject({ method: "GET", url: "/api/admin/sign-in-limits", headers: { cookie: admin } })).json() as { value: SignInCounter[] }).value;
    assert.ok(counters.some((c) => c.limit === "account-address" && c.account === "bob@contoso.example" && c.address === ip && c.blockedUntil), JSON.stringify(counters));
    const events = ((await appB.inject({ method: "GET", url: "/api/admin/security-events?limit=50", headers: { cookie: admin } })).json() as { value: Array<{ reason: string; surface: string }> }).value;
    assert.equal(events.filter((e) => e.surface === "sign-in" && e.reason === "bad-credentials").length, 4, "every failure stored once, whichever server saw it");
  });

  test("concurrent password spraying from one address against both servers reaches the password check at most the per-address budget", async () => {
    const ip = "203.0.113.20";
    const tries = Array.from({ length: 40 }, (_, i) => signIn(i % 2 ? appB : appA, `user${i}@contoso.example`, "nope", ip).then((r) => r.statusCode));
    const codes = await Promise.all(tries);
    assert.equal(codes.filter((c) => c === 401).length, 6, `one budget of 6 for both servers: ${codes.join(",")}`);
    assert.equal(codes.filter((c) => c === 429).length, 34);
    // Another address is not affected.
    assert.equal((await signIn(appB, "alice@contoso.example", "pw-alice", "203.0.113.21")).statusCode, 200);
  });
});
