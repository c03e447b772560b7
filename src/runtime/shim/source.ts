/**
 * The text of /office.js and of the sandbox's copy: `installOffice`'s own source, the @types/office-js enums
 * (office-enums.json), the shim extensions, plus a transport. `__name` is defined because the TypeScript loader may
 * wrap named functions with it.
 */
import { readFileSync } from "node:fs";
import { SHIM_EXTENSIONS } from "./extensions.ts";
import { installOffice } from "./office.ts";

export const OFFICE_ENUMS = JSON.parse(readFileSync(new URL("./office-enums.json", import.meta.url), "utf8")) as Record<string, Record<string, string | number>>;

export const SHIM_PRELUDE = "var __name = function (f) { return f; };\n";
export const INSTALL_SOURCE = `${SHIM_PRELUDE}var __outpostInstallOffice = (${installOffice.toString()});
var __outpostEnums = ${JSON.stringify(OFFICE_ENUMS)};
var __outpostExtensions = [${SHIM_EXTENSIONS.map((f) => `(${f.toString()})`).join(",\n")}];
`;

/**
 * Browser build: calls go to the host page with postMessage; the host page (Outpost's web client or the browser
 * runtime's /host.html) holds the session secret, signs each call and posts it to /bridge/call. The add-in frame
 * never sees the secret. Messages are accepted from the parent window only; the host's answers carry `outpost: 1`.
 */
export function browserOfficeJs(): string {
  return `${INSTALL_SOURCE}(function () {
  if (window.__outpostOffice) return;
  var pending = {}; var next = 0; var api;
  function send(data) { data.outpost = 1; window.parent.postMessage(data, "*"); }
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.outpost !== 1 || e.source !== window.parent) return;
    if (d.id && pending[d.id]) { var done = pending[d.id]; delete pending[d.id]; done(d.result); return; }
    if (!api) return;
    if (d.fire) api.fire(String(d.fire.type), d.fire.args || {}, !!d.fire.rebootstrap);
    else if (d.invoke) api.invoke(d.invoke);
    else if (d.dialogEvent) api.dialogEvent(d.dialogEvent);
  });
  // Work the page still has in hand: Office calls until their callbacks ran, requests, short timers. A runner asks
  // for it (window.__outpostBusy) before it takes a quiet page for finished; the web client never does.
  var busy = 0;
  function hold() { busy++; }
  function release() { realSetTimeout(function () { busy--; }, 0); }
  var realSetTimeout = window.setTimeout.bind(window); var realClearTimeout = window.clearTimeout.bind(window);
  var timers = {};
  window.setTimeout = function (fn, ms) {
    var rest = Array.prototype.slice.call(arguments, 2);
    if (typeof fn !== "function" || !(Number(ms) <= 2000)) return realSetTimeout.apply(window, arguments);
    hold();
    var id = realSetTimeout(function () { delete timers[id]; try { fn.apply(window, rest); } finally { release(); } }, ms);
    timers[id] = true;
    return id;
  };
  window.clearTimeout = function (id) { if (timers[id]) { delete timers[id]; release(); } realClearTimeout(id); };
  if (window.fetch) {
    var realFetch = window.fetch.bind(window);
    window.fetch = function () { hold(); var p = realFetch.apply(window, arguments); p.then(release, release); return p; };
  }
  var realSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    hold(); this.addEventListener("loadend", release, { once: true });
    return realSend.apply(this, arguments);
  };
  window.__outpostBusy = function () { return new Promise(function (r) { realSetTimeout(function () { r(busy); }, 0); }); };
  function transport(member, args) {
    hold();
    return new Promise(function (resolve) {
      var id = ++next; pending[id] = function (r) { resolve(r); release(); };
      send({ id: id, member: member, args: args });
    });
  }
  window.addEventListener("error", function (e) {
    send({ error: String(e.message || "Script error"), stack: e.error && e.error.stack ? String(e.error.stack) : undefined });
  });
  window.addEventListener("unhandledrejection", function (e) {
    var r = e.reason; send({ error: String(r && r.message ? r.message : r), stack: r && r.stack ? String(r.stack) : undefined });
  });
  api = __outpostInstallOffice(window, {
    transport: transport,
    notify: function (member, args) { transport(member, args); },
    onError: function (message, stack) { send({ error: String(message), stack: stack }); },
    refused: function (member, message) { send({ refused: { member: member, message: message } }); },
    enums: __outpostEnums,
    extensions: __outpostExtensions,
    runtime: "browser"
  });
  window.__outpostOffice = true;
  Office.onReady(function () { send({ ready: true }); });
})();
`;
}
