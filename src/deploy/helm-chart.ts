/**
 * `tsop helm`: the project's rendered config/default (what `build-installer` writes) turned into a
 * Helm chart under dist/chart/, like kubebuilder's helm plugin. Objects keep their YAML; the parts a
 * user tunes become values (image, replicas, resources, probes, leader election, metrics, CRDs,
 * RBAC, NetworkPolicy), the namespace becomes the release's. values.yaml is merged: the user's
 * values stay, new keys are added. Pure: objects in, files out.
 * @module
 */
import { isMap, parseDocument, stringify } from "yaml";
import { UserError } from "../errors.js";
import type { KubeObjectLike } from "../kube/objects.js";
import { toYamlDocument } from "../manifests/yaml.js";
import type { ProjectConfig } from "../project/model.js";

/** One chart file, relative to the project root. */
export interface ChartFile { path: string; content: string }

export const CHART_DIR = "dist/chart";

type Obj = KubeObjectLike & { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };

const P = (k: string): string => `__TSOP_HELM_${k}__`;

/** What a placeholder becomes in the template (the whole YAML line is replaced where `line` is set). */
const PLACEHOLDERS: Record<string, string> = {
  NAMESPACE: "{{ .Release.Namespace }}",
  IMAGE: '"{{ .Values.manager.image.repository }}:{{ .Values.manager.image.tag }}"',
  PULL_POLICY: "{{ .Values.manager.image.pullPolicy }}",
  REPLICAS: "{{ .Values.manager.replicas }}",
};
const BLOCKS: Record<string, string> = {
  RESOURCES: ".Values.manager.resources",
  LIVENESS: ".Values.manager.livenessProbe",
  READINESS: ".Values.manager.readinessProbe",
};

/**
 * Text copied from the project (CRD descriptions, annotations, anything) is template source to Helm:
 * a `{{` or `}}` in it is written as a Helm expression printing it, so it comes out literally.
 */
export function escapeHelm(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === "{{" ? '{{ "{{" }}' : '{{ "}}" }}'));
}

/** List items rendered only when a value is set: the item is replaced by `- __TSOP_HELM_ITEM_<n>__` until templating. */
type GuardedItems = Map<string, { guard: string; item: unknown }>;

function guardItem(items: GuardedItems, guard: string, item: unknown): string {
  const key = `ITEM_${items.size}`;
  items.set(key, { guard, item });
  return P(key);
}

/** Renders an object with placeholders into a template: `key: __X__` → Helm expressions. */
function template(o: unknown, guard?: string, items: GuardedItems = new Map(), certManager = false): string {
  let text = escapeHelm(toYamlDocument(o));
  for (const [k, { guard: g, item }] of items) {
    text = text.replace(new RegExp(`^( *)- ${P(k)}$`, "m"), (_m, indent: string) => {
      const body = escapeHelm(stringify([item], { sortMapEntries: true, indentSeq: false, lineWidth: 0 })).trimEnd().split("\n").map((l) => indent + l).join("\n");
      return `${indent}{{- if ${g} }}\n${body}\n${indent}{{- end }}`;
    });
  }
  // cert-manager fills the caBundle only when it is installed with the chart.
  if (certManager) text = text.replace(/^( *)cert-manager\.io\/inject-ca-from: (.*)$/gm, (_m, i: string, v: string) => `${i}{{- if .Values.certmanager.enable }}\n${i}cert-manager.io/inject-ca-from: ${v}\n${i}{{- end }}`);
  for (const [k, v] of Object.entries(PLACEHOLDERS)) text = text.replaceAll(P(k), v);
  for (const [k, v] of Object.entries(BLOCKS)) {
    text = text.replace(new RegExp(`^( *)(\\S+): ${P(k)}$`, "m"), (_m, indent: string, key: string) => `${indent}${key}:\n${indent}  {{- toYaml ${v} | nindent ${indent.length + 2} }}`);
  }
  text = text.replace(/^( *)- __TSOP_HELM_LEADER_ELECT__$/m, (_m, indent: string) => `${indent}{{- if .Values.manager.leaderElection }}\n${indent}- --leader-elect\n${indent}{{- end }}`);
  text = text.replace(/^( *)- --metrics-bind-address=:8443$/m, (_m, indent: string) => `${indent}{{- if .Values.metrics.enable }}\n${indent}- --metrics-bind-address=:8443\n${indent}{{- if not .Values.metrics.secure }}\n${indent}- --metrics-secure=false\n${indent}{{- end }}\n${indent}{{- else }}\n${indent}- --metrics-bind-address=0\n${indent}{{- end }}`);
  text = text.replace(/^---\n/, "").replaceAll("app.kubernetes.io/managed-by: kustomize", "app.kubernetes.io/managed-by: {{ .Release.Service }}");
  return guard ? `{{- if ${guard} }}\n${text}{{- end }}\n` : text;
}

/**
 * A copy of `o` where kustomize's namespace `ns` becomes the release's: metadata.namespace, subjects,
 * webhook and conversion clientConfig.service.namespace (any string equal to it), the
 * `<ns>/<certificate>` of cert-manager's inject-ca-from, and `<service>.<ns>.svc` DNS names.
 */
function withNamespace(o: Obj, ns: string | undefined): Obj {
  const c = structuredClone(o);
  if (c.metadata.namespace !== undefined) c.metadata.namespace = P("NAMESPACE");
  if (ns === undefined) return c;
  const svc = `.${ns}.svc`;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (v === ns) return P("NAMESPACE");
      return (v.startsWith(`${ns}/`) ? P("NAMESPACE") + v.slice(ns.length) : v).replaceAll(svc, `.${P("NAMESPACE")}.svc`);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(c) as Obj;
}

interface Container { name: string; image?: string; imagePullPolicy?: string; args?: string[]; resources?: unknown; livenessProbe?: unknown; readinessProbe?: unknown; volumeMounts?: { name: string }[] }

/** The secret volume cert-manager's metrics Certificate fills; without cert-manager the metrics server makes a self-signed one. */
const METRICS_CERT_VOLUME = "metrics-certs";

/**
 * With cert-manager in the chart, the metrics certificate (its flag, volume and mount) is rendered
 * only when certmanager.enable is set. The webhook server's certificate stays: it cannot serve
 * without one, so with cert-manager off the user provides that Secret.
 */
function guardMetricsCert(spec: { volumes?: { name: string }[] }, m: Container, items: GuardedItems): void {
  const guard = ".Values.certmanager.enable";
  m.args = (m.args ?? []).map((a) => (a.startsWith("--metrics-cert-path=") ? guardItem(items, guard, a) : a));
  // The item itself becomes the placeholder string (a `- __X__` line the template replaces).
  const guarded = <T extends { name: string }>(list: T[] | undefined): T[] | undefined => list?.map((v) => (v.name === METRICS_CERT_VOLUME ? (guardItem(items, guard, v) as unknown as T) : v));
  m.volumeMounts = guarded(m.volumeMounts);
  spec.volumes = guarded(spec.volumes);
}

/** The manager Deployment with its tunable parts as placeholders; returns the defaults they had. */
function managerTemplate(d: Obj, ns: string | undefined, items: GuardedItems, certManager: boolean): { obj: Obj; defaults: { resources: unknown; livenessProbe: unknown; readinessProbe: unknown; replicas: number; image: string } } {
  const c = withNamespace(d, ns);
  const spec = c["spec"] as { replicas?: number; template: { spec: { containers: Container[]; volumes?: { name: string }[] } } };
  const m = spec.template.spec.containers.find((x) => x.name === "manager") ?? spec.template.spec.containers[0]!;
  const defaults = { resources: m.resources ?? {}, livenessProbe: m.livenessProbe, readinessProbe: m.readinessProbe, replicas: spec.replicas ?? 1, image: m.image ?? "controller:latest" };
  spec.replicas = P("REPLICAS") as unknown as number;
  m.image = P("IMAGE");
  m.imagePullPolicy = P("PULL_POLICY");
  m.args = (m.args ?? []).map((a) => (a === "--leader-elect" ? P("LEADER_ELECT") : a));
  m.resources = P("RESOURCES");
  if (m.livenessProbe) m.livenessProbe = P("LIVENESS");
  if (m.readinessProbe) m.readinessProbe = P("READINESS");
  if (certManager) guardMetricsCert(spec.template.spec, m, items);
  return { obj: c, defaults };
}

function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(":");
  return at > image.lastIndexOf("/") ? { repository: image.slice(0, at), tag: image.slice(at + 1) } : { repository: image, tag: "latest" };
}

const fileName = (o: Obj): string => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;

/** Where an object goes in templates/ and when it is rendered. */
function placement(o: Obj): { dir: string; guard?: string } {
  if (o.kind === "CustomResourceDefinition") return { dir: "crd", guard: ".Values.crd.enable" };
  if (["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"].includes(o.kind)) {
    const metrics = /metrics-(auth|reader)/.test(o.metadata.name);
    return { dir: "rbac", guard: metrics ? ".Values.metrics.enable" : ".Values.rbac.enable" };
  }
  if (o.kind === "Service" && /metrics/.test(o.metadata.name)) return { dir: "metrics", guard: ".Values.metrics.enable" };
  if (o.kind === "Service" && /webhook/.test(o.metadata.name)) return { dir: "webhook", guard: ".Values.webhook.enable" };
  if (/WebhookConfiguration$/.test(o.kind)) return { dir: "webhook", guard: ".Values.webhook.enable" };
  if (o.kind === "Certificate" || o.kind === "Issuer") return { dir: "certmanager", guard: ".Values.certmanager.enable" };
  if (o.kind === "ServiceMonitor") return { dir: "prometheus", guard: ".Values.prometheus.enable" };
  if (o.kind === "NetworkPolicy") return { dir: "network-policy", guard: ".Values.networkPolicy.enable" };
  return { dir: "manager" };
}

/**
 * The chart files for `objects` (config/default rendered) plus the NetworkPolicy objects of
 * config/network-policy, merging the generated values into `userValues` (the current values.yaml).
 */
export function buildChart(project: ProjectConfig, objects: readonly KubeObjectLike[], networkPolicies: readonly KubeObjectLike[], userValues: string | undefined, version: string): ChartFile[] {
  const objs = [...objects, ...networkPolicies.filter((n) => !objects.some((o) => o.kind === n.kind && o.metadata?.name === n.metadata?.name))] as Obj[];
  const deployment = objs.find((o) => o.kind === "Deployment");
  if (!deployment) throw new UserError("no-manager", "config/default renders no manager Deployment", { location: { file: "config/default/kustomization.yaml" }, hint: "restore ../manager in its resources (tsop init writes it)" });
  const files: ChartFile[] = [];
  let defaults: ReturnType<typeof managerTemplate>["defaults"] | undefined;
  const kinds = new Set(objs.map((o) => o.kind));
  const ns = deployment.metadata.namespace;
  const certManager = kinds.has("Certificate");
  for (const o of objs) {
    if (o.kind === "Namespace") continue; // the release's namespace
    const { dir, guard } = placement(o);
    let body: Obj;
    const items: GuardedItems = new Map();
    if (o === deployment) ({ obj: body, defaults } = managerTemplate(o, ns, items, certManager));
    else body = withNamespace(o, ns);
    if (o.kind === "CustomResourceDefinition") {
      body.metadata = { ...body.metadata, annotations: { ...((body.metadata as { annotations?: Record<string, string> }).annotations ?? {}), "helm.sh/resource-policy": P("KEEP") } } as Obj["metadata"];
    }
    let text = template(body, guard, items, certManager);
    text = text.replace(/^( *)helm\.sh\/resource-policy: __TSOP_HELM_KEEP__$/m, (_m, i: string) => `${i}{{- if .Values.crd.keep }}\n${i}helm.sh/resource-policy: keep\n${i}{{- end }}`);
    // An annotations map left empty when crd.keep is false is still valid YAML (null map).
    files.push({ path: `${CHART_DIR}/templates/${dir}/${fileName(o)}`, content: text });
  }
  const d = defaults!;
  const generated = {
    manager: {
      image: { ...splitImage(d.image), pullPolicy: "IfNotPresent" },
      replicas: d.replicas,
      leaderElection: true,
      resources: d.resources,
      ...(d.livenessProbe ? { livenessProbe: d.livenessProbe } : {}),
      ...(d.readinessProbe ? { readinessProbe: d.readinessProbe } : {}),
    },
    rbac: { enable: true },
    crd: { enable: true, keep: true },
    metrics: { enable: true, secure: true },
    networkPolicy: { enable: false },
    ...(kinds.has("ValidatingWebhookConfiguration") || kinds.has("MutatingWebhookConfiguration") ? { webhook: { enable: true } } : {}),
    ...(kinds.has("Certificate") ? { certmanager: { enable: true } } : {}),
    ...(kinds.has("ServiceMonitor") ? { prometheus: { enable: true } } : {}),
  };
  files.push({ path: `${CHART_DIR}/values.yaml`, content: mergeValues(userValues, generated) });
  files.push({ path: `${CHART_DIR}/Chart.yaml`, content: stringify({ apiVersion: "v2", name: project.projectName, description: `A Helm chart for ${project.projectName}, generated by tsop helm`, type: "application", version, appVersion: version }, { lineWidth: 0 }) });
  files.push({ path: `${CHART_DIR}/.helmignore`, content: ".DS_Store\n.git/\n*.swp\n*.bak\n*.tmp\n" });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;
}

/** The user's values.yaml with every generated key it lacks added; its own values and comments stay. */
export function mergeValues(user: string | undefined, generated: Record<string, unknown>): string {
  const header = "# Values of the chart tsop helm generates. Your values are kept when it runs again; new keys are added.\n";
  if (user === undefined) return header + stringify(generated, { lineWidth: 0 });
  const doc = parseDocument(user);
  if (doc.errors.length || (doc.contents !== null && !isMap(doc.contents))) {
    throw new UserError("bad-values", "dist/chart/values.yaml is not a YAML mapping", { location: { file: `${CHART_DIR}/values.yaml` }, hint: "fix it, or delete it to have tsop helm write it again" });
  }
  const add = (prefix: string[], value: unknown): void => {
    if (!doc.hasIn(prefix)) { doc.setIn(prefix, doc.createNode(value)); return; }
    const existing = doc.getIn(prefix, true);
    if (value && typeof value === "object" && !Array.isArray(value) && isMap(existing)) {
      for (const [k, v] of Object.entries(value)) add([...prefix, k], v);
    }
  };
  if (doc.contents === null) return header + stringify(generated, { lineWidth: 0 });
  for (const [k, v] of Object.entries(generated)) add([k], v);
  return doc.toString({ lineWidth: 0 });
}
