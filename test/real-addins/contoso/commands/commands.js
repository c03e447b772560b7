/*
 * Contoso's function commands and event handlers. Classic Outlook on Windows runs this file alone in its
 * JavaScript-only runtime (no DOM); Outlook on the web loads it through commands.html.
 */

function markAsReviewed(event) {
  Office.context.mailbox.item.notificationMessages.replaceAsync("reviewed", {
    type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
    message: "Reviewed by Contoso Mail Tools",
    icon: "Icon.16x16",
    persistent: false,
  }, function () {
    event.completed();
  });
}

function onNewMessageComposeHandler(event) {
  Office.context.mailbox.item.body.setSignatureAsync("-- Sent with Contoso", { coercionType: Office.CoercionType.Text }, function (result) {
    console.log("signature " + result.status);
    event.completed();
  });
}

function onMessageSendHandler(event) {
  Office.context.mailbox.item.subject.getAsync({ asyncContext: event }, function (result) {
    var ev = result.asyncContext;
    var subject = result.value || "";
    if (/confidential/i.test(subject)) {
      ev.completed({ allowEvent: false, errorMessage: "Messages marked confidential can't be sent outside Contoso.", cancelLabel: "Fix it" });
    } else {
      ev.completed({ allowEvent: true });
    }
  });
}

function onSpamReport(event) {
  Office.context.mailbox.item.getAsFileAsync({ asyncContext: event }, function (result) {
    var ev = result.asyncContext;
    if (result.status === Office.AsyncResultStatus.Failed) {
      ev.completed({ onErrorDeleteItem: false });
      return;
    }
    console.log("reported " + result.value.length + " base64 chars");
    ev.completed({
      onErrorDeleteItem: true,
      moveItemTo: Office.MailboxEnums.MoveSpamItemTo.JunkFolder,
      showPostProcessingDialog: { title: "Contoso spam reporting", description: "Thank you for reporting this message." },
    });
  });
}

Office.actions.associate("markAsReviewed", markAsReviewed);
Office.actions.associate("onNewMessageComposeHandler", onNewMessageComposeHandler);
Office.actions.associate("onMessageSendHandler", onMessageSendHandler);
Office.actions.associate("onSpamReport", onSpamReport);
