/**
 * `@webhook` tags on the hooks objects in src/webhooks -> config/webhook/manifests.yaml (one
 * MutatingWebhookConfiguration and one ValidatingWebhookConfiguration, webhooks sorted by name, as
 * controller-gen writes them), and the CRD `conversion` of kinds with a conversion webhook.
 * @module
 */
import { didYouMean, type Diagnostics, type SourcePos } from "../schema/diagnostics.js";
import { parseJsDoc } from "../schema/jsdoc.js";
import { parseArgs } from "../schema/tag-values.js";
import { tagsAllowedAt } from "../schema/tag-table.js";

/** One webhook of a configuration, in the API's shape. */
export type Webhook = Record<string, unknown> & { name: string };
/** A parsed `@webhook` tag. */
export interface WebhookTag { mutating: boolean; webhook: Webhook }

const ARGS = ["path", "mutating", "failurePolicy", "sideEffects", "groups", "resources", "verbs", "versions", "name", "admissionReviewVersions", "matchPolicy", "timeoutSeconds", "reinvocationPolicy"];
const REQUIRED = ["path", "mutating", "groups", "resources", "verbs", "versions", "name"];
const VERBS: Record<string, string> = { create: "CREATE", update: "UPDATE", delete: "DELETE", connect: "CONNECT", "*": "*" };
const ENUMS: Record<string, Record<string, string>> = {
  failurePolicy: { fail: "Fail", ignore: "Ignore" },
  sideEffects: { none: "None", noneondryrun: "NoneOnDryRun", some: "Some", unknown: "Unknown" },
  matchPolicy: { exact: "Exact", equivalent: "Equivalent" },
  reinvocationPolicy: { never: "Never", ifneeded: "IfNeeded" },
};
const EXAMPLE = "e.g. @webhook path=/validate-cache-example-com-v1-memcached mutating=false failurePolicy=Fail sideEffects=None groups=cache.example.com resources=memcacheds verbs=create;update versions=v1 name=vmemcached-v1.kb.io admissionReviewVersions=v1";
const CONST_AFTER = /^\s*export\s+(const|let|class|function|default)\b/;

/** Reads the `@webhook` tags of one file under src/webhooks (on the JSDoc of exported declarations). */
export function readWebhookTags(file: string, text: string, diags: Diagnostics): WebhookTag[] {
  const out: WebhookTag[] = [];
  const re = /\/\*\*[\s\S]*?\*\//g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const exported = CONST_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 200));
    for (const t of parseJsDoc(m[0], m.index).tags) {
      if (t.name !== "webhook") {
        const known = tagsAllowedAt("webhook");
        const g = t.name.toLowerCase().startsWith("webhook") || didYouMean(t.name, known) ? "webhook" : undefined;
        if (g) diags.error("unknown-tag", `unknown tag @${t.name}`, { file, text, pos: t.pos }, "did you mean @webhook?");
        continue;
      }
      if (!exported) {
        diags.error("misplaced-tag", "@webhook must stand on an exported declaration (the hooks object)", { file, text, pos: t.pos }, "move it to the JSDoc of `export const <kind>Webhook`");
        continue;
      }
      const w = parseWebhookTag(t.value, { file, text, pos: t.valuePos }, diags);
      if (w) out.push(w);
    }
  }
  return out;
}

function parseWebhookTag(value: string, at: SourcePos, diags: Diagnostics): WebhookTag | undefined {
  const a = parseArgs(value);
  const bad = (message: string, hint: string, key?: string): undefined => {
    diags.error("webhook", `@webhook: ${message}`, key ? { ...at, pos: at.pos + (a.offsets.get(key) ?? 0) } : at, hint);
    return undefined;
  };
  if (a.error) return bad(a.error, EXAMPLE);
  const unknown = [...a.args.keys()].find((k) => !ARGS.includes(k));
  if (unknown) {
    const g = didYouMean(unknown, ARGS);
    return bad(`unknown field ${unknown}`, g ? `did you mean ${g}?` : `fields: ${ARGS.join(", ")}`, unknown);
  }
  const missing = REQUIRED.find((k) => !a.args.has(k));
  if (missing) return bad(`${missing}=... is required`, EXAMPLE);
  const str = (k: string): string | undefined => {
    const v = a.args.get(k);
    return v === undefined ? undefined : v === true ? "" : v;
  };
  const list = (k: string): string[] => (str(k) ?? "").split(";").map((s) => s.trim()).filter((s) => s !== "" || k === "groups");
  const path = str("path") as string;
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path)) return bad(`path "${path}" is not a URL path`, "start it with / and use letters, digits, - . _ ~ and /, e.g. path=/mutate-cache-example-com-v1-memcached", "path");
  const mutating = str("mutating");
  if (mutating !== "true" && mutating !== "false") return bad(`mutating must be true or false, not "${mutating}"`, "write mutating=true for a defaulting webhook, mutating=false for a validating one", "mutating");
  const name = str("name") as string;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?){2,}$/.test(name)) {
    return bad(`name "${name}" is not a fully qualified name`, "use at least three DNS labels, e.g. name=vmemcached-v1.kb.io", "name");
  }
  const operations: string[] = [];
  for (const v of list("verbs")) {
    const op = VERBS[v.toLowerCase()];
    if (!op) {
      const g = didYouMean(v.toLowerCase(), Object.keys(VERBS));
      return bad(`unknown verb ${v}`, g ? `did you mean ${g}?` : "verbs are create, update, delete, connect or *", "verbs");
    }
    operations.push(op);
  }
  const groups = list("groups").map((g) => (g === "core" ? "" : g));
  const resources = list("resources");
  const versions = list("versions");
  for (const [k, xs] of [["resources", resources], ["versions", versions], ["verbs", operations]] as const) {
    if (xs.length === 0) return bad(`${k} needs at least one value`, EXAMPLE, k);
  }
  const webhook: Webhook = {
    name,
    admissionReviewVersions: str("admissionReviewVersions") ? list("admissionReviewVersions") : ["v1"],
    clientConfig: { service: { name: "webhook-service", namespace: "system", path } },
    rules: [{ apiGroups: groups.length ? groups : [""], apiVersions: versions, operations, resources }],
    sideEffects: "None",
  };
  for (const [k, allowed] of Object.entries(ENUMS)) {
    const v = str(k);
    if (v === undefined) continue;
    const canon = allowed[v.toLowerCase()];
    if (!canon) return bad(`${k} "${v}" is not one of ${Object.values(allowed).join(", ")}`, `write ${k}=${Object.values(allowed)[0]}`, k);
    webhook[k] = canon;
  }
  if (webhook.reinvocationPolicy !== undefined && mutating !== "true") return bad("reinvocationPolicy applies to mutating webhooks only", "drop it, or set mutating=true", "reinvocationPolicy");
  const timeout = str("timeoutSeconds");
  if (timeout !== undefined) {
    const n = Number(timeout);
    if (!/^\d+$/.test(timeout) || n < 1 || n > 30) return bad(`timeoutSeconds "${timeout}" must be a whole number from 1 to 30`, "e.g. timeoutSeconds=10 (the apiserver's default)", "timeoutSeconds");
    webhook.timeoutSeconds = n;
  }
  if (str("sideEffects") !== undefined && !["None", "NoneOnDryRun"].includes(webhook.sideEffects as string)) {
    return bad(`sideEffects ${String(webhook.sideEffects)} is not allowed by admissionregistration/v1`, "use sideEffects=None or NoneOnDryRun", "sideEffects");
  }
  return { mutating: mutating === "true", webhook };
}

/** The documents of config/webhook/manifests.yaml; empty when there is no webhook. Duplicate names are an error. */
export function webhookDocuments(tags: WebhookTag[], diags: Diagnostics): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (const mutating of [true, false]) {
    const hooks = tags.filter((t) => t.mutating === mutating).map((t) => t.webhook).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < hooks.length; i++) {
      if (hooks[i]?.name === hooks[i - 1]?.name) diags.error("webhook", `@webhook: two ${mutating ? "mutating" : "validating"} webhooks are named ${hooks[i]?.name}`, undefined, "give each webhook its own name=");
    }
    if (hooks.length === 0) continue;
    const kind = mutating ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration";
    docs.push({ apiVersion: "admissionregistration.k8s.io/v1", kind, metadata: { name: mutating ? "mutating-webhook-configuration" : "validating-webhook-configuration" }, webhooks: hooks });
  }
  return docs;
}

/** The CRD `spec.conversion` of a kind with a conversion webhook (service rewritten by config/crd/kustomizeconfig.yaml). */
export const WEBHOOK_CONVERSION = {
  strategy: "Webhook",
  webhook: { clientConfig: { service: { name: "webhook-service", namespace: "system", path: "/convert" } }, conversionReviewVersions: ["v1"] },
} as const;
