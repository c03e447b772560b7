// Work requests for Outlook: on the user's action, turns the open email into a request, a task or an update in the
// work-tracking service and uploads the attachments the user chose. Everything here works at ReadItem.
"use strict";

const NOTE_KEY = "workRequests";
const TITLE_MAX = 500;
const $ = (id) => document.getElementById(id);
// Settings: config.json beside this page, overridden by the page's query (?service=…&graph=…&naaClient=…&naaScope=…).
let cfg = { service: "", graph: "https://graph.microsoft.com", naaClient: "", naaScope: "" };
let serviceUrl = "";
let token = null;
let item;
// How this session proves the user and reads attachments, decided at the first click (see authMode()).
let mode = null;
let msalApp = null;

function status(text, kind) {
  $("status").textContent = text;
  $("status").className = kind || "";
  console.log(`status: ${text}`);
}

function officeCall(fn) {
  return new Promise((resolve, reject) => fn((r) => (r.status === Office.AsyncResultStatus.Succeeded ? resolve(r.value) : reject(Object.assign(new Error(r.error.message), { code: r.error.code })))));
}

async function config() {
  const r = await fetch("config.json").catch(() => null);
  const c = r && r.ok ? await r.json().catch(() => ({})) : {};
  const q = new URLSearchParams(location.search);
  const pick = (k) => q.get(k) || (c[k] !== undefined ? String(c[k]) : cfg[k]);
  cfg = { service: pick("service") || "http://localhost:3100", graph: pick("graph"), naaClient: pick("naaClient"), naaScope: pick("naaScope") };
  return cfg.service.replace(/\/$/, "");
}

// The note this add-in keeps on the email: an array of {kind, id, url, at}. Anything else under the key (another
// add-in's data, an edited value) is reported and left alone.
function readNotes(props) {
  const raw = props.get(NOTE_KEY);
  if (raw === undefined || raw === null) return { notes: [] };
  try {
    const list = typeof raw === "string" ? JSON.parse(raw) : raw;
    if (!Array.isArray(list)) throw new Error("not a list");
    for (const n of list) if (!n || !["request", "task", "update"].includes(n.kind) || !Number.isInteger(n.id) || typeof n.url !== "string" || typeof n.at !== "string") throw new Error("bad entry");
    return { notes: list };
  } catch {
    return { notes: [], foreign: true };
  }
}

function showNotes(notes, foreign) {
  const last = notes[notes.length - 1];
  if (last) {
    $("note").className = "";
    $("note").innerHTML = "";
    const label = last.kind[0].toUpperCase() + last.kind.slice(1);
    $("note").append(`${label} #${last.id} submitted on ${new Date(last.at).toLocaleString("en-GB", { timeZone: "UTC" })} UTC — `);
    const a = document.createElement("a");
    a.href = last.url;
    a.target = "_blank";
    a.textContent = "open";
    $("note").append(a);
  }
  $("history").innerHTML = "";
  for (const n of notes) {
    const li = document.createElement("li");
    li.textContent = `${n.kind} #${n.id} at ${n.at}`;
    $("history").append(li);
  }
  if (foreign) status("This email carries custom properties this add-in did not write; they were left untouched and are not shown.", "error");
}

Office.onReady(async () => {
  item = Office.context.mailbox.item;
  serviceUrl = await config();
  // The pane was opened by the user: prefill from the email and show what was done with it before.
  $("title").value = item.subject || "";
  try {
    $("description").value = (await officeCall((cb) => item.body.getAsync(Office.CoercionType.Text, cb))).trim();
  } catch (e) {
    $("description").value = "";
  }
  for (const a of item.attachments || []) {
    if (a.attachmentType !== Office.MailboxEnums.AttachmentType.File) continue;
    const label = document.createElement("label");
    label.style.fontWeight = "normal";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = a.id;
    box.dataset.name = a.name;
    box.dataset.size = String(a.size);
    label.append(box, ` ${a.name} (${a.size} bytes)`);
    $("attachments").append(label);
  }
  try {
    const props = await officeCall((cb) => item.loadCustomPropertiesAsync(cb));
    const { notes, foreign } = readNotes(props);
    showNotes(notes, foreign);
  } catch (e) {
    status(`Could not read this email's notes: ${e.message}`, "error");
  }
  $("kind").addEventListener("change", onKind);
  $("search-button").addEventListener("click", () => search().catch((e) => status(e.message, "error")));
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    submit().catch((err) => status(err.message, "error"));
  });
  document.body.dataset.ready = "true";
});

async function onKind() {
  const kind = $("kind").value;
  $("project-row").className = kind === "task" ? "" : "hidden";
  $("target-row").className = kind === "update" ? "" : "hidden";
  if (kind === "task" && !$("project").options.length) {
    const projects = await api("GET", "/api/projects");
    for (const p of projects) $("project").append(new Option(p.name, String(p.id)));
  }
}

async function search() {
  const hits = await api("GET", `/api/search?q=${encodeURIComponent($("search").value)}`);
  $("target").innerHTML = "";
  for (const h of hits) $("target").append(new Option(`${h.kind} #${h.id} ${h.title}`, `${h.kind}:${h.id}`));
  if (!hits.length) status("Nothing matches that search.", "error");
}

// Which of the three paths this tenant allows, asked at the first click (never before):
// - "legacy": legacy Exchange tokens on — Outpost's identity token for the service, attachments through REST $value
//   with the read-only callback token;
// - "dialog": tokens off (disabled) — the service's own sign-in in a dialog, getAttachmentContentAsync;
// - "naa": tokens removed — MSAL.js nested app auth: a token for the service's API, and one for Graph (Mail.Read)
//   to download the attachments. Without an NAA registration configured, "dialog" again.
// diagnostics.ews.getTokenStatusAsync (Mailbox 1.16) tells; where it is missing, the token calls themselves decide.
async function authMode() {
  if (mode) return mode;
  const ews = Office.context.mailbox.diagnostics && Office.context.mailbox.diagnostics.ews;
  let status = null;
  if (ews && typeof ews.getTokenStatusAsync === "function") status = await officeCall((cb) => ews.getTokenStatusAsync(cb)).catch(() => null);
  const naaReady = cfg.naaClient && cfg.naaScope && Office.context.requirements.isSetSupported("NestedAppAuth", "1.1");
  mode = status === 2 ? (naaReady ? "naa" : "dialog") : status === 0 ? "dialog" : "legacy";
  return mode;
}

// Who the user is, for the service (per mode above). The mailbox callback token and the Graph token never go to the
// service: it gets the bytes.
async function signIn(force) {
  if (token && !force) return token;
  const m = await authMode();
  if (m === "naa") {
    token = await naaToken([cfg.naaScope]);
    return token;
  }
  if (m === "legacy") {
    try {
      token = await officeCall((cb) => Office.context.mailbox.getUserIdentityTokenAsync(cb));
      return token;
    } catch {
      mode = "dialog"; // tokens refused after all (e.g. the tenant switched them off meanwhile)
    }
  }
  token = await dialogSignIn();
  return token;
}

function loadMsal() {
  if (globalThis.msal) return Promise.resolve(globalThis.msal);
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "vendor/msal-browser.min.js";
    s.onload = () => resolve(globalThis.msal);
    s.onerror = () => reject(new Error("MSAL.js could not be loaded; nothing was submitted."));
    document.head.append(s);
  });
}

// Nested app authentication: the host brokers the token (silently when consent is in force, else its consent dialog).
async function naaToken(scopes) {
  const msal = await loadMsal();
  msalApp = msalApp || (await msal.createNestablePublicClientApplication({ auth: { clientId: cfg.naaClient } }));
  try {
    return (await msalApp.acquireTokenSilent({ scopes })).accessToken;
  } catch (e) {
    if (!(e instanceof msal.InteractionRequiredAuthError)) throw new Error(`Sign-in failed (${e.errorCode || e.message}); nothing was submitted.`);
    try {
      return (await msalApp.acquireTokenPopup({ scopes })).accessToken;
    } catch (e2) {
      throw new Error(e2.errorCode === "user_canceled" ? "Sign-in was cancelled; nothing was submitted." : `Sign-in failed (${e2.errorCode || e2.message}); nothing was submitted.`);
    }
  }
}

function dialogSignIn() {
  return new Promise((resolve, reject) => {
    const url = new URL(`signin.html?service=${encodeURIComponent(serviceUrl)}`, location.href).href;
    Office.context.ui.displayDialogAsync(url, { height: 40, width: 30 }, (r) => {
      if (r.status !== Office.AsyncResultStatus.Succeeded) return reject(new Error(`The sign-in dialog could not open (${r.error.code}).`));
      const dialog = r.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (m) => {
        dialog.close();
        try {
          resolve(JSON.parse(m.message).token);
        } catch {
          reject(new Error("The sign-in dialog sent an unreadable answer."));
        }
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => reject(new Error("Sign-in was cancelled; nothing was submitted.")));
    });
  });
}

async function api(method, path, body, retried) {
  const auth = await signIn(false);
  let r;
  try {
    r = await fetch(`${serviceUrl}${path}`, { method, headers: { authorization: `Bearer ${auth}`, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(30000) });
  } catch (e) {
    throw new Error(e.name === "TimeoutError" ? "The work-tracking service did not answer in 30 seconds; nothing was submitted." : `The work-tracking service at ${serviceUrl} cannot be reached; nothing was submitted.`);
  }
  const data = await r.json().catch(() => ({}));
  if (r.status === 401 && !retried) {
    token = null;
    return api(method, path, body, true);
  }
  if (!r.ok) throw new Error(data.error || `The service answered HTTP ${r.status}.`);
  return data;
}

// Reads a streamed download into a Blob with progress (Chromium keeps large blobs out of the page's heap).
async function readStream(r, onProgress) {
  const reader = r.body.getReader();
  const parts = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.length;
    onProgress(got);
  }
  return new Blob(parts);
}

// Base64 to bytes natively (no atob string, no per-character loop).
async function fromBase64(b64) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
  return new Uint8Array(await (await fetch(`data:application/octet-stream;base64,${b64}`)).arrayBuffer());
}

// One attachment's bytes, byte for byte, by the session's mode: REST $value with the read-only callback token
// (legacy), Graph $value with a Mail.Read token (naa), else getAttachmentContentAsync (Mailbox 1.8). Each needs
// ReadItem at most (Graph: the Mail.Read scope the user consented to).
async function attachmentBytes(att, onProgress) {
  const m = await authMode();
  const restId = (id) => Office.context.mailbox.convertToRestId(id, Office.MailboxEnums.RestVersion.v2_0);
  if (m === "naa") {
    const graphToken = await naaToken(["Mail.Read"]);
    const graph = cfg.graph.replace(/\/$/, "");
    const r = await fetch(`${graph}/v1.0/me/messages/${encodeURIComponent(restId(item.itemId))}/attachments/${encodeURIComponent(restId(att.id))}/$value`, { headers: { authorization: `Bearer ${graphToken}` } }).catch(() => null);
    if (!r) throw new Error(`${att.name}: Microsoft Graph at ${cfg.graph} cannot be reached; nothing was submitted.`);
    if (!r.ok || !r.body) throw new Error(`${att.name}: Graph refused the download (HTTP ${r.status}).`);
    return { blob: await readStream(r, onProgress), via: "graph" };
  }
  if (m === "legacy") {
    const callbackToken = await officeCall((cb) => Office.context.mailbox.getCallbackTokenAsync({ isRest: true }, cb)).catch(() => null);
    if (callbackToken && Office.context.mailbox.restUrl) {
      // A REST endpoint this client cannot reach falls through to getAttachmentContentAsync below.
      const r = await fetch(`${Office.context.mailbox.restUrl}/v2.0/me/messages/${encodeURIComponent(restId(item.itemId))}/attachments/${encodeURIComponent(restId(att.id))}/$value`, { headers: { authorization: `Bearer ${callbackToken}` } }).catch(() => null);
      if (r && (!r.ok || !r.body)) throw new Error(`${att.name}: the mailbox refused the download (HTTP ${r.status}).`);
      if (r) return { blob: await readStream(r, onProgress), via: "rest" };
    }
  }
  const content = await officeCall((cb) => item.getAttachmentContentAsync(att.id, cb));
  if (content.format !== Office.MailboxEnums.AttachmentContentFormat.Base64) throw new Error(`${att.name}: unexpected content format ${content.format}.`);
  const bytes = await fromBase64(content.content);
  onProgress(bytes.length);
  return { blob: new Blob([bytes]), via: "getAttachmentContentAsync" };
}

function upload(submission, name, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `${serviceUrl}/api/submissions/${submission}/documents?name=${encodeURIComponent(name)}`);
    xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.timeout = 120000;
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let data = {};
      try {
        data = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status === 200) resolve(data);
      else reject(new Error(data.error || `${name}: the service answered HTTP ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new Error(`${name}: the upload was cut off (the service may refuse files this large or be down).`));
    xhr.ontimeout = () => reject(new Error(`${name}: the service did not finish receiving it in 2 minutes.`));
    xhr.send(blob);
  });
}

async function submit() {
  const kind = $("kind").value;
  const title = $("title").value.trim();
  if (kind !== "update" && !title) return status("Give the request a title.", "error");
  if (title.length > TITLE_MAX) return status(`The title is ${title.length} characters; the service accepts at most ${TITLE_MAX}. Shorten it; nothing was submitted.`, "error");
  const chosen = [...$("attachments").querySelectorAll("input:checked")].map((b) => ({ id: b.value, name: b.dataset.name, size: Number(b.dataset.size) }));
  const body = { kind, title, description: $("description").value, documents: chosen.length };
  if (kind === "task") body.projectId = Number($("project").value);
  if (kind === "update") {
    const [tk, tid] = ($("target").value || ":").split(":");
    if (!tid) return status("Search for and choose the request or task to update.", "error");
    body.target = { kind: tk, id: Number(tid) };
  }
  $("submit").disabled = true;
  status("Submitting…");
  let submission = null;
  try {
    submission = await api("POST", "/api/submissions");
    const tooBig = chosen.find((a) => a.size > submission.uploadMaxBytes);
    if (tooBig) throw new Error(`${tooBig.name} is ${(tooBig.size / 1048576).toFixed(1)} MB; the service accepts documents up to ${(submission.uploadMaxBytes / 1048576).toFixed(1)} MB. Untick it or share it another way; nothing was submitted.`);
    const total = chosen.reduce((s, a) => s + a.size, 0) * 2 || 1;
    let done = 0;
    $("progress").className = "";
    const vias = [];
    for (const att of chosen) {
      const { blob, via } = await attachmentBytes(att, (n) => ($("progress").value = (done + n) / total));
      vias.push(via);
      done += att.size;
      await upload(submission.id, att.name, blob, (n) => ($("progress").value = (done + n) / total));
      done += att.size;
    }
    const result = await api("POST", `/api/submissions/${submission.id}/commit`, body);
    submission = null;
    const note = { kind: result.kind, id: result.id, url: `${serviceUrl}${result.url}`, at: new Date().toISOString() };
    const props = await officeCall((cb) => item.loadCustomPropertiesAsync(cb));
    const { notes, foreign } = readNotes(props);
    if (!foreign) {
      props.set(NOTE_KEY, JSON.stringify([...notes, note].slice(-10)));
      await officeCall((cb) => props.saveAsync(cb));
    }
    showNotes(foreign ? [note] : [...notes, note], foreign);
    $("progress").value = 1;
    document.body.dataset.via = vias.join(",");
    document.body.dataset.mode = mode;
    status(`${result.kind[0].toUpperCase()}${result.kind.slice(1)} #${result.id} submitted with ${result.documents.length} document(s).`, "ok");
  } finally {
    // Anything staged for a submission that did not complete is withdrawn: nothing half-submitted stays. The message
    // and the button come back after that (the error is shown once submit() has settled).
    if (submission) await api("DELETE", `/api/submissions/${submission.id}`).catch(() => undefined);
    $("submit").disabled = false;
  }
}
