// Outpost demo add-in, Restricted tier: only members not tied to user or item data.
"use strict";

function show(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
  console.log(`${id}: ${text}`);
}

Office.onReady((info) => {
  show("host", `host ${info.host}, platform ${info.platform}`);
  const mailbox = Office.context.mailbox;
  const item = mailbox.item;
  // mailbox.diagnostics and item.itemType need ReadItem (Outpost withholds them below it); Office.context.diagnostics does not.
  show("diagnostics", `${Office.context.diagnostics.platform} ${Office.context.diagnostics.version}`);
  show("language", Office.context.displayLanguage);
  show("requirement", `Mailbox 1.1 supported: ${Office.context.requirements.isSetSupported("Mailbox", "1.1")}`);
  show("item-type", item ? "an item is open" : "no item");

  // Roaming settings are allowed at every tier.
  const settings = Office.context.roamingSettings;
  const visits = (settings.get("visits") || 0) + 1;
  settings.set("visits", visits);
  settings.saveAsync((result) => show("roaming", `roamingSettings.saveAsync ${result.status}, visits ${visits}`));

  // Item data needs ReadItem: Outlook refuses the call with an elevated-permission error.
  try {
    item.body.getAsync(Office.CoercionType.Text, (result) => show("body", `body.getAsync ${result.status}`));
  } catch (err) {
    show("body", `body.getAsync refused: ${err.message}`);
  }
});
