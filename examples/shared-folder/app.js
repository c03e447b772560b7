// Outpost demo add-in, ReadWriteItem + SharedFolder: who owns the item and what the delegate may do.
"use strict";

function show(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
  console.log(`${id}: ${text}`);
}

Office.onReady(() => {
  const item = Office.context.mailbox.item;
  show("subject", `subject ${typeof item.subject === "string" ? item.subject : "(compose)"}`);
  if (typeof item.getSharedPropertiesAsync !== "function") return show("shared", "getSharedPropertiesAsync unavailable");
  item.getSharedPropertiesAsync((result) => {
    if (result.status !== Office.AsyncResultStatus.Succeeded) return show("shared", `getSharedPropertiesAsync failed ${result.error.code}: ${result.error.message}`);
    const p = result.value;
    show("shared", `getSharedPropertiesAsync owner ${p.owner}, permissions ${p.delegatePermissions}`);
    // A delegate with write permission tags the item it handled (categories.addAsync needs ReadWriteItem).
    if (p.delegatePermissions & Office.MailboxEnums.DelegatePermissions.Write) {
      item.categories.addAsync(["Handled by delegate"], (added) => show("tagged", `categories.addAsync ${added.status}`));
    }
  });
});
