// A loopback TCP proxy the tests can cut (not a test file): it simulates a network partition
// between an informer and the real apiserver, while other clients keep talking to it directly.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  /** `https://127.0.0.1:PORT` pointing at the target. */
  url: string;
  /** Drop every open connection and refuse new ones. */
  cut(): void;
  /** Accept connections again. */
  heal(): void;
  /** Hold what the target sends (buffered in the proxy, in order) until `release()`. */
  hold(): void;
  /** Bytes held since `hold()`. */
  heldBytes(): number;
  /** Forward the held bytes now (written to the client sockets before this returns) and stop holding. */
  release(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const t = new URL(target);
  const sockets = new Set<Socket>();
  let open = true;
  let holding = false;
  const held: [Socket, Buffer][] = [];
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(t.port), t.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on("data", (d: Buffer) => {
      if (holding) held.push([client, d]);
      else client.write(d);
    });
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${t.protocol}//127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    heal() {
      open = true;
    },
    hold() {
      holding = true;
    },
    heldBytes: () => held.reduce((n, [, d]) => n + d.length, 0),
    release() {
      holding = false;
      for (const [client, d] of held.splice(0)) client.write(d);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
