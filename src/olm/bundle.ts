/**
 * An OLM registry+v1 bundle from a project's config/manifests rendered by kustomize (the base CSV,
 * config/default, the samples, the scorecard config), as `operator-sdk generate bundle` makes it:
 * the manager Deployment and the RBAC bound to its service account become the CSV's install
 * strategy (permissions for Roles, clusterPermissions for ClusterRoles), webhook configurations
 * become webhookdefinitions, the samples become alm-examples, CRDs and the objects OLM can carry
 * (Services, unbound roles, ...) get a file each. Pure: objects in, files out.
 * @module
 */
import { stringify } from "yaml";
import { UserError } from "../errors.js";
import type { KubeObjectLike } from "../kube/objects.js";
import { toYamlDocument } from "../manifests/yaml.js";
import { displayName, type Descriptor, type OwnedCrd } from "./scaffold.js";

/** Where the bundle goes (operator-sdk's layout). */
export const BUNDLE_DIR = "bundle";

/** What `tsop bundle` was asked for. */
export interface BundleOptions {
  packageName: string;
  version: string;
  channels: readonly string[];
  defaultChannel?: string;
  /** PROJECT's layout, recorded like operator-sdk's project_layout annotation. */
  layout: string;
}

/** One bundle file, relative to the project root. */
export interface BundleFile { path: string; content: string }

/** The result: the files and what was left out (one line each, for the report). */
export interface BuiltBundle { files: BundleFile[]; skipped: string[] }

type Obj = KubeObjectLike & { kind: string; apiVersion: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };
type Rule = Record<string, unknown>;
interface Subject { kind?: string; name?: string; namespace?: string }
interface Binding extends Obj { roleRef?: { kind?: string; name?: string }; subjects?: Subject[] }
interface CrdSchema { description?: string; properties?: Record<string, { description?: string; type?: string }> }
interface Crd extends Obj { spec: { group: string; names: { kind: string; plural: string }; versions: { name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: CrdSchema & { properties?: Record<string, CrdSchema> } } }[]; conversion?: { strategy?: string; webhook?: { clientConfig?: { service?: { name?: string; path?: string } } } } } }

/** Kinds OLM installs from a bundle besides the CSV and CRDs (OLM's supported list). */
const CARRIED = new Set(["Secret", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "ServiceAccount", "Service", "Role", "RoleBinding", "PrometheusRule", "ServiceMonitor", "PodDisruptionBudget", "PriorityClass", "VerticalPodAutoscaler", "ConsoleYAMLSample", "ConsoleQuickStart", "ConsoleCLIDownload", "ConsoleLink"]);
/** Replaced by OLM itself: it creates the namespace, the webhook Service and the serving certificates. */
const REPLACED = new Set(["Namespace", "Certificate", "Issuer", "ClusterIssuer"]);

const group = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");
const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const yamlFile = (o: unknown): string => toYamlDocument(o).replace(/^---\n/, "");

function descriptors(schema: CrdSchema | undefined, status: boolean): Descriptor[] {
  return Object.entries(schema?.properties ?? {}).map(([name, p]) => ({
    path: name,
    displayName: displayName(name),
    ...(p.description ? { description: p.description } : {}),
    ...(status && name === "conditions" ? { "x-descriptors": ["urn:alm:descriptor:io.kubernetes.conditions"] } : {}),
  }));
}

/** The owned entries for the CRDs: one per served version, descriptions and descriptors from the schema's docs (the types' JSDoc). */
export function ownedCrds(crds: readonly object[]): OwnedCrd[] {
  const out: OwnedCrd[] = [];
  for (const c of crds as readonly Crd[]) {
    for (const v of c.spec.versions.filter((x) => x.served !== false)) {
      const schema = v.schema?.openAPIV3Schema;
      const spec = descriptors(schema?.properties?.["spec"], false);
      const status = descriptors(schema?.properties?.["status"], true);
      out.push({
        name: c.metadata.name, version: v.name, kind: c.spec.names.kind, displayName: displayName(c.spec.names.kind),
        ...(schema?.description ? { description: schema.description } : {}),
        ...(spec.length ? { specDescriptors: spec } : {}),
        ...(status.length ? { statusDescriptors: status } : {}),
      });
    }
  }
  return out.sort((a, b) => byName(a, b) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/** The file name operator-sdk gives a bundle object: `<name>_<group>_<version>_<kind>.yaml`. */
function objectFile(o: Obj): string {
  const [g, v] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return `${[o.metadata.name, g, v].filter(Boolean).join("_")}_${o.kind.toLowerCase()}.yaml`;
}

function withoutNamespace<T extends Obj>(o: T): T {
  const c = structuredClone(o);
  delete c.metadata.namespace;
  return c;
}

interface PodSpec { serviceAccountName?: string; volumes?: { name: string; secret?: { secretName?: string } }[]; containers: { args?: string[]; volumeMounts?: { name: string; mountPath?: string }[] }[] }

/**
 * The Deployment as the CSV carries it: the volumes fed by cert-manager Secrets (OLM mounts its own
 * webhook serving certificate at the same path) and `--metrics-cert-path` (the manager then serves
 * metrics with a self-signed certificate, as without cert-manager) are dropped.
 */
function csvDeployment(d: Obj, certSecrets: ReadonlySet<string>): { name: string; label?: Record<string, string>; spec: unknown } {
  const spec = structuredClone(d["spec"]) as { template: { spec: PodSpec } };
  const pod = spec.template.spec;
  const dropped = new Set((pod.volumes ?? []).filter((v) => v.secret?.secretName && certSecrets.has(v.secret.secretName)).map((v) => v.name));
  if (dropped.size) {
    pod.volumes = pod.volumes!.filter((v) => !dropped.has(v.name));
    if (!pod.volumes.length) delete pod.volumes;
    for (const c of pod.containers) {
      if (c.volumeMounts) { c.volumeMounts = c.volumeMounts.filter((m) => !dropped.has(m.name)); if (!c.volumeMounts.length) delete c.volumeMounts; }
      if (c.args) c.args = c.args.filter((a) => !a.startsWith("--metrics-cert-path"));
    }
  }
  return { name: d.metadata.name, ...(d.metadata.labels ? { label: d.metadata.labels } : {}), spec };
}

/** Whether a CRD converts through a webhook (OLM then supports only the AllNamespaces install mode). */
export function hasConversionWebhook(crds: readonly object[]): boolean {
  return (crds as readonly Crd[]).some((c) => c.spec?.conversion?.strategy === "Webhook");
}

/** Builds the bundle from the rendered objects of config/manifests. */
export function buildBundle(rendered: readonly KubeObjectLike[], o: BundleOptions): BuiltBundle {
  const objs = rendered.filter((x): x is Obj => typeof x.kind === "string" && typeof x.apiVersion === "string" && typeof x.metadata?.name === "string");
  const base = objs.find((x) => x.kind === "ClusterServiceVersion");
  if (!base) throw new UserError("no-base-csv", "config/manifests renders no ClusterServiceVersion", { location: { file: "config/manifests/kustomization.yaml" }, hint: "list the base CSV under bases/ in its resources" });
  const crds = objs.filter((x): x is Crd => x.kind === "CustomResourceDefinition");
  if (crds.length === 0) throw new UserError("no-crds", "config/manifests renders no CustomResourceDefinition", { hint: "run tsop manifests first (and create api for a kind of your own)" });
  const deployments = objs.filter((x) => x.kind === "Deployment");
  if (deployments.length === 0) throw new UserError("no-manager", "config/manifests renders no manager Deployment", { location: { file: "config/default/kustomization.yaml" }, hint: "restore ../manager in its resources (tsop init writes it)" });

  const crdKinds = new Set(crds.map((c) => `${c.spec.group}/${c.spec.names.kind}`));
  const samples = objs.filter((x) => crdKinds.has(`${group(x.apiVersion)}/${x.kind}`));
  const scorecard = objs.find((x) => x.kind === "Configuration" && group(x.apiVersion) === "scorecard.operatorframework.io");
  const certSecrets = new Set(objs.filter((x) => x.kind === "Certificate").map((x) => (x["spec"] as { secretName?: string } | undefined)?.secretName).filter((s): s is string => !!s));

  // RBAC bound to the managers' service accounts goes into the install strategy.
  const accounts = new Set(deployments.map((d) => ((d["spec"] as { template: { spec: PodSpec } }).template.spec.serviceAccountName ?? "default")));
  const roles = new Map(objs.filter((x) => x.kind === "Role" || x.kind === "ClusterRole").map((r) => [`${r.kind}/${r.metadata.name}`, r]));
  const permissions = new Map<string, Rule[]>();
  const clusterPermissions = new Map<string, Rule[]>();
  const consumed = new Set<Obj>();
  for (const b of objs.filter((x): x is Binding => x.kind === "RoleBinding" || x.kind === "ClusterRoleBinding")) {
    const sa = (b.subjects ?? []).find((s) => s.kind === "ServiceAccount" && s.name !== undefined && accounts.has(s.name));
    const role = roles.get(`${b.roleRef?.kind}/${b.roleRef?.name}`);
    if (!sa?.name || !role) continue;
    const into = b.kind === "ClusterRoleBinding" ? clusterPermissions : permissions;
    into.set(sa.name, [...(into.get(sa.name) ?? []), ...((role["rules"] as Rule[] | undefined) ?? [])]);
    consumed.add(b).add(role);
  }
  for (const x of objs) if (x.kind === "ServiceAccount" && accounts.has(x.metadata.name)) consumed.add(x);
  const perms = (m: Map<string, Rule[]>): { serviceAccountName: string; rules: Rule[] }[] => [...m].map(([serviceAccountName, rules]) => ({ serviceAccountName, rules })).sort((a, b) => (a.serviceAccountName < b.serviceAccountName ? -1 : 1));

  // Webhooks: OLM creates the configurations, the Service and the certificates from these definitions.
  const webhookService = new Map(objs.filter((x) => x.kind === "Service").map((s) => [s.metadata.name, s]));
  const webhookdefinitions: Record<string, unknown>[] = [];
  const deploymentName = deployments[0]!.metadata.name;
  for (const cfg of objs.filter((x) => x.kind === "MutatingWebhookConfiguration" || x.kind === "ValidatingWebhookConfiguration")) {
    consumed.add(cfg);
    for (const w of (cfg["webhooks"] as Record<string, unknown>[] | undefined) ?? []) {
      const svc = (w["clientConfig"] as { service?: { name?: string; path?: string; port?: number } } | undefined)?.service;
      const service = svc?.name ? webhookService.get(svc.name) : undefined;
      if (service) consumed.add(service);
      const port = ((service?.["spec"] as { ports?: { port?: number; targetPort?: number | string }[] } | undefined)?.ports ?? [])[0];
      webhookdefinitions.push({
        type: cfg.kind === "MutatingWebhookConfiguration" ? "MutatingAdmissionWebhook" : "ValidatingAdmissionWebhook",
        generateName: w["name"], deploymentName,
        containerPort: svc?.port ?? port?.port ?? 443, ...(port?.targetPort !== undefined ? { targetPort: port.targetPort } : {}),
        ...(svc?.path ? { webhookPath: svc.path } : {}),
        ...Object.fromEntries(["admissionReviewVersions", "failurePolicy", "matchPolicy", "objectSelector", "reinvocationPolicy", "rules", "sideEffects", "timeoutSeconds"].filter((k) => w[k] !== undefined).map((k) => [k, w[k]])),
      });
    }
  }
  const conversion = crds.filter((c) => c.spec.conversion?.strategy === "Webhook");
  if (conversion.length) {
    const svc = webhookService.get(conversion[0]!.spec.conversion?.webhook?.clientConfig?.service?.name ?? "");
    if (svc) consumed.add(svc);
    const port = ((svc?.["spec"] as { ports?: { port?: number; targetPort?: number | string }[] } | undefined)?.ports ?? [])[0];
    webhookdefinitions.push({
      type: "ConversionWebhook", generateName: `c${conversion[0]!.spec.names.plural}.${conversion[0]!.spec.group}`, deploymentName,
      containerPort: port?.port ?? 443, ...(port?.targetPort !== undefined ? { targetPort: port.targetPort } : {}),
      webhookPath: conversion[0]!.spec.conversion?.webhook?.clientConfig?.service?.path ?? "/convert",
      conversionCRDs: conversion.map((c) => c.metadata.name).sort(), admissionReviewVersions: ["v1"], sideEffects: "None",
    });
  }

  const baseSpec = base["spec"] as Record<string, unknown>;
  const ownedNames = new Set(crds.map((c) => c.metadata.name));
  const owned = ((baseSpec["customresourcedefinitions"] as { owned?: OwnedCrd[] } | undefined)?.owned ?? []).filter((e) => ownedNames.has(e.name));
  const almExamples = JSON.stringify(samples.map((s) => withoutNamespace(s)), null, 2);
  const csv = {
    apiVersion: base.apiVersion,
    kind: "ClusterServiceVersion",
    metadata: {
      name: `${o.packageName}.v${o.version}`,
      annotations: { ...base.metadata.annotations, "alm-examples": almExamples, "operators.operatorframework.io/project_layout": o.layout },
      ...(base.metadata.labels ? { labels: base.metadata.labels } : {}),
    },
    spec: {
      ...baseSpec,
      customresourcedefinitions: { ...(baseSpec["customresourcedefinitions"] as object | undefined), owned },
      install: {
        strategy: "deployment",
        spec: {
          deployments: deployments.map((d) => csvDeployment(d, certSecrets)).sort(byName),
          ...(permissions.size ? { permissions: perms(permissions) } : {}),
          ...(clusterPermissions.size ? { clusterPermissions: perms(clusterPermissions) } : {}),
        },
      },
      ...(webhookdefinitions.length ? { webhookdefinitions } : {}),
      version: o.version,
    },
  };

  const files: BundleFile[] = [{ path: `${BUNDLE_DIR}/manifests/${o.packageName}.clusterserviceversion.yaml`, content: yamlFile(csv) }];
  for (const c of crds) {
    const crd = withoutNamespace(c);
    // cert-manager's CA injection has no cert-manager to act on under OLM, which injects its own.
    if (crd.metadata.annotations) {
      delete crd.metadata.annotations["cert-manager.io/inject-ca-from"];
      if (!Object.keys(crd.metadata.annotations).length) delete crd.metadata.annotations;
    }
    files.push({ path: `${BUNDLE_DIR}/manifests/${c.spec.group}_${c.spec.names.plural}.yaml`, content: yamlFile(crd) });
  }
  const skipped: string[] = [];
  for (const x of objs) {
    if (x === base || x === scorecard || consumed.has(x) || x.kind === "Deployment" || x.kind === "CustomResourceDefinition" || samples.includes(x)) continue;
    if (REPLACED.has(x.kind)) continue;
    if (!CARRIED.has(x.kind)) { skipped.push(`${x.kind} ${x.metadata.name} (OLM bundles cannot carry this kind)`); continue; }
    files.push({ path: `${BUNDLE_DIR}/manifests/${objectFile(x)}`, content: yamlFile(withoutNamespace(x)) });
  }
  files.push({ path: `${BUNDLE_DIR}/metadata/annotations.yaml`, content: annotationsYaml(o, !!scorecard) });
  if (scorecard) files.push({ path: `${BUNDLE_DIR}/tests/scorecard/config.yaml`, content: yamlFile(scorecard) });
  files.push({ path: "bundle.Dockerfile", content: bundleDockerfile(o, !!scorecard) });
  // The project's .dockerignore admits only what the operator image needs; BuildKit (and podman)
  // read <Dockerfile>.dockerignore instead when it exists, so the bundle image gets bundle/.
  files.push({ path: "bundle.Dockerfile.dockerignore", content: "# The build context of bundle.Dockerfile: only the bundle.\n*\n!bundle/\n" });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

/** The bundle's annotations (operator-registry reads them from the image labels and this file). */
export function bundleAnnotations(o: BundleOptions, scorecard: boolean): [string, string][] {
  return [
    ["operators.operatorframework.io.bundle.mediatype.v1", "registry+v1"],
    ["operators.operatorframework.io.bundle.manifests.v1", "manifests/"],
    ["operators.operatorframework.io.bundle.metadata.v1", "metadata/"],
    ["operators.operatorframework.io.bundle.package.v1", o.packageName],
    ["operators.operatorframework.io.bundle.channels.v1", o.channels.join(",")],
    ...(o.defaultChannel ? [["operators.operatorframework.io.bundle.channel.default.v1", o.defaultChannel] as [string, string]] : []),
    ...(scorecard ? [["operators.operatorframework.io.test.mediatype.v1", "scorecard+v1"], ["operators.operatorframework.io.test.config.v1", "tests/scorecard/"]] as [string, string][] : []),
  ];
}

function annotationsYaml(o: BundleOptions, scorecard: boolean): string {
  return `# The bundle's annotations; bundle.Dockerfile carries the same as image labels.\n${stringify({ annotations: Object.fromEntries(bundleAnnotations(o, scorecard)) }, { lineWidth: 0 })}`;
}

function bundleDockerfile(o: BundleOptions, scorecard: boolean): string {
  const labels = bundleAnnotations(o, scorecard).map(([k, v]) => `LABEL ${k}=${v}`);
  return [
    "# The OLM bundle image (`tsop bundle` writes it): docker build -f bundle.Dockerfile -t <bundle-image> .",
    "FROM scratch",
    "",
    ...labels,
    "",
    "COPY bundle/manifests /manifests/",
    "COPY bundle/metadata /metadata/",
    ...(scorecard ? ["COPY bundle/tests/scorecard /tests/scorecard/"] : []),
    "",
  ].join("\n");
}
