/** A plain HTTPS JSON client for schema tests, using the admin certificate of a started Environment. */
import https from "node:https";
import type { StartedEnvironment } from "../../src/envtest/index.js";

/** Status code and decoded body of one request. */
export interface Reply { status: number; body: Record<string, unknown>; warning: string }

/** Sends one JSON request to the apiserver. */
export function request(env: StartedEnvironment, method: string, path: string, body?: unknown, contentType = "application/json", accept = "application/json"): Promise<Reply> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${env.server}${path}`, {
      method, ca: env.tls.ca, cert: env.tls.cert, key: env.tls.key, agent: false,
      headers: { Accept: accept, ...(data ? { "Content-Type": contentType } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        try { resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, warning: String(res.headers.warning ?? "") }); } catch (e) { reject(e as Error); }
      });
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}
