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
  /** An exception escaped an add-in callback. */
  onError(message: string): void;
}

export function installOffice(g: any, hooks: ShimHooks, boot?: any): { start(boot?: any): void; ready(): void; fire(eventType: string, args: any): void } {
  const MAILBOX = "Office.context.mailbox";
  const enums = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html", Matrix: "matrix", Table: "table", Image: "image", Ooxml: "ooxml", SlideRange: "slideRange", XmlSvg: "xmlSvg" },
    EventType: {
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
    HostType: { Outlook: "Outlook" },
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
  let initialize: any;
  const info = { host: "Outlook", platform: "OfficeOnline" };

  function safe(fn: any, arg: any): void {
    try {
      fn(arg);
    } catch (e: any) {
      hooks.onError(e && e.message ? String(e.message) : String(e));
    }
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
    const error = ok ? undefined : Object.assign(new Error(r.error ? r.error.message : "failed"), r.error || {});
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
      if (throws[path]) throw new Error(throws[path]);
      checkForm(path, args[0]);
      const limit = limits[path];
      if (limit && typeof args[0] === "string" && args[0].length > limit.maxChars) throw new Error(limit.message);
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

  /** displayNew*Form: Outlook throws for a parameter over its limit or an unknown parameter name (server re-checks). */
  function checkForm(path: string, p: any): void {
    const m = /\.displayNew(Message|Appointment)Form(Async)?$/.exec(path);
    if (!m || p === undefined || p === null) return;
    const keys =
      m[1] === "Message"
        ? ["toRecipients", "ccRecipients", "bccRecipients", "subject", "htmlBody", "attachments"]
        : ["requiredAttendees", "optionalAttendees", "resources", "start", "end", "location", "subject", "body"];
    for (const k of Object.keys(p)) if (keys.indexOf(k) < 0) throw new Error(`Unknown parameter '${k}'.`);
    const max: any = { subject: 255, htmlBody: 32768, body: 32768, location: 255, toRecipients: 100, ccRecipients: 100, bccRecipients: 100, requiredAttendees: 100, optionalAttendees: 100, resources: 100 };
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
      if (throws[path]) throw new Error(throws[path]);
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

  const Office: any = Object.assign({}, enums);
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
  g.Office = Office;

  function build(b: any): void {
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
            throw new Error(throws[path]);
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

  function fire(eventType: string, args: any): void {
    for (const h of (handlers[eventType] || []).slice()) safe(h, Object.assign({ type: eventType }, args || {}));
  }

  if (!boot) {
    hooks.transport("Outpost.bootstrap", []).then((r) => {
      if (r.outcome === "ok") {
        try {
          start(r.value);
        } catch (e: any) {
          hooks.onError(e && e.message ? String(e.message) : String(e));
        }
        ready();
      } else hooks.onError("Outpost could not start the add-in session.");
    });
  }
  return { start, ready, fire };
}
