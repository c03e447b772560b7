/**
 * The text of /office.js and of the sandbox's copy: `installOffice`'s own source plus a transport.
 * `__name` is defined because the TypeScript loader may wrap named functions with it.
 */
import { installOffice } from "./office.ts";

export const SHIM_PRELUDE = "var __name = function (f) { return f; };\n";
export const INSTALL_SOURCE = `${SHIM_PRELUDE}var __outpostInstallOffice = (${installOffice.toString()});\n`;

/**
 * Browser build: calls go to the host page with postMessage; the host page (Outpost's web client) holds the session
 * secret, signs each call and posts it to /bridge/call. The add-in frame never sees the secret.
 */
export function browserOfficeJs(): string {
  return `${INSTALL_SOURCE}(function () {
  var pending = {}; var next = 0;
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.outpost !== 1 || e.source !== window.parent || !pending[d.id]) return;
    var done = pending[d.id]; delete pending[d.id]; done(d.result);
  });
  function transport(member, args) {
    return new Promise(function (resolve) {
      var id = ++next; pending[id] = resolve;
      window.parent.postMessage({ outpost: 1, id: id, member: member, args: args }, "*");
    });
  }
  __outpostInstallOffice(window, {
    transport: transport,
    notify: function (member, args) { transport(member, args); },
    onError: function (message) { window.parent.postMessage({ outpost: 1, error: String(message) }, "*"); }
  });
})();
`;
}
