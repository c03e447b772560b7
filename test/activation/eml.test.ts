import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { activationItemFromEml, htmlToText } from "../../src/activation/index.ts";

const EML = fileURLToPath(new URL("../../../shared/corpus/eml/", import.meta.url));
const load = (f: string) => activationItemFromEml(readFileSync(EML + f));

const mime = (headers: string, body: string) => `${headers}\r\nMIME-Version: 1.0\r\n\r\n${body}`;

describe("activationItemFromEml", () => {
  it("reads subject, sender, recipients and body", async () => {
    const item = await load("mikel-mail__basic_email.eml");
    assert.equal(item.itemType, "Message");
    assert.equal(item.itemClass, "IPM.Note");
    assert.equal(item.subject, "Testing 123");
    assert.equal(item.senderSmtp, "test@lindsaar.net");
    assert.match(item.bodyText, /Plain email/);
    assert.equal(item.bodyHtml, undefined);
    assert.equal(item.hasAttachment, false);
  });

  it("derives the message class: NDR report, meeting request, S/MIME signed", async () => {
    assert.equal((await load("mailparser__delivery-status.eml")).itemClass, "REPORT.IPM.Note.NDR");
    assert.equal((await load("postal-mime__calendar-event.eml")).itemClass, "IPM.Schedule.Meeting.Request");
    const signed = await load("mikel-mail__nested_attachment.eml");
    assert.equal(signed.itemClass, "IPM.Note.SMIME.MultipartSigned");
    assert.equal(signed.signed, true);
  });

  it("attachments count, inline images and signatures do not", async () => {
    assert.equal((await load("mikel-mail__attachment_pdf.eml")).hasAttachment, true);
    const inlineOnly = mime(
      'From: a@contoso.com\r\nSubject: x\r\nContent-Type: multipart/related; boundary="b"',
      '--b\r\nContent-Type: text/html\r\n\r\n<p>hi <img src="cid:logo"></p>\r\n--b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n',
    );
    assert.equal((await activationItemFromEml(inlineOnly)).hasAttachment, false);
  });

  it("marks encrypted S/MIME and IRM messages", async () => {
    const enc = await activationItemFromEml(mime("From: a@contoso.com\r\nSubject: s\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64", "MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\r\n"));
    assert.equal(enc.encrypted, true);
    assert.equal(enc.itemClass, "IPM.Note.SMIME");
    const irm = await activationItemFromEml(mime("From: a@contoso.com\r\nSubject: p\r\nContent-Class: rpmsg.message\r\nContent-Type: text/plain", "protected"));
    assert.equal(irm.irmProtected, true);
  });

  it("renders an HTML-only body as text for BodyAsPlaintext", async () => {
    const item = await activationItemFromEml(mime("From: a@contoso.com\r\nSubject: h\r\nContent-Type: text/html", "<html><head><style>p{}</style></head><body><p>Order&nbsp;<b>CO-1</b></p><script>x()</script><div>Total &amp; tax</div></body></html>"));
    assert.match(item.bodyText, /^Order\s+CO-1\s+Total & tax$/);
    assert.ok(item.bodyHtml?.includes("<b>CO-1</b>"));
  });

  it("htmlToText survives unclosed tags and comments", () => {
    assert.equal(htmlToText("a<!-- never closed"), "a");
    assert.equal(htmlToText("a <b"), "a <b");
    assert.equal(htmlToText("&#x1F600;&#0;&bogus;"), "😀\ufffd&bogus;");
  });
});
