/**
 * The transport: node:https with one keep-alive agent per cluster, a client-side token bucket,
 * 429/503 Retry-After handling, typed errors, request metrics and watch streams.
 * @module
 */
import * as http from "node:http";
import * as https from "node:https";
import { createSecureContext, type SecureContext } from "node:tls";
import type { KubeObject } from "../../types/index.js";
import type { ClusterConfig } from "./kubeconfig.js";
import { ApiError } from "./errors.js";
import type { Logger } from "../log/types.js";
import type { MetricsSink } from "../metrics/sink.js";
import { noopMetrics } from "../metrics/sink.js";
import { sleep } from "../internal/abort.js";
import { TokenBucket } from "../internal/token-bucket.js";
import { parseWatchStream, type ParseWatchOptions, type WatchEvent } from "./watch.js";
import { ListStreamDecoder, type ListEnvelope } from "./list-stream.js";

/** Options of {@link RestClient}. */
export interface RestClientOptions {
  /**
   * Sustained requests per second; `0` or less disables the limit. Default: 0, no client-side
   * limit (like controller-runtime since v0.21: the apiserver's priority and fairness does that
   * job, and its 429 + Retry-After is honoured).
   */
  qps?: number;
  /** Requests allowed in a burst when `qps` is set. Default: 30. */
  burst?: number;
  /** Where `rest_client_requests_total{code,method,host}` goes. Default: noopMetrics. */
  metrics?: MetricsSink;
  /** Debug logs of retries. Default: none. */
  logger?: Logger;
  /** User-Agent header. Default: `tsop/0.1 (node)`. */
  userAgent?: string;
  /** Retries of a 429/503 that carries Retry-After. Default: 5. */
  maxRetries?: number;
  /** Longest honoured Retry-After for 429, in ms. Default: 10000. A 503 waits at most 1000 ms: it means "starting". */
  maxRetryAfterMs?: number;
  /** Timeout of a non-watch request, in ms. Default: 60000. */
  requestTimeoutMs?: number;
  /** A watch with no bytes (not even a bookmark) for this long is ended, to catch dead connections. Default: 150000. */
  watchIdleTimeoutMs?: number;
}

/** One request. `body` objects are JSON-encoded; strings and Buffers are sent as they are. */
export interface RequestOptions {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute API path, e.g. `/api/v1/namespaces/default/configmaps`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Default: `application/json` when a body is sent. */
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Query of a watch request (`watch=true` is added). */
export type WatchQuery = Record<string, string | number | boolean | undefined>;

/** A raw response, before error handling. */
interface RawResponse { code: number; headers: http.IncomingHttpHeaders; body: string }

/** The part of RestClient the manager's own API calls need (a fake is enough in unit tests). */
export type ApiRequester = Pick<RestClient, "request">;

/**
 * HTTP client for one cluster. Construct once per cluster and share it: it owns the keep-alive
 * connections and the rate limit. `close()` drops idle connections.
 */
export class RestClient {
  readonly config: ClusterConfig;
  private readonly agent: http.Agent;
  private readonly bucket: TokenBucket;
  private readonly metrics: MetricsSink;
  private readonly host: string;
  private tls: { cert: string | Buffer | undefined; key: string | Buffer | undefined; context: SecureContext } | undefined;
  private readonly o: Required<Omit<RestClientOptions, "metrics" | "logger">> & { logger?: Logger };

  constructor(config: ClusterConfig, opts: RestClientOptions = {}) {
    this.config = config;
    this.o = { qps: 0, burst: 30, userAgent: "tsop/0.1 (node)", maxRetries: 5, maxRetryAfterMs: 10_000, requestTimeoutMs: 60_000, watchIdleTimeoutMs: 150_000, ...stripUndefined(opts) };
    this.metrics = opts.metrics ?? noopMetrics;
    // at least one token, so a burst of 0 still lets requests through at `qps`
    this.bucket = new TokenBucket(this.o.qps, Math.max(1, this.o.burst));
    const url = new URL(config.server);
    this.host = url.host;
    const tls: https.AgentOptions = { keepAlive: true, ca: config.ca, cert: config.cert, key: config.key, rejectUnauthorized: !config.insecureSkipTLSVerify, servername: config.tlsServerName };
    this.agent = url.protocol === "http:" ? new http.Agent({ keepAlive: true }) : new https.Agent(tls);
  }

  /** Sends a request and returns the parsed JSON body; throws ApiError on failure. */
  async request<T>(req: RequestOptions): Promise<T> {
    const res = await this.withRetries(req);
    if (res.code >= 200 && res.code < 300) return (res.body === "" ? undefined : JSON.parse(res.body)) as T;
    throw ApiError.fromResponse(res.code, res.body, `${req.method} ${req.path}`);
  }

  /**
   * Sends a GET of a list and hands each item to `onItem` as it is decoded from the streaming
   * response (see {@link ListStreamDecoder}); returns the list's other members (metadata with
   * resourceVersion and continue). Errors and retries as {@link RestClient.request}. With
   * `dropManagedFields`, items come without `metadata.managedFields`.
   */
  async requestList<T>(req: RequestOptions, onItem: (item: T) => void, opts: { dropManagedFields?: boolean } = {}): Promise<ListEnvelope> {
    let envelope: ListEnvelope | undefined;
    const res = await this.withRetries(req, async (msg) => {
      const decoder = new ListStreamDecoder<T>(onItem, opts.dropManagedFields);
      try {
        for await (const chunk of msg) decoder.push(chunk as Buffer);
        envelope = decoder.end();
      } catch (err) {
        if (req.signal?.aborted) throw err;
        throw new ApiError(0, "", `${req.method} ${req.path}: ${(err as Error).message}`, { cause: err, request: `${req.method} ${req.path}` });
      }
    });
    if (envelope) return envelope;
    throw ApiError.fromResponse(res.code, res.body, `${req.method} ${req.path}`);
  }

  /**
   * Opens a watch and yields its events, each parsed once. Ends when the server closes the stream
   * (timeoutSeconds), the connection goes idle past `watchIdleTimeoutMs`, or `signal` aborts.
   * Throws ApiError when the watch cannot be opened; ERROR events are yielded, not thrown.
   * `opts.onOpen` runs when the server accepted the watch (response headers arrived); `opts.headers`
   * are sent with the request (e.g. an Accept for PartialObjectMetadata); `opts.dropManagedFields`
   * leaves each object's `metadata.managedFields` out (see {@link ParseWatchOptions}).
   */
  async *watch<T extends KubeObject>(path: string, query: WatchQuery, signal?: AbortSignal, opts: { onOpen?: () => void; headers?: Record<string, string> } & ParseWatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const req: RequestOptions = { method: "GET", path, query: { ...query, watch: true }, signal, headers: opts.headers };
    let msg: http.IncomingMessage;
    try {
      msg = await this.open(req, true);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (msg.statusCode !== 200) {
      const body = await readBody(msg);
      this.count(req, msg.statusCode ?? 0);
      throw ApiError.fromResponse(msg.statusCode ?? 0, body, `WATCH ${path}`);
    }
    this.count(req, 200);
    opts.onOpen?.();
    let idle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => msg.destroy(), this.o.watchIdleTimeoutMs);
    };
    msg.on("data", arm);
    arm();
    try {
      yield* parseWatchStream<T>(msg, { dropManagedFields: opts.dropManagedFields });
    } catch (err) {
      if (signal?.aborted || isClosedEarly(err)) return;
      throw new ApiError(0, "", `WATCH ${path}: stream failed: ${(err as Error).message}`, { cause: err, request: `WATCH ${path}` });
    } finally {
      clearTimeout(idle);
      msg.destroy();
    }
  }

  /** Closes idle keep-alive connections (open watches end when their signals abort). */
  close(): void {
    this.agent.destroy();
  }

  /** Sends `req`, retrying as configured; a 2xx body goes to `consume` instead of the result when given. */
  private async withRetries(req: RequestOptions, consume?: (msg: http.IncomingMessage) => Promise<void>): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      let msg: http.IncomingMessage;
      try {
        msg = await this.open(req, false);
      } catch (err) {
        // A keep-alive socket the server closed meanwhile (e.g. it restarted): try once on a new one.
        if (attempt === 0 && isStaleSocket(err)) continue;
        throw err;
      }
      const code = msg.statusCode ?? 0;
      if (consume && code >= 200 && code < 300) {
        this.count(req, code);
        await consume(msg);
        return { code, headers: msg.headers, body: "" };
      }
      const res: RawResponse = { code, headers: msg.headers, body: await readBody(msg) };
      this.count(req, res.code);
      if (res.code === 401 && attempt === 0) {
        this.config.invalidateCredentials();
        continue;
      }
      const wait = this.retryDelay(res);
      if (wait === undefined || attempt >= this.o.maxRetries || req.signal?.aborted) return res;
      this.o.logger?.debug({ code: res.code, path: req.path, waitMs: wait, attempt }, "retrying after Retry-After");
      await sleep(wait, req.signal);
    }
  }

  /** Milliseconds to wait before retrying, or undefined when the response is final. */
  private retryDelay(res: RawResponse): number | undefined {
    if (res.code !== 429 && res.code !== 503) return undefined;
    const header = res.headers["retry-after"];
    if (header === undefined) return undefined;
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(header) - Date.now());
    const cap = res.code === 503 ? 1000 : this.o.maxRetryAfterMs;
    return Math.min(Number.isNaN(ms) ? 1000 : ms, cap);
  }

  private count(req: RequestOptions, code: number): void {
    this.metrics.inc("rest_client_requests_total", { code: code === 0 ? "<error>" : String(code), method: req.method, host: this.host });
  }

  /**
   * One TLS context for every connection with the same client certificate: without it each new
   * socket parses the CA bundle and key again (~2 ms of CPU each, a dozen sockets as a manager starts).
   */
  private secureContext(cert: string | Buffer | undefined, key: string | Buffer | undefined): SecureContext {
    const c = cert ?? this.config.cert;
    const k = key ?? this.config.key;
    const cur = this.tls;
    if (cur && cur.cert === c && cur.key === k) return cur.context;
    const context = createSecureContext({ ca: this.config.ca, cert: c, key: k });
    this.tls = { cert: c, key: k, context };
    return context;
  }

  private async open(req: RequestOptions, watch: boolean): Promise<http.IncomingMessage> {
    await this.bucket.take(req.signal);
    req.signal?.throwIfAborted();
    const creds = await this.config.credentials();
    const url = new URL(this.config.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : typeof req.body === "string" || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": this.o.userAgent, ...creds.headers, ...req.headers };
    if (payload !== undefined) {
      headers["content-type"] = req.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const mod = url.protocol === "http:" ? http : https;
    const started = Date.now();
    return await new Promise<http.IncomingMessage>((resolve, reject) => {
      // secureContext is a tls.connect option the agent passes through.
      const options: https.RequestOptions & { secureContext?: SecureContext } = { method: req.method, headers, agent: this.agent, signal: req.signal, cert: creds.cert, key: creds.key, timeout: watch ? undefined : this.o.requestTimeoutMs };
      if (mod === https) options.secureContext = this.secureContext(creds.cert, creds.key);
      const r = mod.request(url, options, (msg) => {
        this.metrics.observe("rest_client_request_duration_seconds", { verb: req.method, host: this.host }, (Date.now() - started) / 1000);
        resolve(msg);
      });
      r.on("timeout", () => r.destroy(new Error(`timed out after ${this.o.requestTimeoutMs} ms`)));
      r.on("error", (err) => {
        this.count(req, 0);
        reject(req.signal?.aborted ? err : new ApiError(0, "", `${req.method} ${req.path}: ${err.message}`, { cause: err, request: `${req.method} ${req.path}` }));
      });
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  }
}

/**
 * The body as text, decoded chunk by chunk into one string (V8 joins the pieces when it is
 * parsed): no second whole-body Buffer beside the string, which for a page of 500 objects was
 * megabytes of transient native memory.
 */
async function readBody(msg: http.IncomingMessage): Promise<string> {
  msg.setEncoding("utf8");
  let body = "";
  for await (const chunk of msg) body += chunk as string;
  return body;
}

function isStaleSocket(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.code !== 0) return false;
  const code = (err.cause as { code?: string } | undefined)?.code;
  return code === "ECONNRESET" || code === "EPIPE";
}

function isClosedEarly(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || (err as Error).message === "aborted";
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
