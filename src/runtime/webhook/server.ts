/**
 * The webhook server: HTTPS (default :9443) with the certificate from `--webhook-cert-path`
 * (reloaded on rotation), serving AdmissionReview v1 (mutating and validating paths per kind) and
 * ConversionReview v1 (`/convert`), with controller-runtime's webhook metrics. A request it cannot
 * read is answered 400 with a message; a hook that throws or runs past `handlerTimeoutMs` is
 * answered with an error response; nothing a request does stops the server.
 * @module
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { KubeObject } from "../../types/index.js";
import type { Logger } from "../log/types.js";
import { noopMetrics, type MetricsSink } from "../metrics/sink.js";
import { closeServer, listen } from "../internal/serve.js";
import { admissionPath, errored, mutate, validate, type AdmissionHooks, type AdmissionRequest, type AdmissionResponse } from "./admission.js";
import { CertWatcher } from "./cert-watcher.js";
import { checkConversion, convertReview, type ConversionHooks, type ConversionRequest } from "./conversion.js";

/** kubebuilder's default certificate directory. */
export const DEFAULT_WEBHOOK_CERT_DIR = "/tmp/k8s-webhook-server/serving-certs";
/** The path of the conversion webhook. */
export const CONVERSION_PATH = "/convert";
/** Largest review body read (controller-runtime's limit). */
const MAX_BODY_BYTES = 7 * 1024 * 1024;

/** What `WebhookServer.register` takes: a kind's admission hooks, or a kind's conversions. */
export type Webhook = AdmissionHooks | ConversionHooks;

/** Options of {@link WebhookServer}. */
export interface WebhookServerOptions {
  /** Interface to listen on. Default: all interfaces. */
  host?: string;
  /** Port. Default: 9443. */
  port?: number;
  /** Directory of the serving certificate. Default: `/tmp/k8s-webhook-server/serving-certs`. */
  certDir?: string;
  /** Certificate file name. Default: `"tls.crt"`. */
  certName?: string;
  /** Key file name. Default: `"tls.key"`. */
  keyName?: string;
  /** How long a hook may run before the request is answered with an error, in ms. Default: 10000 (the apiserver's default webhook timeout). */
  handlerTimeoutMs?: number;
  /** How often the certificate files are re-read besides the directory watch, in ms. Default: 10000. */
  certPollIntervalMs?: number;
  /** Where the webhook metrics go. Default: none. */
  metrics?: MetricsSink;
  /** Default: silent. */
  logger?: Logger;
}

/** What a route answers: an HTTP status and a JSON body. */
interface Answer { code: number; body: unknown }
type Route = (body: unknown) => Promise<Answer>;

class BadRequest extends Error {}

const admissionReview = (response: AdmissionResponse): Answer => ({ code: 200, body: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response } });

/** Serves the admission and conversion webhooks of a manager. */
export class WebhookServer {
  private readonly routes = new Map<string, Route>();
  private readonly conversions = new Map<string, ConversionHooks>();
  private server: Server | undefined;
  // The apiserver keeps TLS connections open; closeAllConnections does not see every one of them.
  private readonly sockets = new Set<Socket>();
  private certs: CertWatcher | undefined;
  private readonly o: Required<Omit<WebhookServerOptions, "host" | "logger" | "metrics">> & Pick<WebhookServerOptions, "host" | "logger">;
  private readonly metrics: MetricsSink;
  /** The bound port once started. */
  port = 0;

  constructor(opts: WebhookServerOptions = {}) {
    this.o = {
      port: 9443, certDir: DEFAULT_WEBHOOK_CERT_DIR, certName: "tls.crt", keyName: "tls.key", handlerTimeoutMs: 10_000, certPollIntervalMs: 10_000,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    };
    this.metrics = opts.metrics ?? noopMetrics;
  }

  /** True once something is registered (the manager starts the server only then). */
  get hasHandlers(): boolean {
    return this.routes.size > 0;
  }

  /** True while listening. */
  get serving(): boolean {
    return this.server?.listening ?? false;
  }

  /** The registered paths, sorted. */
  get paths(): string[] {
    return [...this.routes.keys()].sort();
  }

  /** Registers admission hooks ({@link registerAdmission}) or conversions ({@link registerConversion}). */
  register(hooks: Webhook): void {
    if ("hub" in hooks) this.registerConversion(hooks);
    else this.registerAdmission(hooks);
  }

  /**
   * Registers a kind's admission hooks: `/mutate-...` when it has `default`, `/validate-...` when it
   * has any validate hook. Returns the paths registered.
   */
  registerAdmission<T extends KubeObject>(hooks: AdmissionHooks<T>): string[] {
    const paths: string[] = [];
    if (hooks.default) paths.push(this.addAdmission(admissionPath("mutate", hooks.kind), (req) => mutate(hooks, req as AdmissionRequest<T>)));
    if (hooks.validateCreate || hooks.validateUpdate || hooks.validateDelete) {
      paths.push(this.addAdmission(admissionPath("validate", hooks.kind), (req) => validate(hooks, req as AdmissionRequest<T>)));
    }
    if (paths.length === 0) throw new Error(`webhooks of ${hooks.kind.kind}: no default or validate hook is defined`);
    return paths;
  }

  /** Registers the conversions of one kind on `/convert`. */
  registerConversion<H extends KubeObject>(hooks: ConversionHooks<H>): void {
    checkConversion(hooks as unknown as ConversionHooks);
    const key = `${hooks.hub.group}/${hooks.hub.kind}`;
    if (this.conversions.has(key)) throw new Error(`conversion of ${hooks.hub.kind}.${hooks.hub.group} is registered twice`);
    this.conversions.set(key, hooks as unknown as ConversionHooks);
    if (this.routes.has(CONVERSION_PATH)) return;
    this.routes.set(CONVERSION_PATH, async (body) => {
      const review = body as { request?: ConversionRequest };
      const req = review.request;
      if (!req || typeof req.uid !== "string" || typeof req.desiredAPIVersion !== "string" || !Array.isArray(req.objects)) {
        throw new BadRequest("the body is not a ConversionReview with request.uid, request.desiredAPIVersion and request.objects");
      }
      const response = await this.withTimeout(Promise.resolve().then(() => convertReview(this.conversions, req)), () => ({
        uid: req.uid, convertedObjects: [], result: { status: "Failure" as const, message: `conversion did not finish within ${this.o.handlerTimeoutMs} ms` },
      }));
      return { code: 200, body: { apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", response } };
    });
  }

  private addAdmission(path: string, answer: (req: AdmissionRequest) => Promise<AdmissionResponse>): string {
    if (this.routes.has(path)) throw new Error(`webhook path ${path} is registered twice`);
    this.routes.set(path, async (body) => {
      const req = (body as { request?: AdmissionRequest }).request;
      if (!req || typeof req.uid !== "string" || typeof req.operation !== "string") {
        throw new BadRequest("the body is not an AdmissionReview with request.uid and request.operation");
      }
      const response = await this.withTimeout(answer(req).catch((err: unknown) => errored(req.uid, 500, (err as Error).message)), () =>
        errored(req.uid, 500, `webhook ${path} did not answer within ${this.o.handlerTimeoutMs} ms`));
      return admissionReview(response);
    });
    return path;
  }

  private withTimeout<R>(work: Promise<R>, late: () => R): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<R>((resolve) => {
      timer = setTimeout(() => resolve(late()), this.o.handlerTimeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /** Reads the certificate, starts watching it and listens. Resolves with the bound port. */
  async start(): Promise<number> {
    this.certs = new CertWatcher(
      { dir: this.o.certDir, certName: this.o.certName, keyName: this.o.keyName, pollIntervalMs: this.o.certPollIntervalMs, ...(this.o.logger ? { logger: this.o.logger } : {}) },
      (pair) => this.server?.setSecureContext(pair),
    );
    const pair = await this.certs.start();
    this.server = createServer({ ...pair, ALPNProtocols: ["http/1.1"] }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.o.logger?.error({ err: (err as Error).message }, "webhook request failed");
        if (!res.headersSent) send(res, 500, { apiVersion: "v1", kind: "Status", status: "Failure", code: 500, message: "internal error" });
      });
    });
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    try {
      this.port = await listen(this.server, `${this.o.host ?? ""}:${this.o.port}`, "webhook-port");
    } catch (err) {
      this.certs.stop();
      throw err;
    }
    this.o.logger?.info({ port: this.port, paths: this.paths, certDir: this.o.certDir }, "serving webhooks");
    return this.port;
  }

  /** Stops listening and watching the certificate. */
  async stop(): Promise<void> {
    this.certs?.stop();
    const closed = this.server ? closeServer(this.server) : undefined;
    for (const s of this.sockets) s.destroy();
    await closed;
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] as string;
    const route = this.routes.get(path);
    if (!route) return send(res, 404, { apiVersion: "v1", kind: "Status", status: "Failure", code: 404, reason: "NotFound", message: `no webhook is served at ${path}` });
    const labels = { webhook: path };
    const started = process.hrtime.bigint();
    this.metrics.inc("controller_runtime_webhook_requests_in_flight", labels);
    let answer: Answer;
    try {
      answer = await route(await readReview(req));
    } catch (err) {
      const bad = err instanceof BadRequest;
      if (!bad) this.o.logger?.error({ webhook: path, err: (err as Error).message }, "webhook handler failed");
      const code = bad ? 400 : 500;
      answer = { code, body: { apiVersion: "v1", kind: "Status", status: "Failure", code, reason: bad ? "BadRequest" : "InternalError", message: (err as Error).message } };
    } finally {
      this.metrics.inc("controller_runtime_webhook_requests_in_flight", labels, -1);
    }
    this.metrics.observe("controller_runtime_webhook_latency_seconds", labels, Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.inc("controller_runtime_webhook_requests_total", { ...labels, code: String(answer.code) });
    send(res, answer.code, answer.body);
  }
}

async function readReview(req: IncomingMessage): Promise<unknown> {
  if (req.method !== "POST") throw new BadRequest(`method ${req.method ?? ""} is not allowed; reviews are POSTed`);
  const type = String(req.headers["content-type"] ?? "").split(";")[0]?.trim();
  if (type !== "application/json") throw new BadRequest(`contentType=${type || "(none)"}, expected application/json`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) throw new BadRequest("request body is empty");
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch (err) {
    throw new BadRequest(`request body is not JSON: ${(err as Error).message}`);
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
