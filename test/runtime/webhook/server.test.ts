// The webhook server over HTTPS without an apiserver: bad requests get 400 with a message, hooks
// that throw or hang get an error response and the server keeps serving, certificates reload when
// their files change. (The apiserver-driven behaviour is in webhook-envtest.test.ts.)
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selfSignedCert } from "../../../src/runtime/internal/self-signed.js";
import { PromMetrics } from "../../../src/runtime/metrics/metrics.js";
import { WebhookServer, applyJsonPatch, createJsonPatch, type AdmissionReview } from "../../../src/runtime/webhook/index.js";
import { eventually } from "../cluster.js";
import { GadgetV1, gadgetConversion } from "./gadget.js";

const dir = mkdtempSync(join(tmpdir(), "tsop-webhook-certs-"));
const first = selfSignedCert("first");
writeFileSync(join(dir, "tls.crt"), first.cert);
writeFileSync(join(dir, "tls.key"), first.key);
const metrics = new PromMetrics({ processMetrics: false });
const server = new WebhookServer({ host: "127.0.0.1", port: 0, certDir: dir, handlerTimeoutMs: 300, metrics });
let port = 0;

server.registerAdmission({
  kind: GadgetV1,
  default(g) {
    if (g.metadata?.name === "boom") throw new Error("defaulter exploded");
    g.spec = { ...g.spec, color: "blue" };
  },
  async validateCreate(g) {
    if (g.metadata?.name === "slow") await new Promise((r) => setTimeout(r, 5_000));
    if (g.metadata?.name === "boom") throw new TypeError("cannot read properties of undefined");
    return [];
  },
});
server.registerConversion(gadgetConversion);

beforeAll(async () => {
  port = await server.start();
});
afterAll(async () => {
  await server.stop();
});

async function post(path: string, body: string, contentType = "application/json", method = "POST"): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: "127.0.0.1", port, path, method, rejectUnauthorized: false, headers: { "content-type": contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    r.on("error", reject);
    r.end(body);
  });
}

const review = (name: string, operation = "CREATE"): string => JSON.stringify({
  apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview",
  request: { uid: `uid-${name}`, kind: { group: "webhook.tsop.io", version: "v1", kind: "Gadget" }, resource: { group: "webhook.tsop.io", version: "v1", resource: "gadgets" }, operation, name, object: { apiVersion: "webhook.tsop.io/v1", kind: "Gadget", metadata: { name }, spec: { size: 2 } } },
});

describe("WebhookServer", () => {
  it("answers a mutating review with a JSON patch that applies to the defaulted object", async () => {
    const res = await post("/mutate-webhook-tsop-io-v1-gadget", review("ok"));
    expect(res.status).toBe(200);
    const response = (res.json as unknown as AdmissionReview).response;
    expect(response).toMatchObject({ uid: "uid-ok", allowed: true, patchType: "JSONPatch" });
    const ops = JSON.parse(Buffer.from(response?.patch ?? "", "base64").toString()) as Parameters<typeof applyJsonPatch>[1];
    expect(ops).toEqual([{ op: "add", path: "/spec/color", value: "blue" }]);
  });

  it.each([
    ["an empty body", "", "application/json", "POST", "request body is empty"],
    ["a body that is not JSON", "{nope", "application/json", "POST", "request body is not JSON"],
    ["another content type", review("x"), "text/plain", "POST", "contentType=text/plain, expected application/json"],
    ["a GET", "", "application/json", "GET", "method GET is not allowed"],
    ["JSON that is no review", "{}", "application/json", "POST", "the body is not an AdmissionReview"],
  ])("answers %s with 400 and a message", async (_what, body, type, method, message) => {
    const res = await post("/validate-webhook-tsop-io-v1-gadget", body, type, method);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: "Status", code: 400 });
    expect(String(res.json.message)).toContain(message);
  });

  it("answers a ConversionReview without a request with 400, an unknown path with 404", async () => {
    const conv = await post("/convert", JSON.stringify({ kind: "ConversionReview" }));
    expect(conv.status).toBe(400);
    expect(String(conv.json.message)).toContain("not a ConversionReview");
    const missing = await post("/mutate-nothing", review("x"));
    expect(missing.status).toBe(404);
  });

  it("a throwing defaulter answers 500, a throwing validator denies with its message, a slow one times out; the server keeps serving", async () => {
    const mutated = (await post("/mutate-webhook-tsop-io-v1-gadget", review("boom"))).json as unknown as AdmissionReview;
    expect(mutated.response).toMatchObject({ allowed: false, status: { code: 500, message: "defaulting failed: defaulter exploded" } });
    const validated = (await post("/validate-webhook-tsop-io-v1-gadget", review("boom"))).json as unknown as AdmissionReview;
    expect(validated.response).toMatchObject({ allowed: false, status: { code: 403, message: "cannot read properties of undefined" } });
    const slow = (await post("/validate-webhook-tsop-io-v1-gadget", review("slow"))).json as unknown as AdmissionReview;
    expect(slow.response).toMatchObject({ uid: "uid-slow", allowed: false, status: { code: 500, message: "webhook /validate-webhook-tsop-io-v1-gadget did not answer within 300 ms" } });
    const after = (await post("/validate-webhook-tsop-io-v1-gadget", review("fine"))).json as unknown as AdmissionReview;
    expect(after.response).toEqual({ uid: "uid-fine", allowed: true });
    const text = await metrics.text();
    expect(text).toMatch(/controller_runtime_webhook_requests_total\{webhook="\/validate-webhook-tsop-io-v1-gadget",code="400"\} [1-9]/);
  });

  it("a conversion that fails answers Failure with the reason", async () => {
    const res = await post("/convert", JSON.stringify({ apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", request: { uid: "c1", desiredAPIVersion: "webhook.tsop.io/v9", objects: [{ apiVersion: "webhook.tsop.io/v1", kind: "Gadget", metadata: { name: "a" } }] } }));
    expect(res.json.response).toMatchObject({ uid: "c1", result: { status: "Failure", message: expect.stringContaining("has no conversion for version v9") } });
  });

  it("reloads the certificate when its files change", async () => {
    const served = (): Promise<string> => new Promise((resolve, reject) => {
      const s = connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
        resolve(s.getPeerX509Certificate()?.subject ?? "");
        s.end();
      });
      s.on("error", reject);
    });
    expect(await served()).toContain("CN=first");
    const second = selfSignedCert("second");
    writeFileSync(join(dir, "tls.key"), second.key);
    writeFileSync(join(dir, "tls.crt"), second.cert);
    await eventually(async () => (await served()).includes("CN=second"), "the rotated certificate to be served", 15_000);
  });
});

describe("createJsonPatch", () => {
  it("adds, replaces and removes members (escaping / and ~) and replaces changed arrays", () => {
    const from = { a: 1, b: { "x/y": 1, "t~": 2 }, list: [1, 2], gone: true };
    const to = { a: 2, b: { "x/y": 1, "t~": 3, n: null }, list: [1, 3] };
    const ops = createJsonPatch(from, to);
    expect(ops).toEqual([
      { op: "remove", path: "/gone" },
      { op: "replace", path: "/a", value: 2 },
      { op: "replace", path: "/b/t~0", value: 3 },
      { op: "add", path: "/b/n", value: null },
      { op: "replace", path: "/list", value: [1, 3] },
    ]);
    expect(applyJsonPatch(from, ops)).toEqual(to);
    expect(createJsonPatch(to, structuredClone(to))).toEqual([]);
  });
});
