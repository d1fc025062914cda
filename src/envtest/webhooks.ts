/**
 * Installs an operator's webhooks into a local control plane, like controller-runtime's
 * WebhookInstallOptions: reads Mutating/ValidatingWebhookConfigurations (config/webhook/manifests.yaml),
 * points every clientConfig (and every CRD's Webhook conversion) at `https://127.0.0.1:<port>/<path>`
 * with a CA the apiserver trusts, applies them, and waits until the apiserver uses them.
 * @module
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { connect } from "node:tls";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";
import { httpRequest, pollUntil, type TlsMaterial } from "./http.js";

/** Options of the webhooks an {@link Environment} installs. */
export interface WebhookInstallOptions {
  /** Files or directories (not recursive) of webhook configurations, e.g. `config/webhook`. Default: none. */
  paths?: string[];
  /** MutatingWebhookConfiguration objects. Default: none. */
  mutatingWebhooks?: object[];
  /** ValidatingWebhookConfiguration objects. Default: none. */
  validatingWebhooks?: object[];
  /** Host the local webhook server listens on. Default: `127.0.0.1`. */
  localServingHost?: string;
  /** Port of the local webhook server. Default: a free port. */
  localServingPort?: number;
}

/** Where the operator's webhook server must listen for the installed webhooks to reach it. */
export interface LocalWebhookServing {
  host: string;
  port: number;
  /** Directory with `tls.crt` and `tls.key` for the webhook server. */
  certDir: string;
  /** The CA (PEM) the apiserver trusts for these webhooks. */
  caPem: string;
  /** The same as Manager options: `Manager.create({ ...env.webhook.managerOptions })`. */
  managerOptions: { webhookHost: string; webhookPort: number; webhookCertPath: string };
}

type Obj = Record<string, unknown>;
interface ClientConfig { url?: string; caBundle?: string; service?: { name?: string; namespace?: string; path?: string; port?: number } }
interface WebhookLike { name?: string; clientConfig?: ClientConfig }
const KINDS = { MutatingWebhookConfiguration: "mutatingwebhookconfigurations", ValidatingWebhookConfiguration: "validatingwebhookconfigurations" } as const;
type ConfigKind = keyof typeof KINDS;
const EXT = new Set([".yaml", ".yml", ".json"]);

/** Reads the webhook configurations of files and directories; other documents are ignored. */
export function loadWebhookConfigs(paths: string[]): Obj[] {
  const out: Obj[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = statSync(p).isDirectory() ? readdirSync(p).filter((f) => EXT.has(extname(f))).sort().map((f) => join(p, f)) : [p];
    } catch {
      throw new UserError("envtest-webhook-path", `webhook path ${p} does not exist`, { hint: "pass config/webhook (run `tsop manifests` to generate config/webhook/manifests.yaml)" });
    }
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
        const err = doc.errors[0];
        if (err) {
          const pos = err.linePos?.[0];
          throw new UserError("envtest-bad-webhook", `cannot parse YAML: ${err.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`, { location: { file, line: pos?.line, col: pos?.col }, hint: "fix the YAML syntax" });
        }
        const v = doc.toJS() as Obj | null;
        if (v && typeof v === "object" && typeof v.kind === "string" && v.kind in KINDS) out.push(v);
      }
    }
  }
  return out;
}

const urlFor = (serving: { host: string; port: number }, path: string | undefined): string =>
  `https://${serving.host.includes(":") ? `[${serving.host}]` : serving.host}:${serving.port}${path ?? "/"}`;

/** A copy of a webhook configuration whose webhooks call the local server. */
export function localizeWebhookConfig(config: Obj, serving: { host: string; port: number; caPem: string }): Obj {
  const copy = structuredClone(config);
  const caBundle = Buffer.from(serving.caPem).toString("base64");
  for (const w of (copy.webhooks as WebhookLike[] | undefined) ?? []) {
    const cc = w.clientConfig ?? {};
    w.clientConfig = { url: cc.url ? urlFor(serving, new URL(cc.url).pathname) : urlFor(serving, cc.service?.path), caBundle };
  }
  const meta = (copy.metadata ?? {}) as Obj;
  delete meta.annotations; // cert-manager's inject-ca-from has no meaning here
  copy.metadata = meta;
  return copy;
}

/** A copy of a CRD whose Webhook conversion calls the local server (other CRDs are returned as they are). */
export function localizeConversion(crd: object, serving: { host: string; port: number; caPem: string }): object {
  const spec = (crd as { spec?: { conversion?: { strategy?: string; webhook?: { clientConfig?: ClientConfig; conversionReviewVersions?: string[] } } } }).spec;
  if (spec?.conversion?.strategy !== "Webhook") return crd;
  const copy = structuredClone(crd) as typeof crd & { spec: { conversion: { webhook?: { clientConfig?: ClientConfig; conversionReviewVersions?: string[] } } } };
  const hook = copy.spec.conversion.webhook ?? {};
  copy.spec.conversion.webhook = {
    clientConfig: { url: urlFor(serving, hook.clientConfig?.service?.path ?? "/convert"), caBundle: Buffer.from(serving.caPem).toString("base64") },
    conversionReviewVersions: hook.conversionReviewVersions ?? ["v1"],
  };
  return copy;
}

const statusMessage = (body: string): string => {
  try {
    return String((JSON.parse(body) as { message?: unknown }).message ?? body.slice(0, 300));
  } catch {
    return body.slice(0, 300);
  }
};

async function apply(server: string, tls: TlsMaterial, config: Obj): Promise<void> {
  const kind = config.kind as ConfigKind;
  const name = (config.metadata as { name?: string } | undefined)?.name;
  if (!name) throw new UserError("envtest-bad-webhook", `a ${kind} has no metadata.name`, { hint: "name it (tsop manifests names them mutating-webhook-configuration and validating-webhook-configuration)" });
  const url = `${server}/apis/admissionregistration.k8s.io/v1/${KINDS[kind]}/${encodeURIComponent(name)}?fieldManager=tsop-envtest&force=true`;
  const res = await httpRequest({ method: "PATCH", url, tls, body: JSON.stringify({ ...config, apiVersion: "admissionregistration.k8s.io/v1" }), contentType: "application/apply-patch+yaml" });
  if (res.status >= 300) throw new UserError("envtest-webhook-rejected", `the apiserver rejected ${kind} ${name} (HTTP ${res.status}): ${statusMessage(res.body)}`, { hint: "fix the webhook configuration (regenerate it with `tsop manifests`)" });
}

/**
 * Applies the configurations, then waits until the apiserver calls them: sentinel configurations
 * (one mutating, one validating; failing, for one labelled ConfigMap only) are applied after them;
 * once a dry-run create of that ConfigMap fails on a sentinel, the apiserver has loaded every
 * configuration of that kind before it. Then the sentinels are removed.
 */
export async function installWebhookConfigs(server: string, tls: TlsMaterial, configs: Obj[], timeoutMs: number): Promise<void> {
  for (const c of configs) await apply(server, tls, c);
  if (configs.length === 0) return;
  const token = randomBytes(6).toString("hex");
  const name = `tsop-envtest-sentinel-${token}`;
  const sentinel = (kind: ConfigKind, hook: string): Obj => ({
    kind, metadata: { name },
    webhooks: [{
      name: hook, admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", timeoutSeconds: 1,
      clientConfig: { url: "https://127.0.0.1:1/sentinel" },
      rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }],
      objectSelector: { matchLabels: { "envtest.tsop.io/sentinel": token } },
    }],
  });
  const probe = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { "envtest.tsop.io/sentinel": token } } });
  const failsOn = (hook: string) => async (): Promise<boolean> => {
    const res = await httpRequest({ method: "POST", url: `${server}/api/v1/namespaces/default/configmaps?dryRun=All`, tls, body: probe });
    return res.status >= 400 && res.body.includes(hook);
  };
  // Mutating webhooks run first, so wait for the mutating sentinel, remove it, then the validating one.
  for (const kind of ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"] as const) {
    const hook = `${kind === "MutatingWebhookConfiguration" ? "m" : "v"}sentinel.envtest.tsop.io`;
    await apply(server, tls, sentinel(kind, hook));
    await pollUntil(failsOn(hook), { timeoutMs, what: `the apiserver to load the ${kind}s` });
    await httpRequest({ method: "DELETE", url: `${server}/apis/admissionregistration.k8s.io/v1/${KINDS[kind]}/${name}`, tls });
  }
}

/** Resolves once a TLS connection to the local webhook server succeeds (it is up and has its certificate). */
export async function waitForWebhookServer(serving: { host: string; port: number; caPem: string }, timeoutMs: number): Promise<void> {
  await pollUntil(() => new Promise<boolean>((resolve, reject) => {
    const s = connect({ host: serving.host, port: serving.port, ca: serving.caPem, servername: "localhost" }, () => {
      s.end();
      resolve(true);
    });
    s.setTimeout(1_000, () => s.destroy(new Error("TLS handshake timed out")));
    s.on("error", reject);
  }), { timeoutMs, what: `the webhook server on ${serving.host}:${serving.port}` });
}
