/**
 * The probe server: /healthz (liveness) and /readyz (readiness), each a set of named checks;
 * `?verbose` lists every check, `/readyz/<name>` runs one.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../log/types.js";
import { closeServer, listen } from "../internal/serve.js";

/** A check passes when it returns/resolves without throwing and does not return `false`. */
export type HealthCheck = () => boolean | void | Promise<boolean | void>;

/** Always passes. */
export const ping: HealthCheck = () => true;

/** Options of {@link HealthProbeServer}. */
export interface HealthProbeOptions {
  /** `host:port`. */
  bindAddress: string;
  /** Default: silent. */
  logger?: Logger;
}

/** Serves /healthz and /readyz from registered checks. */
export class HealthProbeServer {
  private readonly checks = { healthz: new Map<string, HealthCheck>(), readyz: new Map<string, HealthCheck>() };
  private server: Server | undefined;
  /** The bound port, once started. */
  port = 0;

  constructor(private readonly opts: HealthProbeOptions) {}

  /** Adds a liveness check. */
  addHealthzCheck(name: string, check: HealthCheck): void {
    this.checks.healthz.set(name, check);
  }

  /** Adds a readiness check. */
  addReadyzCheck(name: string, check: HealthCheck): void {
    this.checks.readyz.set(name, check);
  }

  /** Runs the checks of one endpoint: `ok` and one line per check. */
  async run(endpoint: "healthz" | "readyz", only?: string): Promise<{ ok: boolean; lines: string[] }> {
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of this.checks[endpoint]) {
      if (only !== undefined && name !== only) continue;
      let passed: boolean;
      let reason = "";
      try {
        passed = (await check()) !== false;
      } catch (err) {
        passed = false;
        reason = `: ${err instanceof Error ? err.message : String(err)}`;
      }
      ok &&= passed;
      lines.push(`[${passed ? "+" : "-"}]${name} ${passed ? "ok" : `failed${reason}`}`);
    }
    return { ok, lines };
  }

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.port = await listen(this.server, this.opts.bindAddress, "health-probe-bind-address");
    this.opts.logger?.info({ address: this.opts.bindAddress, port: this.port }, "serving health probes");
    return this.port;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://probe");
    const m = /^\/(healthz|readyz)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const endpoint = m[1] as "healthz" | "readyz";
    const only = m[2];
    if (only !== undefined && !this.checks[endpoint].has(only)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`no check named ${only}\n`);
      return;
    }
    const { ok, lines } = await this.run(endpoint, only);
    const verbose = url.searchParams.has("verbose") || !ok;
    const body = verbose ? `${lines.join("\n")}\n${endpoint} check ${ok ? "passed" : "failed"}\n` : "ok";
    res.writeHead(ok ? 200 : 500, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end(body);
  }
}
