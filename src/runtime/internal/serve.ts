/**
 * Small HTTP server plumbing shared by the metrics and probe servers: listen on a bind address,
 * report the bound port, close promptly.
 * @module
 */
import type { Server } from "node:net";
import { UserError } from "../../errors.js";

/**
 * Listens on `host:port` (`:0` picks a free port) and resolves with the bound port. A bad address
 * or a port in use is a {@link UserError} naming `flag`.
 */
export function listen(server: Server, address: string, flag: string): Promise<number> {
  let host: string | undefined;
  let port: number;
  try {
    ({ host, port } = parseBindAddress(address));
  } catch (err) {
    return Promise.reject(new UserError("invalid-flag", `--${flag} "${address}" is not host:port`, { hint: "use e.g. :8080, 127.0.0.1:8080, or 0 to disable" , cause: err }));
  }
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === "EADDRINUSE" ? "is already in use" : err.code === "EACCES" ? "needs privileges" : `cannot be bound (${err.message})`;
      reject(new UserError("bind-failed", `--${flag} ${address} ${why}`, { hint: `pick another port with --${flag}, or 0 to disable`, cause: err }));
    };
    server.once("error", onError);
    server.listen({ port, host }, () => {
      server.off("error", onError);
      const a = server.address();
      resolve(typeof a === "object" && a ? a.port : port);
    });
  });
}

/** Splits `host:port` (`":8080"` means all interfaces) for `server.listen`. */
export function parseBindAddress(addr: string): { host: string | undefined; port: number } {
  const i = addr.lastIndexOf(":");
  const host = i > 0 ? addr.slice(0, i).replace(/^\[|\]$/g, "") : undefined;
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`bind address "${addr}" has no valid port (expected host:port or :port)`);
  }
  return { host, port };
}

/** Closes a server and drops its idle and active connections. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
