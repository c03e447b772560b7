/** A small, schema-valid Outlook manifest (1.1 + VersionOverrides 1.0/1.1), and helpers to break it. */
import fs from "node:fs";
import path from "node:path";

export const CORPUS_DIR = path.resolve(import.meta.dirname, "../../../shared/corpus/manifests");

export function corpusXml(): { file: string; expected: string; text: string }[] {
  const rows = fs.readFileSync(path.join(CORPUS_DIR, "EXPECTED.tsv"), "utf8").trim().split("\n").slice(1);
  return rows
    .map((r) => r.split("\t"))
    .filter(([file]) => file.startsWith("xml/"))
    .map(([file, expected]) => ({ file, expected, text: fs.readFileSync(path.join(CORPUS_DIR, file), "utf8") }));
}

export const VALID = `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"
  xsi:type="MailApp">
  <Id>0a1b2c3d-1111-2222-3333-444455556666</Id>
  <Version>1.0.0.0</Version>
  <ProviderName>Outpost tests</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="Test add-in"/>
  <Description DefaultValue="A test add-in"/>
  <Hosts><Host Name="Mailbox"/></Hosts>
  <Requirements><Sets><Set Name="Mailbox" MinVersion="1.1"/></Sets></Requirements>
  <FormSettings>
    <Form xsi:type="ItemRead">
      <DesktopSettings><SourceLocation DefaultValue="https://example.com/read.html"/><RequestedHeight>250</RequestedHeight></DesktopSettings>
    </Form>
  </FormSettings>
  <Permissions>ReadWriteItem</Permissions>
  <Rule xsi:type="RuleCollection" Mode="Or">
    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>
  </Rule>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides" xsi:type="VersionOverridesV1_0">
    <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides/1.1" xsi:type="VersionOverridesV1_1">
      <Hosts>
        <Host xsi:type="MailHost">
          <DesktopFormFactor>
            <ExtensionPoint xsi:type="LaunchEvent">
              <LaunchEvents><LaunchEvent Type="OnNewMessageCompose" FunctionName="onCompose"/></LaunchEvents>
              <SourceLocation resid="Runtime.Url"/>
            </ExtensionPoint>
          </DesktopFormFactor>
        </Host>
      </Hosts>
      <Resources>
        <bt:Urls><bt:Url id="Runtime.Url" DefaultValue="https://example.com/runtime.html"/></bt:Urls>
      </Resources>
    </VersionOverrides>
  </VersionOverrides>
</OfficeApp>
`;

export function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i === -1) throw new Error(`fixture does not contain ${needle}`);
  return text.slice(0, i).split("\n").length;
}
