// Outpost demo add-in, ReadWriteItem + AppendOnSend: a disclaimer added when the message is sent.
"use strict";

function show(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
  console.log(`${id}: ${text}`);
}

const DISCLAIMER = "<p>Sent through Outpost. This message is for its addressees only.</p>";

Office.onReady(() => {
  const item = Office.context.mailbox.item;
  item.body.getTypeAsync((result) => {
    const html = result.status === Office.AsyncResultStatus.Succeeded && result.value === Office.CoercionType.Html;
    show("body-type", `body.getTypeAsync ${result.status === Office.AsyncResultStatus.Succeeded ? result.value : "failed"}`);
    const text = html ? DISCLAIMER : "Sent through Outpost. This message is for its addressees only.";
    item.body.appendOnSendAsync(text, { coercionType: html ? Office.CoercionType.Html : Office.CoercionType.Text }, (appended) =>
      show("append", appended.status === Office.AsyncResultStatus.Succeeded ? "body.appendOnSendAsync ok" : `body.appendOnSendAsync failed ${appended.error.code}: ${appended.error.message}`),
    );
  });
});
