/**
 * The web client's view of the add-in host page module (src/web/addin-host, plain DOM): the client only mounts
 * frames through these functions and opens bridge sessions for them; it never handles the session secret itself
 * beyond passing the server's answer to the module, which keeps it as a non-extractable key.
 */
export { fireEvent, mountTaskPane, runFunctionCommand, type AddinHandle, type BridgeSession, type CallRecord, type Completion } from "../addin-host/index.ts";
import type { BridgeSession } from "../addin-host/index.ts";
import { api } from "./api.ts";

/**
 * The bridge's WebSocket: the client's frames send their calls over it (HTTP when it cannot open). Setting
 * localStorage "outpost:bridge-transport" to "http" keeps them on HTTP (the benchmark compares both in one run).
 */
export function bridgeTransport(): { socketUrl?: string } {
  try {
    if (localStorage.getItem("outpost:bridge-transport") === "http") return {};
  } catch {
    // storage unavailable: the default
  }
  return { socketUrl: "/bridge/ws" };
}

export function openBridgeSession(addinId: string, itemId: string | null, form: "read" | "compose"): Promise<BridgeSession & { expiresAt: string }> {
  return api("POST", "/bridge/sessions", { addinId, itemId, form, client: "web" });
}

export interface HostState {
  addinId: string;
  itemId: string | null;
  notifications: Array<{ key: string; type?: string; message?: string; icon?: string; persistent?: boolean }>;
  displayedForms: Array<Record<string, unknown>>;
}

export function hostState(sessionId: string): Promise<HostState> {
  return api("GET", `/api/web/bridge-sessions/${encodeURIComponent(sessionId)}/host-state`);
}
