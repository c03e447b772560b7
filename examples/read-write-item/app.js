// Outpost demo add-in, ReadWriteItem tier: edits the item being composed (reads it in read mode).
"use strict";

function show(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
  console.log(`${id}: ${text}`);
}

function report(id, what) {
  return (result) =>
    show(id, result.status === Office.AsyncResultStatus.Succeeded ? `${what} ok${result.value !== undefined ? `: ${String(result.value).slice(0, 80)}` : ""}` : `${what} failed ${result.error.code}: ${result.error.message}`);
}

Office.onReady(() => {
  const item = Office.context.mailbox.item;
  if (typeof item.subject === "string") {
    // Read mode: the subject is a string; categories can be changed at this tier.
    show("mode", "read");
    show("subject", `subject ${item.subject}`);
    item.categories.addAsync(["Outpost"], report("categories", "categories.addAsync"));
    return;
  }
  show("mode", "compose");
  item.subject.getAsync((result) => {
    const current = result.status === Office.AsyncResultStatus.Succeeded ? result.value : "";
    show("subject", `subject.getAsync ${current}`);
    item.subject.setAsync(`[Outpost] ${current}`, report("subject-set", "subject.setAsync"));
  });
  item.body.getAsync(Office.CoercionType.Html, (result) => {
    show("body", result.status === Office.AsyncResultStatus.Succeeded ? `body.getAsync ${result.value.length} chars` : `body.getAsync failed ${result.error.code}`);
    item.body.prependAsync("<p>Drafted with the Outpost demo.</p>", { coercionType: Office.CoercionType.Html }, report("body-prepend", "body.prependAsync"));
  });
  item.to.getAsync((result) => show("to", result.status === Office.AsyncResultStatus.Succeeded ? `to.getAsync ${result.value.length} recipients` : `to.getAsync failed ${result.error.code}`));
  item.internetHeaders.setAsync({ "x-outpost-demo": "read-write-item" }, report("headers", "internetHeaders.setAsync"));

  // EWS needs ReadWriteMailbox: refused here.
  try {
    Office.context.mailbox.makeEwsRequestAsync("<x/>", report("ews", "makeEwsRequestAsync"));
  } catch (err) {
    show("ews", `makeEwsRequestAsync refused: ${err.message}`);
  }
});
