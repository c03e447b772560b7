/**
 * Outpost's own office.js (no Microsoft code). `installOffice` is self-contained — it closes over nothing in this
 * module — because its source text is what the server sends as /office.js and what the headless sandbox evaluates.
 * The surface is generated from the bootstrap the server sends: every method path of the permission table that
 * exists in this mode gets a stub that posts the call to the transport; the server decides and runs it.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface ShimCallResult {
  outcome: "ok" | "denied" | "failed";
  value?: unknown;
  error?: { code: number; name: string; message: string };
}

export type ShimTransport = (member: string, args: unknown[]) => Promise<ShimCallResult>;
/** Fire-and-forget report of a synchronous call (traced and re-checked by the server; the page has its answer). */
export type ShimNotify = (member: string, args: unknown[]) => void;

export interface ShimHooks {
  transport: ShimTransport;
  notify: ShimNotify;
  /** An exception escaped an add-in callback (its stack, when there is one, second). */
  onError(message: string, stack?: string): void;
  /** The page refused a call before it reached the server (office.js throws synchronously): for the trace. */
  refused?(member: string, message: string): void;
  /** Every enum of @types/office-js by path ("Office.MailboxEnums.ItemType"), from office-enums.json. */
  enums?: Record<string, Record<string, string | number>>;
  /** Self-contained installers run on the finished Office object (e.g. Office.context.auth, see extensions.ts). */
  extensions?: Array<(Office: any, hooks: ShimHooks) => void>;
  /** The runtime the page runs in; "js" (JavaScript-only runtime for event handlers) has no DOM. */
  runtime?: "browser" | "js";
}

export interface ShimInvoke {
  name: string;
  kind: "function" | "event";
  eventType?: string;
  event?: Record<string, unknown>;
}

export interface ShimApi {
  start(boot?: any): void;
  ready(): void;
  fire(eventType: string, args: any, rebootstrap?: boolean): void;
  /** Runs a function command or event handler: Office.actions.associate's function, else a global of that name. */
  invoke(request: ShimInvoke): void;
  /** A dialog event from the host page (message from the dialog, dialog closed, message from the parent). */
  dialogEvent(ev: any): void;
}

export function installOffice(g: any, hooks: ShimHooks, boot?: any): ShimApi {
  const MAILBOX = "Office.context.mailbox";
  /** Where office.js's values differ from what @types/office-js declares (it declares many enums without values). */
  const enums = {
    ActiveView: { Read: "read", Edit: "edit" },
    BindingType: { Text: "text", Matrix: "matrix", Table: "table" },
    DocumentMode: { ReadOnly: "readOnly", ReadWrite: "readWrite" },
    FileType: { Text: "text", Compressed: "compressed", Pdf: "pdf" },
    FilterType: { All: "all", OnlyVisible: "onlyVisible" },
    GoToType: { Binding: "binding", NamedItem: "namedItem", Slide: "slide", Index: "index" },
    Index: { First: "first", Last: "last", Next: "next", Previous: "previous" },
    InitializationReason: { Inserted: "inserted", DocumentOpened: "documentOpened" },
    SelectionMode: { Default: "default", Selected: "selected", None: "none" },
    Table: { All: "all", Data: "data", Headers: "headers" },
    ValueFormat: { Unformatted: "unformatted", Formatted: "formatted" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html", Matrix: "matrix", Table: "table", Image: "image", Ooxml: "ooxml", SlideRange: "slideRange", XmlSvg: "xmlSvg" },
    EventType: {
      ActiveViewChanged: "activeViewChanged",
      BindingDataChanged: "bindingDataChanged",
      BindingSelectionChanged: "bindingSelectionChanged",
      DialogEventReceived: "dialogEventReceived",
      DialogMessageReceived: "dialogMessageReceived",
      DialogParentMessageReceived: "dialogParentMessageReceived",
      DocumentSelectionChanged: "documentSelectionChanged",
      DragAndDropEvent: "olkDragAndDropEvent",
      InitializationContextChanged: "olkInitializationContextChanged",
      NodeDeleted: "nodeDeleted",
      NodeInserted: "nodeInserted",
      NodeReplaced: "nodeReplaced",
      ResourceSelectionChanged: "resourceSelectionChanged",
      SettingsChanged: "settingsChanged",
      SpamReporting: "olkSpamReporting",
      TaskSelectionChanged: "taskSelectionChanged",
      ViewSelectionChanged: "viewSelectionChanged",
      ItemChanged: "olkItemSelectedChanged",
      RecipientsChanged: "olkRecipientsChanged",
      AppointmentTimeChanged: "olkAppointmentTimeChanged",
      RecurrenceChanged: "olkRecurrenceChanged",
      AttachmentsChanged: "olkAttachmentsChanged",
      EnhancedLocationsChanged: "olkEnhancedLocationsChanged",
      InfobarClicked: "olkInfobarClicked",
      SelectedItemsChanged: "olkSelectedItemsChanged",
      SensitivityLabelChanged: "olkSensitivityLabelChanged",
      OfficeThemeChanged: "officeThemeChanged",
    },
    HostType: { Word: "Word", Excel: "Excel", PowerPoint: "PowerPoint", Outlook: "Outlook", OneNote: "OneNote", Project: "Project", Access: "Access" },
    PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac", iOS: "iOS", Android: "Android", Universal: "Universal" },
    MailboxEnums: {
      ItemType: { Message: "message", Appointment: "appointment" },
      EntityType: {
        MeetingSuggestion: "meetingSuggestion",
        TaskSuggestion: "taskSuggestion",
        Address: "address",
        EmailAddress: "emailAddress",
        Url: "url",
        PhoneNumber: "phoneNumber",
        Contact: "contact",
      },
      ItemNotificationMessageType: { ProgressIndicator: "progressIndicator", InformationalMessage: "informationalMessage", ErrorMessage: "errorMessage", InsightMessage: "insightMessage" },
      AttachmentType: { File: "file", Item: "item", Cloud: "cloud" },
      AttachmentContentFormat: { Base64: "base64", Url: "url", Eml: "eml", ICalendar: "iCalendar" },
      BodyType: { Text: "text", Html: "html" },
      RecipientType: { DistributionList: "distributionList", User: "user", ExternalUser: "externalUser", Other: "other" },
      ResponseType: { None: "none", Organizer: "organizer", Tentative: "tentative", Accepted: "accepted", Declined: "declined" },
      ComposeType: { Reply: "reply", NewMail: "newMail", Forward: "forward" },
      AppointmentSensitivityType: { Normal: "normal", Personal: "personal", Private: "private", Confidential: "confidential" },
      RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" },
      SourceProperty: { Body: "body", Subject: "subject" },
      RecurrenceType: { Daily: "daily", Weekday: "weekday", Weekly: "weekly", Monthly: "monthly", Yearly: "yearly" },
      Days: { Mon: "mon", Tue: "tue", Wed: "wed", Thu: "thu", Fri: "fri", Sat: "sat", Sun: "sun", Weekday: "weekday", WeekendDay: "weekendDay", Day: "day" },
      Month: { Jan: "jan", Feb: "feb", Mar: "mar", Apr: "apr", May: "may", Jun: "jun", Jul: "jul", Aug: "aug", Sep: "sep", Oct: "oct", Nov: "nov", Dec: "dec" },
      WeekNumber: { First: "first", Second: "second", Third: "third", Fourth: "fourth", Last: "last" },
      LocationType: { Custom: "custom", Room: "room" },
      DelegatePermissions: { Read: 1, Write: 2, DeleteOwn: 4, DeleteAll: 8, EditOwn: 16, EditAll: 32 },
      InfobarType: { Informational: 0, ProgressIndicator: 1, Error: 2, Insight: 3 },
      InfobarActionType: { Dismiss: 1 },
      TokenStatus: { Disabled: 0, Enabled: 1, Removed: 2 },
      OpenLocation: { AccountDocument: 0, Camera: 1, Local: 2, OnedriveForBusiness: 3, Other: 4, PhotoLibrary: 5, SharePoint: 6 },
      SaveLocation: { AccountDocument: 0, Box: 1, Dropbox: 2, GoogleDrive: 3, Local: 4, OnedriveForBusiness: 5, Other: 6, PhotoLibrary: 7, SharePoint: 8 },
      ItemNotificationMessageTypeNames: undefined as unknown,
    },
  };
  delete (enums.MailboxEnums as any).ItemNotificationMessageTypeNames;

  const handlers: Record<string, Array<(a: any) => void>> = {};
  const readyCallbacks: Array<(info: any) => void> = [];
  let readyInfo: any = null;
  // Declared by @types/office-js as a function; add-ins replace it (office.js calls it once the host is ready).
  let initialize: any = function () {};
  const info = { host: "Outlook", platform: "OfficeOnline" };

  function safe(fn: any, arg: any): void {
    try {
      fn(arg);
    } catch (e: any) {
      reportError(e);
    }
  }

  function reportError(e: any): void {
    hooks.onError(e && e.message ? String(e.message) : String(e), e && typeof e.stack === "string" ? e.stack : undefined);
  }

  /** office.js's errors carry enumerable name, message and code (JSON.stringify keeps them), unlike an Error's. */
  function OfficeError(this: any, e: any): void {
    this.name = (e && e.name) || "Error";
    this.message = (e && e.message) || "failed";
    this.code = (e && e.code) || 5001;
  }

  /** A synchronous refusal office.js throws on the page; reported so the trace shows it (where: "page"). */
  function refuse(path: string, message: string): never {
    if (hooks.refused) hooks.refused(path, message);
    throw new Error(message);
  }

  function toJson(v: any): any {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(toJson);
    if (v && typeof v === "object") {
      const out: any = {};
      for (const k of Object.keys(v)) if (typeof v[k] !== "function") out[k] = toJson(v[k]);
      return out;
    }
    return v;
  }

  /** Office.js call convention: (...data, options?, callback?); asyncContext travels in options and stays here. */
  function split(args: any[]): { data: any[]; callback: any; asyncContext: any } {
    let callback: any;
    let asyncContext: any;
    const data: any[] = [];
    for (const a of args) {
      if (typeof a === "function") callback = a;
      else if (a && typeof a === "object" && !Array.isArray(a) && "asyncContext" in a) {
        asyncContext = a.asyncContext;
        const rest: any = {};
        for (const k of Object.keys(a)) if (k !== "asyncContext") rest[k] = a[k];
        data.push(toJson(rest));
      } else data.push(toJson(a));
    }
    while (data.length > 0 && data[data.length - 1] === undefined) data.pop();
    return { data, callback, asyncContext };
  }

  function asyncResult(r: ShimCallResult, asyncContext: any, value: any): any {
    const ok = r.outcome === "ok";
    const error = ok ? undefined : new (OfficeError as any)(r.error);
    return { status: ok ? "succeeded" : "failed", value: ok ? value : undefined, error, asyncContext, diagnostics: undefined };
  }

  function setPath(root: any, segments: string[], value: any): void {
    let o = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const s = segments[i];
      if (o[s] === undefined || o[s] === null || typeof o[s] !== "object") o[s] = {};
      o = o[s];
    }
    o[segments[segments.length - 1]] = value;
  }

  function customProperties(data: any): any {
    const props: any = Object.assign({}, data || {});
    return {
      get: (name: string) => props[name],
      set: (name: string, value: any) => {
        props[name] = value;
      },
      remove: (name: string) => {
        delete props[name];
      },
      getAll: () => Object.assign({}, props),
      saveAsync: (...args: any[]) => {
        const { callback, asyncContext } = split(args);
        hooks.transport("Office.CustomProperties.saveAsync", [toJson(props)]).then((r) => callback && safe(callback, asyncResult(r, asyncContext, undefined)));
      },
    };
  }

  function dateValue(path: string, v: any): any {
    return /\.(start|end|delayDeliveryTime)\.getAsync$/.test(path) && typeof v === "string" ? new Date(v) : v;
  }

  /**
   * Office.SeriesTime: a pure value object, computed on the page (its methods are synchronous) with the rules of the
   * server's series-time.ts; each call is reported to the server, which re-checks the tier and traces it.
   */
  function pad2(n: number): string {
    return (n < 10 ? "0" : "") + n;
  }
  function seriesDate(a: any[]): string {
    if (a.length >= 3) {
      const d = new Date(Date.UTC(a[0], a[1], a[2]));
      if (d.getUTCMonth() !== a[1] || d.getUTCDate() !== a[2]) throw new Error("The date is not valid.");
      return `${d.getUTCFullYear()}-${pad2(a[1] + 1)}-${pad2(a[2])}`;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(a[0]))) throw new Error("The date is not valid.");
    return String(a[0]);
  }
  function seriesClock(m: number): string {
    const v = ((m % 1440) + 1440) % 1440;
    return `T${pad2(Math.floor(v / 60))}:${pad2(v % 60)}:00:000`;
  }
  function SeriesTime(this: any, data?: any): void {
    const d = data || {};
    this.startDate = d.startDate || "";
    this.endDate = d.endDate || "";
    this.startTime = d.startTime || 0;
    this.duration = d.duration || 0;
  }
  const seriesMethods: any = {
    getStartDate: (s: any) => s.startDate,
    getEndDate: (s: any) => s.endDate,
    getStartTime: (s: any) => seriesClock(s.startTime),
    getEndTime: (s: any) => seriesClock(s.startTime + s.duration),
    getDuration: (s: any) => s.duration,
    setStartDate: (s: any, a: any[]) => void (s.startDate = seriesDate(a)),
    setEndDate: (s: any, a: any[]) => void (s.endDate = seriesDate(a)),
    setStartTime: (s: any, a: any[]) => {
      const m = a.length >= 2 ? [0, a[0], a[1]] : /^T?(\d{1,2}):(\d{2})/.exec(String(a[0]));
      const h = m ? Number(m[1]) : NaN;
      const min = m ? Number(m[2]) : NaN;
      if (!(h >= 0 && h <= 23 && min >= 0 && min <= 59 && h % 1 === 0 && min % 1 === 0)) throw new Error("The time is not valid.");
      s.startTime = h * 60 + min;
    },
    setDuration: (s: any, a: any[]) => {
      if (!(typeof a[0] === "number" && a[0] >= 0 && a[0] % 1 === 0)) throw new Error("The duration is not valid.");
      s.duration = a[0];
    },
  };
  for (const name of Object.keys(seriesMethods)) {
    (SeriesTime as any).prototype[name] = function (this: any, ...a: any[]) {
      hooks.notify(`Office.SeriesTime.${name}`, [toJson(this)].concat(toJson(a)));
      return seriesMethods[name](this, a);
    };
  }
  function recurrenceValue(v: any): any {
    if (v && typeof v === "object" && v.seriesTime) v.seriesTime = new (SeriesTime as any)(v.seriesTime);
    return v;
  }

  function asyncStub(path: string, throws: Record<string, string>, limits: Record<string, { maxChars: number; message: string }>, b: any): (...args: any[]) => void {
    return (...args: any[]) => {
      if (throws[path]) refuse(path, throws[path]);
      checkForm(path, args[0]);
      const limit = limits[path];
      if (limit && typeof args[0] === "string" && args[0].length > limit.maxChars) refuse(path, limit.message);
      const { data, callback, asyncContext } = split(args);
      if (/\.(add|remove)HandlerAsync$/.test(path) && typeof args[1] === "function") {
        const list = (handlers[args[0]] = handlers[args[0]] || []);
        if (/addHandlerAsync$/.test(path)) list.push(args[1]);
        else handlers[args[0]] = [];
        data.splice(1);
        const rest = args.slice(2);
        const s = split(rest);
        hooks.transport(path, data).then((r) => s.callback && safe(s.callback, asyncResult(r, s.asyncContext, undefined)));
        return;
      }
      hooks.transport(path, data).then((r) => {
        if (!callback) return;
        let value: any = r.value;
        if (path.endsWith(".loadCustomPropertiesAsync") && r.outcome === "ok") value = customProperties(r.value);
        if (path.endsWith(".loadItemByIdAsync") && r.outcome === "ok") value = loadedItem(b, r.value);
        if (path.endsWith(".recurrence.getAsync") && r.outcome === "ok") value = recurrenceValue(value);
        safe(callback, asyncResult(r, asyncContext, dateValue(path, value)));
      });
    };
  }

  function regExMatches(b: any): any {
    if (b.sync.regExMatchesError) throw new Error(b.sync.regExMatchesError);
    return b.sync.regExMatches || {};
  }
  function entities(b: any): any {
    if (b.sync.entitiesError) throw new Error(b.sync.entitiesError);
    return b.sync.entities || {};
  }

  const SYNC: Record<string, (b: any, args: any[]) => any> = {
    [`${MAILBOX}.item.getRegExMatches`]: (b) => regExMatches(b),
    [`${MAILBOX}.item.getRegExMatchesByName`]: (b, a) => regExMatches(b)[a[0]] || null,
    [`${MAILBOX}.item.getSelectedRegExMatches`]: (b) => (regExMatches(b), b.sync.selectedRegExMatches || {}),
    [`${MAILBOX}.item.getEntities`]: (b) => entities(b),
    [`${MAILBOX}.item.getSelectedEntities`]: (b) => b.sync.selectedEntities || {},
    [`${MAILBOX}.item.getEntitiesByType`]: (b, a) => {
      const e = entities(b);
      const key = String(a[0] || "");
      const map: any = { meetingSuggestion: "meetingSuggestions", taskSuggestion: "taskSuggestions", address: "addresses", emailAddress: "emailAddresses", url: "urls", phoneNumber: "phoneNumbers", contact: "contacts" };
      return e[map[key] || key] || null;
    },
    [`${MAILBOX}.item.getFilteredEntitiesByName`]: (b, a) => (b.sync.filteredEntities || {})[a[0]] || null,
    [`${MAILBOX}.convertToEwsId`]: (_b, a) => a[0],
    [`${MAILBOX}.convertToRestId`]: (_b, a) => a[0],
    [`${MAILBOX}.convertToLocalClientTime`]: (b, a) => {
      const ms = new Date(a[0]).getTime();
      const offset = zoneOffset(userZone(b), ms);
      const d = new Date(ms + offset * 60000);
      return { month: d.getUTCMonth(), date: d.getUTCDate(), year: d.getUTCFullYear(), hours: d.getUTCHours(), minutes: d.getUTCMinutes(), seconds: d.getUTCSeconds(), milliseconds: d.getUTCMilliseconds(), timezoneOffset: offset };
    },
    [`${MAILBOX}.convertToUtcClientTime`]: (b, a) => {
      const t = a[0] || {};
      const asUtc = Date.UTC(t.year, t.month, t.date, t.hours || 0, t.minutes || 0, t.seconds || 0, t.milliseconds || 0);
      if (typeof t.timezoneOffset === "number" && isFinite(t.timezoneOffset)) return new Date(asUtc - t.timezoneOffset * 60000);
      let offset = zoneOffset(userZone(b), asUtc);
      offset = zoneOffset(userZone(b), asUtc - offset * 60000);
      return new Date(asUtc - offset * 60000);
    },
    // No Intune (MAM) policy governs an Outpost mailbox.
    [`${MAILBOX}.getIsIdentityManaged`]: () => false,
    [`${MAILBOX}.getIsOpenFromLocationAllowed`]: (_b, a) => locationAllowed(a[0], 6, "InvalidOpenLocationInput"),
    [`${MAILBOX}.getIsSaveToLocationAllowed`]: (_b, a) => locationAllowed(a[0], 8, "InvalidSaveLocationInput"),
    [`${MAILBOX}.item.close`]: () => undefined,
    [`${MAILBOX}.displayMessageForm`]: () => undefined,
    [`${MAILBOX}.displayAppointmentForm`]: () => undefined,
    [`${MAILBOX}.displayNewMessageForm`]: () => undefined,
    [`${MAILBOX}.displayNewAppointmentForm`]: () => undefined,
    [`${MAILBOX}.item.displayReplyForm`]: () => undefined,
    [`${MAILBOX}.item.displayReplyAllForm`]: () => undefined,
  };

  function userZone(b: any): string {
    return b.properties[`${MAILBOX}.userProfile.timeZone`] || "UTC";
  }

  /** Minutes the zone is ahead of UTC at an instant (same arithmetic as the server's client-time.ts). */
  function zoneOffset(zone: string, ms: number): number {
    try {
      const f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
      const p: any = {};
      for (const part of f.formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value);
      const whole = ms - (((ms % 1000) + 1000) % 1000);
      return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) - whole) / 60000);
    } catch (e) {
      return 0;
    }
  }

  function locationAllowed(v: any, max: number, error: string): boolean {
    if (typeof v !== "number" || v % 1 !== 0 || v < 0 || v > max) throw new Error(error);
    return true;
  }

  /** Parameter → maximum length of displayNew*Form, set by build() from the bootstrap. */
  let formLimits: any = {};

  /** displayNew*Form: Outlook throws for a parameter over its limit or an unknown parameter name (server re-checks). */
  function checkForm(path: string, p: any): void {
    const m = /\.displayNew(Message|Appointment)Form(Async)?$/.exec(path);
    if (!m || p === undefined || p === null) return;
    const keys =
      m[1] === "Message"
        ? ["toRecipients", "ccRecipients", "bccRecipients", "subject", "htmlBody", "attachments"]
        : ["requiredAttendees", "optionalAttendees", "resources", "start", "end", "location", "subject", "body"];
    for (const k of Object.keys(p)) if (keys.indexOf(k) < 0) throw new Error(`Unknown parameter '${k}'.`);
    const max: any = formLimits; // from the permission table, through the bootstrap
    for (const k of Object.keys(max)) if (p[k] && p[k].length > max[k]) throw new Error(`The value of the parameter '${k}' is out of range.`);
  }

  /** loadItemByIdAsync: the loaded message's properties, its dates as Date objects, and its unloadAsync. */
  function loadedItem(b: any, value: any): any {
    const item: any = Object.assign({}, value);
    for (const k of ["dateTimeCreated", "dateTimeModified", "start", "end"]) if (typeof item[k] === "string") item[k] = new Date(item[k]);
    const unloadPath = (b.methods as string[]).indexOf("Office.LoadedMessageCompose.unloadAsync") >= 0 ? "Office.LoadedMessageCompose.unloadAsync" : "Office.LoadedMessageRead.unloadAsync";
    item.unloadAsync = (...args: any[]) => {
      const s = split(args);
      hooks.transport(unloadPath, []).then((r) => s.callback && safe(s.callback, asyncResult(r, s.asyncContext, undefined)));
    };
    return item;
  }

  function syncStub(path: string, throws: Record<string, string>, b: any): (...args: any[]) => any {
    return (...args: any[]) => {
      if (throws[path]) refuse(path, throws[path]);
      checkForm(path, args[0]);
      hooks.notify(path, toJson(args.filter((a) => typeof a !== "function")));
      return SYNC[path](b, args);
    };
  }

  function roamingSettings(initial: any): any {
    const data: any = Object.assign({}, initial || {});
    return {
      get: (name: string) => data[name],
      set: (name: string, value: any) => {
        data[name] = value;
      },
      remove: (name: string) => {
        delete data[name];
      },
      saveAsync: (...args: any[]) => {
        const { callback, asyncContext } = split(args);
        hooks.transport("Office.context.roamingSettings.saveAsync", [toJson(data)]).then((r) => callback && safe(callback, asyncResult(r, asyncContext, undefined)));
      },
    };
  }

  const Office: any = {};
  // Every enum @types/office-js declares (names and declared values), then office.js's own values over them.
  const generated = hooks.enums || {};
  for (const path of Object.keys(generated)) setPath({ Office }, path.split("."), Object.assign({}, generated[path]));
  for (const k of Object.keys(enums)) {
    const v: any = (enums as any)[k];
    if (k === "MailboxEnums") {
      Office.MailboxEnums = Office.MailboxEnums || {};
      for (const n of Object.keys(v)) Office.MailboxEnums[n] = Object.assign(Office.MailboxEnums[n] || {}, v[n]);
    } else Office[k] = Object.assign(Office[k] || {}, v);
  }
  const categoryColor = Office.MailboxEnums.CategoryColor;
  if (categoryColor) for (const n of Object.keys(categoryColor)) categoryColor[n] = n;
  Office.SeriesTime = SeriesTime;
  Object.defineProperty(Office, "initialize", {
    get: () => initialize,
    set: (fn) => {
      initialize = fn;
    },
    enumerable: true,
  });
  Office.onReady = (cb?: (i: any) => void) =>
    new Promise((resolve) => {
      const done = (i: any) => {
        if (cb) safe(cb, i);
        resolve(i);
      };
      if (readyInfo) done(readyInfo);
      else readyCallbacks.push(done);
    });
  Office.context = {
    displayLanguage: "en-US",
    contentLanguage: "en-US",
    platform: "OfficeOnline",
    host: "Outlook",
    diagnostics: { host: "Outlook", platform: "OfficeOnline", version: "16.0.0.0" },
    requirements: { isSetSupported: () => false },
    officeTheme: { bodyBackgroundColor: "#ffffff", bodyForegroundColor: "#000000", controlBackgroundColor: "#ffffff", controlForegroundColor: "#000000" },
    mailbox: null,
    roamingSettings: null,
  };
  // Office.context.ui: dialogs, messages between a dialog and its opener, closing the container. The host page
  // answers these itself ("Outpost.ui.*" never reaches the server); the JavaScript-only runtime has no UI.
  const parentMessageHandlers: Array<(a: any) => void> = [];
  let openDialog: any = null;
  function uiCall(op: string, data: any[], callback?: any, asyncContext?: any, wrap?: (v: any) => any): void {
    hooks.transport(`Outpost.ui.${op}`, data).then((r) => {
      const value = r.outcome === "ok" && wrap ? wrap(r.value) : undefined;
      if (callback) safe(callback, asyncResult(r, asyncContext, value));
    });
  }
  function makeDialog(): any {
    const listeners: Record<string, Array<(a: any) => void>> = {};
    const dialog: any = {
      addEventHandler(type: string, handler: (a: any) => void) {
        (listeners[type] = listeners[type] || []).push(handler);
      },
      close() {
        if (openDialog === dialog) openDialog = null;
        uiCall("closeDialog", []);
      },
      messageChild(message: any) {
        uiCall("messageChild", [message]);
      },
      __listeners: listeners,
    };
    dialog.sendMessage = dialog.messageChild;
    Object.defineProperty(dialog, "__listeners", { enumerable: false });
    return dialog;
  }
  Office.context.ui = {
    displayDialogAsync(url: any, ...rest: any[]) {
      const { data, callback, asyncContext } = split(rest);
      uiCall("displayDialogAsync", [String(url), data[0] || {}], callback, asyncContext, () => (openDialog = makeDialog()));
    },
    messageParent(message: any, options?: any) {
      uiCall("messageParent", [toJson(message), toJson(options || {})]);
    },
    addHandlerAsync(eventType: any, handler: any, ...rest: any[]) {
      const { callback, asyncContext } = split(rest);
      const ok = eventType === Office.EventType.DialogParentMessageReceived && typeof handler === "function";
      if (ok) parentMessageHandlers.push(handler);
      const r: ShimCallResult = ok ? { outcome: "ok" } : { outcome: "failed", error: { code: 5001, name: "InvalidEventType", message: "The event type is not supported." } };
      if (callback) Promise.resolve().then(() => safe(callback, asyncResult(r, asyncContext, undefined)));
    },
    closeContainer() {
      uiCall("closeContainer", []);
    },
    openBrowserWindow(url: string) {
      if (typeof g.open === "function") g.open(url, "_blank", "noopener");
    },
  };
  function dialogEvent(ev: any): void {
    if (!ev || typeof ev !== "object") return;
    if (ev.type === "dialogParentMessageReceived") {
      for (const h of parentMessageHandlers.slice()) safe(h, { type: ev.type, message: ev.message, origin: ev.origin });
      return;
    }
    const dialog = openDialog;
    if (!dialog) return;
    const list = dialog.__listeners[ev.type === "dialogEventReceived" ? Office.EventType.DialogEventReceived : Office.EventType.DialogMessageReceived] || [];
    if (ev.type === "dialogEventReceived") openDialog = null;
    for (const h of list.slice()) safe(h, ev.type === "dialogEventReceived" ? { type: ev.type, error: ev.error } : { type: ev.type, message: ev.message, origin: ev.origin });
  }

  // Office.context.auth: SSO answers 13000 (not configured for this add-in) unless an extension (the identity
  // area's own shim file, listed in extensions.ts) installs the real one.
  const ssoNotConfigured = (): Promise<never> => Promise.reject(new (OfficeError as any)({ name: "API Not Supported", message: "The identity API is not supported for this add-in.", code: 13000 }));
  Office.context.auth = { getAccessTokenAsync: ssoNotConfigured, getAccessToken: ssoNotConfigured };
  Office.auth = { getAccessToken: ssoNotConfigured };

  // Office.actions: function commands and event handlers register here (Office.actions.associate).
  const associated: Record<string, any> = {};
  Office.actions = {
    associate(name: string, fn: any) {
      associated[String(name)] = fn;
    },
  };
  function invoke(req: ShimInvoke): void {
    const fn = associated[req.name] || (typeof g[req.name] === "function" ? g[req.name] : undefined);
    if (typeof fn !== "function") {
      hooks.onError(`Outpost: no function named ${req.name} was associated with Office.actions.associate or defined globally in the page.`);
      return;
    }
    const member = req.kind === "function" ? "Office.AddinCommands.Event.completed" : "Office.MailboxEvent.completed";
    const ev: any = Object.assign({ type: req.eventType }, req.event || {});
    if (req.kind === "function" && !ev.source) ev.source = { id: req.name };
    ev.completed = (options?: any) => {
      hooks.transport(member, [toJson(options || {})]);
    };
    try {
      const r = fn(ev);
      if (r && typeof r.then === "function") r.then(undefined, reportError);
    } catch (e: any) {
      reportError(e);
    }
  }

  // Office.cast (deprecated, still used): the item already is what it is cast to.
  const same = (item: any) => item;
  Office.cast = { item: {} };
  for (const n of ["toAppointment", "toAppointmentCompose", "toAppointmentRead", "toItemCompose", "toItemRead", "toMessage", "toMessageCompose", "toMessageRead"]) Office.cast.item[n] = same;

  // Namespace members @types/office-js declares that an Outlook add-in may touch.
  Office.select = () => {
    throw new Error("Office.select is not supported in Outlook.");
  };
  Office.useShortNamespace = (use?: boolean) => {
    if (use === false) delete g.OSF;
  };
  Office.isSetSupported = (name: string, version?: string) => Office.context.requirements.isSetSupported(name, version);
  Office.Promise = typeof Promise === "function" ? Promise : undefined;
  Office.addin = {
    showAsTaskpane: () => Promise.resolve(),
    hide: () => Promise.resolve(),
    onVisibilityModeChanged: () => Promise.resolve(() => Promise.resolve()),
    beforeDocumentCloseNotification: { enable: () => Promise.resolve(), disable: () => Promise.resolve(), onCloseActionCancelled: () => Promise.resolve(() => Promise.resolve()) },
    getStartupBehavior: () => Promise.resolve(Office.StartupBehavior ? Office.StartupBehavior.none : "None"),
    setStartupBehavior: () => Promise.resolve(),
    _setStartupBehavior: undefined,
  };
  delete Office.addin._setStartupBehavior;
  const unsupported = (what: string) => () => Promise.reject(new (OfficeError as any)({ name: "API Not Supported", message: `${what} is not supported in Outlook.`, code: 5000 }));
  Office.ribbon = { requestUpdate: unsupported("Office.ribbon.requestUpdate"), requestCreateControls: unsupported("Office.ribbon.requestCreateControls") };
  Office.contextMenu = { requestUpdate: unsupported("Office.contextMenu.requestUpdate") };
  Office.devicePermission = { requestPermissions: unsupported("Office.devicePermission.requestPermissions"), requestPermissionsAsync: (_p: any, ...rest: any[]) => {
    const { callback, asyncContext } = split(rest);
    if (callback) Promise.resolve().then(() => safe(callback, asyncResult({ outcome: "failed", error: { code: 5000, name: "API Not Supported", message: "Device permissions are not supported in Outlook." } }, asyncContext, undefined)));
  } };
  Office.extensionLifeCycle = { launchTaskpane: unsupported("Office.extensionLifeCycle.launchTaskpane") };
  Office.TableData = function TableData(this: any, rows?: any, headers?: any) {
    this.rows = rows || [];
    this.headers = headers || [];
  };
  for (const ext of hooks.extensions || []) {
    try {
      ext(Office, hooks);
    } catch (e: any) {
      reportError(e);
    }
  }
  g.Office = Office;

  function build(b: any): void {
    formLimits = b.formLimits || {};
    const throws: Record<string, string> = b.throws || {};
    const root: any = { Office };
    const mailbox: any = { item: b.hasItem ? {} : null };
    Office.context.mailbox = mailbox;
    Office.context.displayLanguage = b.displayLanguage;
    Office.context.roamingSettings = roamingSettings(b.roamingSettings);
    const sets: string[] = b.requirementSets || [];
    Office.context.requirements = {
      isSetSupported: (name: string, version?: string | number) => {
        if (String(name).toLowerCase() !== "mailbox") return false;
        const want = version === undefined ? "1.1" : String(version);
        return sets.indexOf(want) >= 0;
      },
    };
    for (const path of b.methods as string[]) {
      if (path.startsWith("Office.context.roamingSettings.")) continue;
      if (!b.hasItem && path.startsWith(`${MAILBOX}.item.`)) continue;
      setPath(root, path.split("."), SYNC[path] ? syncStub(path, throws, b) : asyncStub(path, throws, b.limits || {}, b));
    }
    for (const path of Object.keys(b.properties)) {
      if (!b.hasItem && path.startsWith(`${MAILBOX}.item.`)) continue;
      const v = b.properties[path];
      setPath(root, path.split("."), (b.dates || []).indexOf(path) >= 0 && typeof v === "string" ? new Date(v) : v);
    }
    if (mailbox.item && mailbox.item.recurrence && b.mode === "read") recurrenceValue(mailbox.item.recurrence);
    for (const path of Object.keys(throws)) {
      if ((b.methods as string[]).indexOf(path) >= 0) continue;
      const segs = path.split(".");
      const parentPath = segs.slice(0, -1);
      let parent: any = root;
      for (const s of parentPath) parent = parent && parent[s];
      if (parent && typeof parent === "object") {
        Object.defineProperty(parent, segs[segs.length - 1], {
          get() {
            return refuse(path, throws[path]);
          },
          enumerable: true,
        });
      }
    }
  }

  /** Builds the surface and runs Office.initialize: the add-in's initialization, timed by the host. */
  function start(b?: any): void {
    build(b || boot);
    if (typeof initialize === "function") initialize("inserted");
  }

  /** Office.onReady callbacks: the add-in is initialized; what they do counts as its running time. */
  function ready(): void {
    readyInfo = info;
    const waiting = readyCallbacks.splice(0);
    for (const done of waiting) done(info);
  }

  function fire(eventType: string, args: any, rebootstrap?: boolean): void {
    const run = () => {
      for (const h of (handlers[eventType] || []).slice()) safe(h, Object.assign({ type: eventType }, args || {}));
    };
    if (!rebootstrap) return run();
    // ItemChanged: the host moved the page to another item's session; read the new item, then tell the handlers.
    hooks.transport("Outpost.bootstrap", []).then((r) => {
      if (r.outcome !== "ok") return hooks.onError("Outpost could not switch the add-in to the new item.");
      try {
        build(r.value);
      } catch (e: any) {
        return reportError(e);
      }
      run();
    });
  }

  // office.js initializes once the page's DOM is parsed: a script in <head> may address the body from onReady.
  const domParsed = (): Promise<void> =>
    new Promise((resolve) => {
      const doc = g.document;
      if (!doc || doc.readyState !== "loading" || typeof doc.addEventListener !== "function") return resolve();
      doc.addEventListener("DOMContentLoaded", () => resolve(), { once: true });
    });

  if (!boot) {
    Promise.all([hooks.transport("Outpost.bootstrap", []), domParsed()]).then(([r]) => {
      if (r.outcome === "ok") {
        try {
          start(r.value);
        } catch (e: any) {
          reportError(e);
        }
        ready();
      } else hooks.onError("Outpost could not start the add-in session.");
    });
  }
  return { start, ready, fire, invoke, dialogEvent };
}
