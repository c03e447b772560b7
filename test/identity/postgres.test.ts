/**
 * On PostgreSQL with two app servers sharing the database: the identity provider's keys, registrations and consent
 * are shared — a token issued by one server works on the other; consent withdrawn on one is refused at once on the
 * other. Plus the registration read from a manifest's WebApplicationInfo.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Identity, readManifestAuth, registrationFromManifest } from "../../src/identity/index.ts";
import { openTwoServers } from "../helpers/two-servers.ts";

const { storeA: a, storeB: b, appA: serverA, appB: serverB, close } = await openTwoServers("identity");
after(close);

test("two servers on one PostgreSQL: a token from A reads on B; consent withdrawn on A is refused on B", async () => {
  const tenant = await a.directory.createTenant({ id: "contoso", name: "Contoso" });
  const { user, mailbox } = await a.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice" });
  const inbox = (await a.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  const item = await a.items.create(mailbox.id, inbox.id, { subject: "Shared", bodyText: "x" });
  const idA = Identity.of(a);
  const idB = Identity.of(b);
  const reg = await idA.registrations.create({ clientId: "pg-client", addinId: "pg-addin", displayName: "PG", tenantId: tenant.id, scopes: ["Mail.Read"] });
  await idA.consents.grant({ tenantId: tenant.id, clientId: reg.clientId, userId: user.id, scopes: ["Mail.Read"], grantedBy: user.id, registered: reg.scopes });
  const issued = await idA.broker.token({ tenantId: tenant.id, userId: user.id, addinId: "pg-addin" }, { clientId: "pg-client", scope: "Mail.Read" }, "http://localhost");
  assert.ok(issued.ok);
  const token = issued.token.access_token;
  const onB = await serverB.inject({ method: "GET", url: `/v1.0/me/messages/${item.id}`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(onB.statusCode, 200, onB.body);
  assert.equal(onB.json().subject, "Shared");
  assert.deepEqual((await idB.keys.jwks()).keys.map((k) => k.kid), (await idA.keys.jwks()).keys.map((k) => k.kid), "one key set");
  await serverA.inject({ method: "GET", url: "/v1.0/me/messages", headers: { authorization: `Bearer ${token}` } });
  await idA.consents.revoke({ tenantId: tenant.id, clientId: "pg-client", userId: user.id });
  const after = await serverB.inject({ method: "GET", url: `/v1.0/me/messages/${item.id}`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(after.statusCode, 401);
  assert.match(after.json().error.message, /withdrawn/);
  const silent = await idB.broker.token({ tenantId: tenant.id, userId: user.id, addinId: "pg-addin" }, { clientId: "pg-client", scope: "Mail.Read" }, "http://localhost");
  assert.equal(silent.ok, false);
  assert.equal(!silent.ok && silent.error.status, "USER_INTERACTION_REQUIRED");
  // Another add-in's session cannot use this client id.
  const foreign = await idB.broker.token({ tenantId: tenant.id, userId: user.id, addinId: "other-addin" }, { clientId: "pg-client", scope: "Mail.Read" }, "http://localhost");
  assert.equal(!foreign.ok && foreign.error.code, "unauthorized_client");
});

test("WebApplicationInfo: client id, resource and Graph scopes become the registration; unknown scopes are named with their line", () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0" xmlns:mailappor="http://schemas.microsoft.com/office/mailappversionoverrides/1.0" xsi:type="MailApp">
  <Id>5d1e3a3c-3a1b-4c67-9d0e-1234567890ab</Id>
  <Version>1.0.0.0</Version>
  <ProviderName>Tailspin</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="Attachment Saver"/>
  <Description DefaultValue="Saves attachments"/>
  <Hosts><Host Name="Mailbox"/></Hosts>
  <Requirements><Sets><Set Name="Mailbox" MinVersion="1.1"/></Sets></Requirements>
  <FormSettings><Form xsi:type="ItemRead"><DesktopSettings><SourceLocation DefaultValue="https://addins.example/taskpane.html"/><RequestedHeight>250</RequestedHeight></DesktopSettings></Form></FormSettings>
  <Permissions>ReadItem</Permissions>
  <Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides" xsi:type="VersionOverridesV1_0">
    <WebApplicationInfo>
      <Id>8c0d9f1e-0000-4000-8000-000000000001</Id>
      <Resource>api://addins.example/8c0d9f1e-0000-4000-8000-000000000001</Resource>
      <Scopes>
        <Scope>Mail.Read</Scope>
        <Scope>Files.Read</Scope>
      </Scopes>
    </WebApplicationInfo>
  </VersionOverrides>
</OfficeApp>`;
  const auth = readManifestAuth(xml, "saver.xml");
  assert.equal(auth.addinId, "5d1e3a3c-3a1b-4c67-9d0e-1234567890ab");
  assert.equal(auth.clientId, "8c0d9f1e-0000-4000-8000-000000000001");
  assert.equal(auth.resource, "api://addins.example/8c0d9f1e-0000-4000-8000-000000000001");
  assert.deepEqual(auth.scopes, ["Mail.Read"]);
  assert.deepEqual(auth.problems, ["saver.xml:20: WebApplicationInfo/Scopes: unknown scope 'Files.Read'"]);
  const reg = registrationFromManifest(auth);
  assert.deepEqual(reg.scopes, ["openid", "profile", "Mail.Read"]);
  assert.equal(reg.ssoResource, auth.resource);
});
