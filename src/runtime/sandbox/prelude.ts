/**
 * What an add-in page expects around it, inside the isolate: console, timers (driven by the host, with limits),
 * and a minimal inert DOM — enough for typical add-in scripts, which mostly write results into elements.
 */
export const SANDBOX_PRELUDE = `
"use strict";
// WebAssembly is switched off in the isolate: its memories live outside the V8 heap that memoryLimit caps (one
// grew to 3 GB past a 64 MB limit), and add-in code has no need of it. Using it throws, which is reported.
delete globalThis.WebAssembly;
var window = globalThis; var self = globalThis;
(function () {
  var log = __host_log; var timerSet = __host_timer_set; var timerClear = __host_timer_clear;
  function fmt(args) { return Array.prototype.map.call(args, function (a) { if (typeof a === "string") return a; try { return JSON.stringify(a); } catch (e) { return String(a); } }).join(" "); }
  globalThis.console = {
    log: function () { log("log", fmt(arguments)); }, info: function () { log("info", fmt(arguments)); },
    warn: function () { log("warn", fmt(arguments)); }, error: function () { log("error", fmt(arguments)); }, debug: function () { log("debug", fmt(arguments)); }
  };
  var timers = {}; var nextTimer = 0;
  function add(fn, ms, repeat, args) {
    if (typeof fn !== "function") return 0;
    var id = ++nextTimer; timers[id] = { fn: fn, ms: Math.max(0, Number(ms) || 0), repeat: repeat, args: args };
    timerSet(id, timers[id].ms); return id;
  }
  globalThis.setTimeout = function (fn, ms) { return add(fn, ms, false, Array.prototype.slice.call(arguments, 2)); };
  globalThis.setInterval = function (fn, ms) { return add(fn, ms, true, Array.prototype.slice.call(arguments, 2)); };
  globalThis.clearTimeout = globalThis.clearInterval = function (id) { if (timers[id]) { delete timers[id]; timerClear(id); } };
  globalThis.queueMicrotask = function (fn) { Promise.resolve().then(fn); };
  globalThis.__outpostFireTimer = function (id) {
    var t = timers[id]; if (!t) return false;
    if (t.repeat) timerSet(id, Math.max(t.ms, 4)); else delete timers[id];
    t.fn.apply(undefined, t.args); return true;
  };
  var listeners = {};
  function on(type, fn) { (listeners[type] = listeners[type] || []).push(fn); }
  globalThis.addEventListener = on; globalThis.removeEventListener = function () {};
  globalThis.__outpostFireLoad = function () {
    ["DOMContentLoaded", "load"].forEach(function (type) { (listeners[type] || []).forEach(function (fn) { fn({ type: type }); }); });
  };
  var elements = {};
  function element(id) {
    if (elements[id]) return elements[id];
    var el = { id: id, textContent: "", innerHTML: "", innerText: "", value: "", style: {}, dataset: {}, hidden: false, disabled: false, children: [],
      classList: { add: function () {}, remove: function () {}, toggle: function () {}, contains: function () { return false; } },
      addEventListener: function () {}, removeEventListener: function () {}, appendChild: function (c) { el.children.push(c); return c; },
      removeChild: function (c) { return c; }, setAttribute: function () {}, getAttribute: function () { return null; }, querySelector: function () { return null; },
      querySelectorAll: function () { return []; }, focus: function () {}, click: function () {} };
    elements[id] = el; return el;
  }
  globalThis.document = {
    readyState: "loading",
    getElementById: function (id) { return element(String(id)); },
    querySelector: function (sel) { return typeof sel === "string" && sel.charAt(0) === "#" ? element(sel.slice(1)) : null; },
    querySelectorAll: function () { return []; },
    createElement: function (tag) { return element("\\u0000" + tag + (++nextTimer)); },
    createTextNode: function (t) { return { textContent: t }; },
    addEventListener: on, removeEventListener: function () {},
    body: element("\\u0000body"), head: element("\\u0000head"),
  };
  globalThis.__outpostPage = function () {
    var out = {}; Object.keys(elements).forEach(function (id) { if (id.charAt(0) !== "\\u0000") out[id] = String(elements[id].textContent || elements[id].innerHTML || elements[id].innerText || elements[id].value || ""); });
    return JSON.stringify(out);
  };
  globalThis.navigator = { userAgent: "Outpost headless", language: "en-US" };
  globalThis.location = { href: "https://localhost/addin.html", origin: "https://localhost", search: "", hash: "" };
})();
`;
