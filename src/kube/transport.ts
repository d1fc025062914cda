/**
 * The one request shape the cluster-side helpers of this folder need, so that tsop/envtest (its
 * own small HTTPS client) and the CLI (the runtime's RestClient) share them.
 * @module
 */

/** One API request; `body` is sent as it is. */
export interface KubeRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Absolute API path, e.g. `/api/v1/namespaces`. */
  path: string;
  query?: Record<string, string | boolean | undefined>;
  body?: string;
  contentType?: string;
}

/** The raw answer: status code and body text. */
export interface KubeResponse {
  status: number;
  body: string;
}

/** Sends a request; rejects only when no answer came (connection refused, TLS failure...). */
export type KubeTransport = (req: KubeRequest) => Promise<KubeResponse>;

/** The `message` of a Kubernetes Status body, or the start of the body. */
export function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === "string") return status.message;
  } catch {
    // not JSON
  }
  return body.slice(0, 500);
}

/** `path?k=v&...` for a request, leaving out undefined values. */
export function withQuery(path: string, query: KubeRequest["query"]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}
