/**
 * Event-based activation names: unified manifest `autoRunEvents[].events[].type` ↔ XML `LaunchEvent Type`.
 * The model uses the XML names. Unified names as documented (OnMessageCompose → messageComposeOpened,
 * OnAppointmentOrganizer → appointmentOrganizerOpened), the same Microsoft's manifest converter writes.
 */
export const LAUNCH_EVENT_NAMES: readonly (readonly [unified: string, xml: string])[] = [
  ["newMessageComposeCreated", "OnNewMessageCompose"],
  ["newAppointmentOrganizerCreated", "OnNewAppointmentOrganizer"],
  ["messageAttachmentsChanged", "OnMessageAttachmentsChanged"],
  ["appointmentAttachmentsChanged", "OnAppointmentAttachmentsChanged"],
  ["messageRecipientsChanged", "OnMessageRecipientsChanged"],
  ["appointmentAttendeesChanged", "OnAppointmentAttendeesChanged"],
  ["appointmentTimeChanged", "OnAppointmentTimeChanged"],
  ["appointmentRecurrenceChanged", "OnAppointmentRecurrenceChanged"],
  ["infoBarDismissClicked", "OnInfoBarDismissClicked"],
  ["messageSending", "OnMessageSend"],
  ["appointmentSending", "OnAppointmentSend"],
  ["messageComposeOpened", "OnMessageCompose"],
  ["appointmentOrganizerOpened", "OnAppointmentOrganizer"],
  ["messageFromChanged", "OnMessageFromChanged"],
  ["appointmentFromChanged", "OnAppointmentFromChanged"],
  ["sensitivityLabelChanged", "OnSensitivityLabelChanged"],
];

/** XML launch events the documentation says are not available in the unified manifest: never carried. */
export const XML_ONLY_LAUNCH_EVENTS: readonly string[] = ["OnMessageReadWithCustomAttachment", "OnMessageReadWithCustomHeader"];

export function xmlEventName(unified: string): string | undefined {
  return LAUNCH_EVENT_NAMES.find(([u]) => u === unified)?.[1];
}

export function unifiedEventName(xml: string): string | undefined {
  return LAUNCH_EVENT_NAMES.find(([, x]) => x === xml)?.[0];
}

/** Unified ribbon `contexts` ↔ XML extension point types. */
export const RIBBON_CONTEXTS: readonly (readonly [unified: string, xml: string])[] = [
  ["mailRead", "MessageReadCommandSurface"],
  ["mailCompose", "MessageComposeCommandSurface"],
  ["meetingDetailsOrganizer", "AppointmentOrganizerCommandSurface"],
  ["meetingDetailsAttendee", "AppointmentAttendeeCommandSurface"],
  ["onlineMeetingDetailsOrganizer", "OnlineMeetingCommandSurface"],
  ["logEventMeetingDetailsAttendee", "MobileLogEventAppointmentAttendee"],
  ["spamReportingOverride", "ReportPhishingCommandSurface"],
];

export function xmlSurfaceName(context: string): string | undefined {
  return RIBBON_CONTEXTS.find(([u]) => u === context)?.[1];
}

export function unifiedContextName(xmlType: string): string | undefined {
  return RIBBON_CONTEXTS.find(([, x]) => x === xmlType)?.[0];
}
