// Outpost demo add-in, ReadItem tier: reads the current item, writes custom properties.
"use strict";

function show(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
  console.log(`${id}: ${text}`);
}

function address(a) {
  return a ? `${a.displayName} <${a.emailAddress}>` : "(none)";
}

Office.onReady(() => {
  const mailbox = Office.context.mailbox;
  const item = mailbox.item;
  show("user", `userProfile ${mailbox.userProfile.displayName} <${mailbox.userProfile.emailAddress}>`);
  show("subject", `subject ${item.subject}`);
  show("from", `from ${address(item.from)}`);
  show("to", `to ${(item.to || []).map(address).join(", ") || "(none)"}`);
  show("attachments", `attachments ${(item.attachments || []).length}`);

  item.body.getAsync(Office.CoercionType.Text, (result) => {
    if (result.status === Office.AsyncResultStatus.Succeeded) show("body", `body.getAsync ${result.value.length} chars`);
    else show("body", `body.getAsync failed ${result.error.code}: ${result.error.message}`);
  });

  item.loadCustomPropertiesAsync((result) => {
    if (result.status !== Office.AsyncResultStatus.Succeeded) return show("custom", `loadCustomPropertiesAsync failed ${result.error.code}`);
    const props = result.value;
    const seen = (props.get("seen") || 0) + 1;
    props.set("seen", seen);
    props.saveAsync((saved) => show("custom", `customProperties.saveAsync ${saved.status}, seen ${seen}`));
  });

  item.notificationMessages.replaceAsync(
    "outpostReadItem",
    { type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage, message: "Read by the Outpost demo.", icon: "icon16", persistent: false },
    (result) => show("notification", `notificationMessages.replaceAsync ${result.status}`),
  );

  // Writing needs ReadWriteItem: Outlook refuses it here.
  try {
    item.body.setAsync("x", (result) => show("write", `body.setAsync ${result.status}`));
  } catch (err) {
    show("write", `body.setAsync refused: ${err.message}`);
  }
});
