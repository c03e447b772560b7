/**
 * Connections per client address. 20,000 idle sockets from one client used to starve /healthz for everyone; past
 * the cap a new connection from that address is closed at once, before any byte is read, so other clients are
 * served. Loopback is not exempt (the cap is high enough for a local reverse proxy; put a real one in front for more).
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

export function limitConnectionsPerAddress(server: Server, max: number, onRefused?: (address: string) => void): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const n = (open.get(address) ?? 0) + 1;
    if (n > max) {
      socket.destroy();
      onRefused?.(address);
      return;
    }
    open.set(address, n);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
