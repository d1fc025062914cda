/**
 * Serves /metrics: plain HTTP, or HTTPS behind TokenReview + SubjectAccessReview (the secure
 * default kubebuilder scaffolds), with a self-signed certificate unless one is given.
 * @module
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import type { Server } from "node:net";
import { join } from "node:path";
import type { Logger } from "../log/types.js";
import type { ApiRequester } from "../client/rest.js";
import { closeServer, listen } from "../internal/serve.js";
import { selfSignedCert } from "../internal/self-signed.js";
import type { PromMetrics } from "./metrics.js";

/** Options of {@link MetricsServer}. */
export interface MetricsServerOptions {
  /** `host:port`. */
  bindAddress: string;
  /** HTTPS with authentication and authorization. Default: false. */
  secure?: boolean;
  /** Talks to the apiserver for TokenReview/SubjectAccessReview; required when `secure`. */
  api?: ApiRequester;
  /** Directory with the certificate and key. Default: none (self-signed). */
  certDir?: string;
  /** Default: `"tls.crt"`. */
  certName?: string;
  /** Default: `"tls.key"`. */
  keyName?: string;
  /** Offer HTTP/2 (ALPN h2). Default: false. */
  enableHTTP2?: boolean;
  /** Default: silent. */
  logger?: Logger;
}

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;
interface UserInfo { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }
interface TokenReview { status?: { authenticated?: boolean; user?: UserInfo; error?: string } }
interface AccessReview { status?: { allowed?: boolean; reason?: string } }

/** The /metrics endpoint of a manager. */
export class MetricsServer {
  private server: Server | undefined;
  /** The bound port, once started. */
  port = 0;

  constructor(private readonly metrics: PromMetrics, private readonly opts: MetricsServerOptions) {
    if (opts.secure && !opts.api) throw new Error("MetricsServer: secure serving needs an apiserver client");
  }

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    const handler = (req: Req, res: Res): void => void this.handle(req, res);
    if (!this.opts.secure) {
      this.server = createHttpServer(handler);
    } else {
      const { cert, key } = this.certificate();
      // node:http2 only when asked for: most operators never load it.
      this.server = this.opts.enableHTTP2
        ? (await import("node:http2")).createSecureServer({ cert, key, allowHTTP1: true }, handler)
        : createHttpsServer({ cert, key, ALPNProtocols: ["http/1.1"] }, handler);
    }
    this.port = await listen(this.server, this.opts.bindAddress, "metrics-bind-address");
    // Process metrics (prom-client) start being collected now, not at the first scrape.
    this.metrics.warmUp();
    this.opts.logger?.info({ address: this.opts.bindAddress, port: this.port, secure: !!this.opts.secure }, "serving metrics");
    return this.port;
  }

  /** Stops listening and closes connections. */
  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
    this.server = undefined;
  }

  private certificate(): { cert: string | Buffer; key: string | Buffer } {
    const dir = this.opts.certDir;
    if (!dir) return selfSignedCert("tsop-metrics");
    return {
      cert: readFileSync(join(dir, this.opts.certName ?? "tls.crt")),
      key: readFileSync(join(dir, this.opts.keyName ?? "tls.key")),
    };
  }

  private async handle(req: Req, res: Res): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") return send(res, 404, "not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed\n");
    try {
      if (this.opts.secure) {
        const denied = await this.authorize(req);
        if (denied) return send(res, denied.code, denied.message);
      }
      const body = await this.metrics.text();
      res.writeHead(200, { "content-type": this.metrics.contentType });
      res.end(body);
    } catch (err) {
      this.opts.logger?.error({ err }, "serving metrics failed");
      send(res, 500, "internal error\n");
    }
  }

  /** Returns undefined when allowed, else the status to answer. */
  private async authorize(req: Req): Promise<{ code: number; message: string } | undefined> {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    if (!m) return { code: 401, message: "Unauthorized\n" };
    const api = this.opts.api as ApiRequester;
    const tr = await api.request<TokenReview>({
      method: "POST", path: "/apis/authentication.k8s.io/v1/tokenreviews",
      body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token: m[1] } },
    });
    const user = tr.status?.user;
    if (!tr.status?.authenticated || !user) return { code: 401, message: "Unauthorized\n" };
    const sar = await api.request<AccessReview>({
      method: "POST", path: "/apis/authorization.k8s.io/v1/subjectaccessreviews",
      body: {
        apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview",
        spec: {
          user: user.username, uid: user.uid, groups: user.groups, extra: user.extra,
          nonResourceAttributes: { path: "/metrics", verb: "get" },
        },
      },
    });
    if (!sar.status?.allowed) {
      return { code: 403, message: `Forbidden (user=${user.username ?? ""}, verb=get, path=/metrics)\n` };
    }
    return undefined;
  }
}

function send(res: Res, code: number, body: string): void {
  res.writeHead(code, { "content-type": "text/plain; charset=utf-8" });
  res.end(body);
}
