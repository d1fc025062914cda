/**
 * Errors from the apiserver as a typed class, plus controller-runtime-style helpers
 * (`isNotFound`, `ignoreNotFound`, ...).
 * @module
 */

/** A Kubernetes `Status` object as the apiserver returns it on failures. */
export interface Status {
  kind?: "Status";
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

/**
 * A failed request: the HTTP code, the Status `reason` (`NotFound`, `Conflict`, `AlreadyExists`,
 * `Gone`, `Expired`, ...) and the Status body when there was one. `code` is 0 for transport errors
 * (connection refused, reset, TLS), with the cause kept in `cause`.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** HTTP status code; 0 when no response arrived. */
  readonly code: number;
  /** The Status reason, or `""` when unknown. */
  readonly reason: string;
  /** The parsed Status body, if the server sent one. */
  readonly status: Status | undefined;
  /** Request method and path, for messages and logs. */
  readonly request: string;

  constructor(code: number, reason: string, message: string, opts: { status?: Status; request?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.reason = reason;
    this.status = opts.status;
    this.request = opts.request ?? "";
  }

  /** Builds an error from a response code and body (a Status when the server sent one). */
  static fromResponse(code: number, body: string, request: string): ApiError {
    let status: Status | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === "object" && (parsed as Status).kind === "Status") status = parsed as Status;
    } catch {
      // not JSON: keep the raw text as message
    }
    const reason = status?.reason ?? reasonForCode(code);
    const message = status?.message ?? (body.trim().slice(0, 300) || `HTTP ${code}`);
    return new ApiError(code, reason, `${request}: ${code} ${reason}: ${message}`, { status, request });
  }
}

function reasonForCode(code: number): string {
  const reasons: Record<number, string> = { 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed", 409: "Conflict", 410: "Gone", 415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout" };
  return reasons[code] ?? "";
}

function codeOf(err: unknown): number | undefined {
  return err instanceof ApiError ? err.code : undefined;
}

/** True when `err` is a 404 from the apiserver (or from a cache miss). */
export function isNotFound(err: unknown): boolean {
  return codeOf(err) === 404;
}

/** True for 409 Conflict that is not AlreadyExists (a stale resourceVersion on update). */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409 && err.reason !== "AlreadyExists";
}

/** True for 409 AlreadyExists (a create of an existing name). */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409 && err.reason === "AlreadyExists";
}

/** True for 410 Gone / Expired: a watch or list resourceVersion too old for etcd. */
export function isGone(err: unknown): boolean {
  return codeOf(err) === 410 || (err instanceof ApiError && err.reason === "Expired");
}

/**
 * Returns `undefined` for a 404 and rethrows anything else: `await client.get(...).catch(ignoreNotFound)`.
 */
export function ignoreNotFound(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}

/** A 404 raised by the cache for an object it does not hold, shaped like the apiserver's. */
export function notFound(resource: string, name: string): ApiError {
  const message = `${resource} "${name}" not found`;
  return new ApiError(404, "NotFound", message, { status: { kind: "Status", status: "Failure", reason: "NotFound", code: 404, message } });
}
