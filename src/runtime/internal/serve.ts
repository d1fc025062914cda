/**
 * Small HTTP server plumbing shared by the metrics and probe servers: listen on a bind address,
 * report the bound port, close promptly.
 * @module
 */
import type { Server } from "node:net";
import { parseBindAddress } from "../manager-options.js";
import type { RestClient } from "../rest.js";

/** The part of RestClient the manager's own API calls need (a fake is enough in unit tests). */
export type ApiRequester = Pick<RestClient, "request">;

/** Listens on `host:port` (`:0` picks a free port) and resolves with the bound port. */
export function listen(server: Server, address: string): Promise<number> {
  const { host, port } = parseBindAddress(address);
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once("error", onError);
    server.listen({ port, host }, () => {
      server.off("error", onError);
      const a = server.address();
      resolve(typeof a === "object" && a ? a.port : port);
    });
  });
}

/** Closes a server and drops its idle and active connections. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
