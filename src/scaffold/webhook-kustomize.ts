/**
 * Enables webhooks in config/default/kustomization.yaml the way kubebuilder's commented blocks do
 * once uncommented: the webhook and certmanager bases, the manager patches, and the replacements
 * that put the Services' names into the Certificates and the CA into webhook configurations and
 * converting CRDs. A YAML edit that keeps the user's comments; idempotent.
 * @module
 */
import { isMap, isSeq, parseDocument, type Document, YAMLSeq } from "yaml";
import { UserError } from "../errors.js";

const FILE = "config/default/kustomization.yaml";

const dnsParts = (source: object, certificate: string): object[] => [0, 1].map((index) => ({
  source: { ...source, fieldPath: index === 0 ? ".metadata.name" : ".metadata.namespace" },
  targets: [{
    select: { kind: "Certificate", group: "cert-manager.io", version: "v1", name: certificate },
    fieldPaths: [".spec.dnsNames.0", ".spec.dnsNames.1"],
    options: { delimiter: ".", index, create: true },
  }],
}));

/** The replacements of a project with webhooks (`crds`: names of CRDs with a conversion webhook). */
function replacements(crds: readonly string[]): object[] {
  const injectInto = [
    { kind: "ValidatingWebhookConfiguration" },
    { kind: "MutatingWebhookConfiguration" },
    ...crds.map((name) => ({ kind: "CustomResourceDefinition", name })),
  ];
  const ca = [0, 1].map((index) => ({
    source: { kind: "Certificate", group: "cert-manager.io", version: "v1", name: "serving-cert", fieldPath: index === 0 ? ".metadata.namespace" : ".metadata.name" },
    targets: injectInto.map((select) => ({ select, fieldPaths: [".metadata.annotations.[cert-manager.io/inject-ca-from]"], options: { delimiter: "/", index, create: true } })),
  }));
  return [
    ...dnsParts({ kind: "Service", version: "v1", name: "controller-manager-metrics-service" }, "metrics-certs"),
    ...dnsParts({ kind: "Service", version: "v1", name: "webhook-service" }, "serving-cert"),
    ...ca,
  ];
}

function seqOf(doc: Document, key: string): YAMLSeq {
  const v = doc.get(key, true);
  if (v === undefined || v === null) {
    const seq = new YAMLSeq();
    doc.set(key, seq);
    return seq;
  }
  if (!isSeq(v)) throw new UserError("bad-kustomization", `\`${key}\` is not a list`, { location: { file: FILE }, hint: `make ${key} a YAML list` });
  return v;
}

const plain = (n: unknown): unknown => (n && typeof n === "object" && "toJSON" in n ? (n as { toJSON(): unknown }).toJSON() : n);

/** config/default/kustomization.yaml with webhooks enabled; unchanged when they already are. */
export function enableWebhooksInDefault(text: string, conversionCrds: readonly string[]): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new UserError("bad-kustomization", `not a valid kustomization: ${doc.errors[0]?.message.split("\n")[0] ?? "expected a mapping"}`, { location: { file: FILE }, hint: "fix the file (tsop init writes it)" });
  }
  const resources = seqOf(doc, "resources");
  const have = new Set(resources.items.map((i) => String(plain(i))));
  for (const r of ["../webhook", "../certmanager"]) if (!have.has(r)) resources.add(doc.createNode(r));
  resources.flow = false;
  const patches = seqOf(doc, "patches");
  const patched = new Set(patches.items.map((p) => String((plain(p) as { path?: string }).path)));
  for (const path of ["manager_webhook_patch.yaml", "cert_metrics_manager_patch.yaml"]) {
    if (!patched.has(path)) patches.add(doc.createNode({ path, target: { kind: "Deployment" } }));
  }
  patches.flow = false;
  // Replacements are tsop's to own: rewrite them so a new converting CRD is covered.
  doc.set("replacements", doc.createNode(replacements([...conversionCrds].sort())));
  return doc.toString({ lineWidth: 0, indentSeq: false });
}
