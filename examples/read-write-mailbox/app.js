// Outpost demo add-in, ReadWriteMailbox tier: EWS, mailbox-wide tokens, master categories.
"use strict";

function show(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
  console.log(`${id}: ${text}`);
}

const GET_INBOX = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"',
  ' xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"',
  ' xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">',
  '<soap:Header><t:RequestServerVersion Version="Exchange2013"/></soap:Header>',
  "<soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>",
  '<m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder></soap:Body>',
  "</soap:Envelope>",
].join("");

Office.onReady(() => {
  const mailbox = Office.context.mailbox;
  const item = mailbox.item;
  show("subject", `subject ${typeof item.subject === "string" ? item.subject : "(compose)"}`);

  mailbox.makeEwsRequestAsync(GET_INBOX, (result) => {
    if (result.status !== Office.AsyncResultStatus.Succeeded) return show("ews", `makeEwsRequestAsync failed ${result.error.code}: ${result.error.message}`);
    const match = /TotalCount>(\d+)</.exec(result.value);
    show("ews", `makeEwsRequestAsync GetFolder inbox, ${match ? match[1] : "?"} items`);
  });

  mailbox.getCallbackTokenAsync({ isRest: true }, (result) =>
    show("token", result.status === Office.AsyncResultStatus.Succeeded ? `getCallbackTokenAsync REST token ${result.value.length} chars` : `getCallbackTokenAsync failed ${result.error.code}: ${result.error.message}`),
  );

  mailbox.masterCategories.getAsync((result) =>
    show("categories", result.status === Office.AsyncResultStatus.Succeeded ? `masterCategories.getAsync ${result.value.length} categories` : `masterCategories.getAsync failed ${result.error.code}`),
  );

  const settings = Office.context.roamingSettings;
  settings.set("lastRun", new Date().toISOString());
  settings.saveAsync((result) => show("roaming", `roamingSettings.saveAsync ${result.status}`));
});
