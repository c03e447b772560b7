// What a bundler emits for an ES-module add-in: a chunk imported statically, one imported dynamically, top-level await.
import { version } from "./version.js";
import { describeItem } from "./describe.js";

await Office.onReady();
const item = Office.context.mailbox.item;
document.getElementById("out").textContent = describeItem(item, version);
const { countAttachments } = await import("./attachments.js");
document.getElementById("count").textContent = `attachments ${await countAttachments(item)}`;
