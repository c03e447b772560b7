import type { Email } from "postal-mime";

export interface Classification {
  itemClass: string;
  isSigned: boolean;
  isIrmProtected: boolean;
}

/**
 * Exchange item class and protection flags from the MIME structure: S/MIME signed or encrypted, IRM (rpmsg),
 * meeting requests/responses/cancellations (text/calendar METHOD), delivery and read reports.
 */
export function classifyMessage(email: Email, header: (name: string) => string | null): Classification {
  const contentType = (header("content-type") ?? "text/plain").toLowerCase();
  const contentClass = (header("content-class") ?? "").toLowerCase();
  const mimeOf = (a: { mimeType: string }) => a.mimeType.toLowerCase();
  const isIrmProtected =
    contentClass === "rpmsg.message" || email.attachments.some((a) => mimeOf(a) === "application/x-microsoft-rpmsg-message" || (a.filename ?? "").toLowerCase() === "message.rpmsg");

  if (contentType.startsWith("multipart/signed")) return { itemClass: "IPM.Note.SMIME.MultipartSigned", isSigned: true, isIrmProtected };
  if (/^application\/(x-)?pkcs7-mime/.test(contentType)) {
    const signedData = /smime-type\s*=\s*"?signed-data/.test(contentType);
    return { itemClass: "IPM.Note.SMIME", isSigned: signedData, isIrmProtected };
  }
  if (contentType.startsWith("multipart/report")) {
    if (/report-type\s*=\s*"?delivery-status/.test(contentType)) {
      const status = email.attachments.filter((a) => mimeOf(a).includes("delivery-status")).map((a) => icsText(a.content)).join("\n");
      const delivered = /^action\s*:\s*(delivered|relayed|expanded)/im.test(status) && !/^action\s*:\s*failed/im.test(status);
      return { itemClass: delivered ? "REPORT.IPM.Note.DR" : "REPORT.IPM.Note.NDR", isSigned: false, isIrmProtected };
    }
    if (/report-type\s*=\s*"?disposition-notification/.test(contentType)) return { itemClass: "REPORT.IPM.Note.IPNRN", isSigned: false, isIrmProtected };
  }
  const calendar = email.attachments.find((a) => mimeOf(a) === "text/calendar");
  const method = (calendar?.method ?? methodFromIcs(calendar?.content) ?? "").toUpperCase();
  if (method === "REQUEST") return { itemClass: "IPM.Schedule.Meeting.Request", isSigned: false, isIrmProtected };
  if (method === "CANCEL") return { itemClass: "IPM.Schedule.Meeting.Canceled", isSigned: false, isIrmProtected };
  if (method === "REPLY") {
    const ics = icsText(calendar?.content);
    const partstat = /PARTSTAT=([A-Z-]+)/.exec(ics)?.[1];
    const suffix = partstat === "ACCEPTED" ? "Pos" : partstat === "DECLINED" ? "Neg" : "Tent";
    return { itemClass: `IPM.Schedule.Meeting.Resp.${suffix}`, isSigned: false, isIrmProtected };
  }
  return { itemClass: "IPM.Note", isSigned: false, isIrmProtected };
}

function icsText(content: ArrayBuffer | Uint8Array | string | undefined): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  return new TextDecoder().decode(content instanceof Uint8Array ? content : new Uint8Array(content));
}

function methodFromIcs(content: ArrayBuffer | Uint8Array | string | undefined): string | undefined {
  return /^METHOD:([A-Za-z-]+)/m.exec(icsText(content))?.[1];
}
