/**
 * What `tsop bundle` scaffolds once under config/, as operator-sdk does: config/manifests (a base
 * ClusterServiceVersion the user edits — descriptions, icon, links, maintainers, install modes,
 * descriptors — plus the kustomization that puts it with config/default, the samples and the
 * scorecard config) and config/scorecard (the basic and olm test suites). Later runs keep these
 * files; only the base CSV's owned-CRD list is updated (entries added for new CRD versions, dropped
 * for removed ones, the user's entries left as they are).
 * @module
 */
import { isMap, isSeq, parseDocument, stringify, type YAMLMap } from "yaml";
import { UserError } from "../errors.js";
import type { ProjectConfig } from "../project/model.js";

/** The scorecard test image (operator-sdk's release the tests come from). */
export const SCORECARD_IMAGE = "quay.io/operator-framework/scorecard-test:v1.42.0";

/** One planned scaffold file, relative to the project root. */
export interface ScaffoldFile { path: string; content: string }

/** An entry of spec.customresourcedefinitions.owned. */
export interface OwnedCrd {
  name: string;
  version: string;
  kind: string;
  displayName: string;
  description?: string;
  specDescriptors?: Descriptor[];
  statusDescriptors?: Descriptor[];
}

/** A spec or status descriptor. */
export interface Descriptor { path: string; displayName: string; description?: string; "x-descriptors"?: string[] }

/** The base CSV's path for a project. */
export const baseCsvPath = (projectName: string): string => `config/manifests/bases/${projectName}.clusterserviceversion.yaml`;

/** `memcached-operator` → `Memcached Operator`; `MemcachedSpec` → `Memcached Spec`. */
export function displayName(s: string): string {
  return s.replace(/[-_.]+/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").split(" ").filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

/** The base CSV a new project starts with; `owned` from the CRDs. */
function baseCsv(project: ProjectConfig, owned: readonly OwnedCrd[], minKubeVersion: string, conversion: boolean): string {
  const name = project.projectName;
  const header = [
    "# The base of the ClusterServiceVersion `tsop bundle` writes to bundle/manifests. Edit it: your",
    "# description, icon, keywords, links, maintainers, provider, install modes, minKubeVersion and the",
    "# owned CRDs' display names and descriptors are kept. tsop bundle fills in the rest from config/",
    "# (install strategy, permissions, webhook definitions, version, alm-examples) and adds owned entries",
    "# for new CRD versions.",
    "",
  ].join("\n");
  const body = {
    apiVersion: "operators.coreos.com/v1alpha1",
    kind: "ClusterServiceVersion",
    metadata: { name: `${name}.v0.0.0`, namespace: "placeholder", annotations: { "alm-examples": "[]", capabilities: "Basic Install" } },
    spec: {
      displayName: displayName(name),
      // TODO(user) placeholders: operatorhub's validator (tsop bundle validate --select-optional operatorhub) flags them.
      description: `${displayName(name)} manages its custom resources on Kubernetes. TODO(user): describe what it does.`,
      keywords: [name],
      links: [{ name: displayName(name), url: `https://${project.repo || `${name}.${project.domain || "example.com"}`}` }],
      maintainers: [{ name: "TODO(user)", email: "maintainer@example.com" }],
      provider: { name: "TODO(user)" },
      maturity: "alpha",
      minKubeVersion,
      // OLM runs conversion webhooks only for operators installed in AllNamespaces mode.
      installModes: [
        { type: "OwnNamespace", supported: !conversion },
        { type: "SingleNamespace", supported: !conversion },
        { type: "MultiNamespace", supported: false },
        { type: "AllNamespaces", supported: conversion || !project.namespaced },
      ],
      install: { strategy: "", spec: { deployments: null } },
      apiservicedefinitions: {},
      customresourcedefinitions: { owned: owned.map((o) => ({ ...o })) },
      version: "0.0.0",
    },
  };
  return header + stringify(body, { lineWidth: 0 });
}

/** The base CSV with its owned list brought up to date (see the module comment); the text itself when nothing changes. */
export function mergeBaseCsv(path: string, text: string, owned: readonly OwnedCrd[]): string {
  const doc = parseDocument(text);
  if (doc.errors[0] || !isMap(doc.contents) || doc.get("kind") !== "ClusterServiceVersion") {
    throw new UserError("bad-base-csv", "is not a ClusterServiceVersion in YAML", { location: { file: path }, hint: "fix it, or delete it to have tsop bundle write a new one" });
  }
  let list = doc.getIn(["spec", "customresourcedefinitions", "owned"], true);
  if (!isSeq(list)) {
    doc.setIn(["spec", "customresourcedefinitions", "owned"], doc.createNode([]));
    list = doc.getIn(["spec", "customresourcedefinitions", "owned"], true);
  }
  if (!isSeq(list)) throw new UserError("bad-base-csv", "spec.customresourcedefinitions is not a mapping", { location: { file: path }, hint: "fix it, or delete the file to have tsop bundle write a new one" });
  const key = (name: unknown, version: unknown): string => `${String(name)}/${String(version)}`;
  const wanted = new Set(owned.map((o) => key(o.name, o.version)));
  const before = doc.toString({ lineWidth: 0 });
  const have = new Set<string>();
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i];
    const k = isMap(item) ? key((item as YAMLMap).get("name"), (item as YAMLMap).get("version")) : "";
    if (!wanted.has(k)) list.items.splice(i, 1);
    else have.add(k);
  }
  for (const o of owned) if (!have.has(key(o.name, o.version))) list.items.push(doc.createNode({ ...o }));
  const after = doc.toString({ lineWidth: 0 });
  return after === before ? text : after;
}

function scorecardTest(suite: string, test: string): Record<string, unknown> {
  return { entrypoint: ["scorecard-test", test], image: SCORECARD_IMAGE, labels: { suite, test: `${test}-test` } };
}

/** A JSON patch adding tests to the first stage of the scorecard Configuration. */
function scorecardPatch(suite: string, tests: readonly string[]): string {
  return stringify(tests.map((t) => ({ op: "add", path: "/stages/0/tests/-", value: scorecardTest(suite, t) })), { lineWidth: 0 });
}

const patchTarget = { group: "scorecard.operatorframework.io", version: "v1alpha3", kind: "Configuration", name: "config" };

/**
 * The scaffold files, each with its content for a project that has none of them yet; `existingBase`
 * (the current base CSV text) is merged instead of replaced. With a conversion webhook the new base
 * supports only the AllNamespaces install mode.
 */
export function scaffoldFiles(project: ProjectConfig, crds: { owned: readonly OwnedCrd[]; conversion: boolean }, minKubeVersion: string, existingBase: string | undefined): ScaffoldFile[] {
  const base = baseCsvPath(project.projectName);
  return [
    { path: base, content: existingBase === undefined ? baseCsv(project, crds.owned, minKubeVersion, crds.conversion) : mergeBaseCsv(base, existingBase, crds.owned) },
    {
      path: "config/manifests/kustomization.yaml",
      content: [
        "# What `tsop bundle` renders into bundle/manifests: the base CSV, the operator (config/default),",
        "# the samples (alm-examples) and the scorecard config (bundle/tests/scorecard).",
        "resources:",
        `- bases/${project.projectName}.clusterserviceversion.yaml`,
        "- ../default",
        "- ../samples",
        "- ../scorecard",
        "",
      ].join("\n"),
    },
    {
      path: "config/scorecard/bases/config.yaml",
      content: stringify({ apiVersion: "scorecard.operatorframework.io/v1alpha3", kind: "Configuration", metadata: { name: "config" }, stages: [{ parallel: true, tests: [] }] }, { lineWidth: 0 }),
    },
    { path: "config/scorecard/patches/basic.config.yaml", content: scorecardPatch("basic", ["basic-check-spec"]) },
    {
      path: "config/scorecard/patches/olm.config.yaml",
      content: scorecardPatch("olm", ["olm-bundle-validation", "olm-crds-have-validation", "olm-crds-have-resources", "olm-spec-descriptors", "olm-status-descriptors"]),
    },
    {
      path: "config/scorecard/kustomization.yaml",
      content: [
        "# operator-sdk scorecard's test configuration (bundle/tests/scorecard/config.yaml once rendered).",
        stringify({
          apiVersion: "kustomize.config.k8s.io/v1beta1",
          kind: "Kustomization",
          resources: ["bases/config.yaml"],
          patches: [{ path: "patches/basic.config.yaml", target: patchTarget }, { path: "patches/olm.config.yaml", target: patchTarget }],
        }, { lineWidth: 0 }),
      ].join("\n"),
    },
  ];
}
