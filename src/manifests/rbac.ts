/** `@rbac` tags on controller classes -> config/rbac/role.yaml, merged the way controller-gen merges markers. @module */
import { didYouMean, type Diagnostics } from "../schema/diagnostics.js";
import { parseJsDoc } from "../schema/jsdoc.js";
import { parseArgs } from "../schema/tag-values.js";
import { tagsAllowedAt } from "../schema/tag-table.js";
import { DNS1123_SUBDOMAIN } from "../schema/resource-tags.js";

/** One policy rule. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** A parsed `@rbac` tag; `roleName` overrides the generator's role name for its rule. */
export interface RbacTag { namespace: string; roleName?: string; rule: PolicyRule }

const ARGS = ["groups", "resources", "verbs", "namespace", "resourceNames", "urls", "roleName"];
/** The verbs the apiserver's authorizers check on resources (the special ones on the kinds that use them). */
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate", "bind", "escalate", "use", "approve", "sign", "attest", "*"];
/** The verbs of non-resource requests: the lower-case HTTP method. */
const URL_VERBS = ["get", "post", "put", "patch", "delete", "head", "options", "*"];
/** The resource verb an HTTP method maps to, for "did you mean". */
const HTTP_TO_VERB: Readonly<Record<string, string>> = { post: "create", put: "update", head: "get", options: "get" };
const CLASS_AFTER = /^\s*(@[\w.]+(\([^)]*\))?\s*)*(export\s+)?(default\s+)?(abstract\s+)?class\s/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A resource as RBAC names it: `*`, a lower-case plural, optionally `/subresource` (`*` on either side). */
const RESOURCE = /^(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)(\/(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?))?$/;

/** A kind whose plural is known (the built-in kinds and the project's own), for the plural check. */
export interface KnownKind { group: string; kind: string; plural: string }

/** What the tags are checked against. */
export interface RbacContext {
  /** The project is `init --namespaced`: every role is a Role, which cannot hold nonResourceURLs. */
  namespaced?: boolean;
  kinds?: readonly KnownKind[];
}

/** Reads the `@rbac` tags from the JSDoc of classes in one controller file. */
export function readRbacTags(file: string, text: string, diags: Diagnostics, ctx: RbacContext = {}): RbacTag[] {
  const out: RbacTag[] = [];
  const re = /\/\*\*[\s\S]*?\*\//g;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    end = m.index + m[0].length;
    if (!CLASS_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 400))) {
      // A rule on a method or function would be dropped without a word: say where it belongs.
      const lost = parseJsDoc(m[0], m.index).tags.find((t) => t.name === "rbac");
      if (lost) diags.error("rbac", "@rbac is read only from the JSDoc of a controller class", { file, text, pos: lost.pos }, "move the tag into the comment right above the class declaration");
      continue;
    }
    for (const t of parseJsDoc(m[0], m.index).tags) {
      if (t.name !== "rbac") {
        // Other controller tags are read elsewhere; a near miss of one is an error, anything else is prose.
        const known = tagsAllowedAt("controller");
        const g = known.includes(t.name) ? undefined : known.find((k) => k.toLowerCase() === t.name.toLowerCase()) ?? didYouMean(t.name, known);
        if (g !== undefined) diags.error("unknown-tag", `unknown tag @${t.name}`, { file, text, pos: t.pos }, `did you mean @${g}?`);
        continue;
      }
      const tag = readRbacTag(t.value, ctx, (message, hint, offset = 0) => diags.error("rbac", message, { file, text, pos: t.valuePos + offset }, hint));
      if (tag) out.push(tag);
    }
  }
  const open = text.indexOf("/**", end);
  if (open >= 0 && /@rbac\b/.test(text.slice(open))) diags.error("rbac", "this JSDoc comment is never closed, so its @rbac tags would be lost", { file, text, pos: open }, "close it with */ before the class declaration");
  return out;
}

type Report = (message: string, hint: string | undefined, offset?: number) => void;

/** One `@rbac` tag's value as a rule, or undefined after reporting the first problem. */
function readRbacTag(value: string, ctx: RbacContext, report: Report): RbacTag | undefined {
  const a = parseArgs(value);
  if (a.error) { report(`@rbac: ${a.error}`, "write @rbac groups=apps resources=deployments verbs=get;list;watch"); return undefined; }
  const unknown = [...a.args.keys()].find((k) => !ARGS.includes(k));
  if (unknown) { const g = didYouMean(unknown, ARGS); report(`@rbac: unknown argument ${unknown}`, g ? `did you mean ${g}?` : `arguments: ${ARGS.join(", ")}`, a.offsets.get(unknown)); return undefined; }
  const at = (k: string): number => a.offsets.get(k) ?? 0;
  /** A list argument: undefined when absent; reported (and null) when given but empty. */
  const list = (k: string, emptyHint: string): string[] | undefined | null => {
    const v = a.args.get(k);
    if (v === undefined) return undefined;
    const items = (v === true ? "" : v).split(/[;,]/).map((s) => s.trim()).filter(Boolean);
    if (items.length === 0 && k !== "groups") { report(`@rbac: ${k}= is empty`, emptyHint, at(k)); return null; }
    return items;
  };
  const verbs = list("verbs", "e.g. verbs=get;list;watch");
  if (verbs === null) return undefined;
  if (!verbs) { report("@rbac needs verbs=...", "e.g. verbs=get;list;watch"); return undefined; }
  const rawGroups = a.args.get("groups");
  const groups = rawGroups === undefined ? undefined : (rawGroups === true ? "" : rawGroups).split(/[;,]/).map((s) => s.trim()).map((g) => (g === "core" ? "" : g));
  const resources = list("resources", "name the plural resources, e.g. resources=deployments");
  const urls = list("urls", "name the paths, e.g. urls=/metrics");
  const names = list("resourceNames", "name the objects, e.g. resourceNames=my-config, or drop resourceNames");
  if (resources === null || urls === null || names === null) return undefined;
  const ns = a.args.get("namespace");
  if (ns !== undefined && (typeof ns !== "string" || ns === "")) { report("@rbac: namespace= needs a value", "name the namespace, e.g. namespace=kube-system, or drop it for a cluster-wide rule", at("namespace")); return undefined; }
  if (typeof ns === "string" && (ns.length > 63 || !DNS1123_LABEL.test(ns))) {
    report(`@rbac: namespace "${ns}" is not a valid namespace name`, "a namespace is a DNS label: at most 63 lower-case letters, digits and -, starting and ending with a letter or digit", at("namespace"));
    return undefined;
  }
  if (urls) {
    if (resources || groups || names) {
      const k = resources ? "resources" : groups ? "groups" : "resourceNames";
      report(`@rbac: urls= cannot be combined with ${k}= in one rule`, "the apiserver refuses a rule for both resources and non-resource URLs; write two @rbac tags", at(k));
      return undefined;
    }
    if (ns !== undefined) { report("@rbac: urls= cannot be used with namespace=", "non-resource URLs are cluster-wide: a Role cannot hold them; drop namespace=", at("namespace")); return undefined; }
    if (ctx.namespaced) { report("@rbac: urls= in a namespaced project", "with init --namespaced every rule goes into a Role, which cannot hold non-resource URLs; drop the tag or grant it with a ClusterRole outside tsop", at("urls")); return undefined; }
    const bad = urls.find((u) => !u.startsWith("/") || u.slice(0, -1).includes("*"));
    if (bad) { report(`@rbac: url "${bad}" must be a path starting with /, with * only at the end`, "e.g. urls=/metrics or urls=/healthz/*", at("urls")); return undefined; }
    if (!verbCheck(verbs, URL_VERBS, "non-resource URLs", report, at("verbs"))) return undefined;
    const role = roleNameOf(a.args.get("roleName"), report, at("roleName"));
    return role && { namespace: "", ...role, rule: { nonResourceURLs: urls, verbs } };
  }
  if (!resources) { report("@rbac needs resources=... or urls=...", "e.g. resources=deployments, or urls=/metrics"); return undefined; }
  if (!groups) { report("@rbac with resources needs groups=... (\"\" or core for the core group)", "e.g. groups=apps, or groups=core for pods, services, configmaps", at("resources")); return undefined; }
  const badGroup = groups.find((g) => g !== "" && g !== "*" && (g.length > 253 || !DNS1123_SUBDOMAIN.test(g)));
  if (badGroup !== undefined) { report(`@rbac: group "${badGroup}" is not a valid API group`, "API groups are lower-case DNS names such as apps or cache.example.com; core (or \"\") is the core group", at("groups")); return undefined; }
  for (const r of resources) if (!resourceCheck(r, groups, ctx.kinds ?? [], report, at("resources"))) return undefined;
  if (!verbCheck(verbs, VERBS, "resources", report, at("verbs"))) return undefined;
  const role = roleNameOf(a.args.get("roleName"), report, at("roleName"));
  if (role === undefined) return undefined;
  const rule: PolicyRule = { verbs, apiGroups: groups, resources };
  if (names) rule.resourceNames = names;
  return { namespace: ns ?? "", ...role, rule };
}

/** Every verb is known for this kind of rule (reports the first unknown one). */
function verbCheck(verbs: string[], known: readonly string[], what: string, report: Report, offset: number): boolean {
  const bad = verbs.find((v) => !known.includes(v));
  if (bad === undefined) return true;
  const lower = bad.toLowerCase();
  const other = !known.includes(lower) && (VERBS.includes(lower) || URL_VERBS.includes(lower));
  const g = known.find((k) => k === lower) ?? (known === VERBS ? HTTP_TO_VERB[lower] : undefined) ?? (other ? undefined : didYouMean(bad, known));
  report(`@rbac: ${other ? `${bad} is not a verb of ${what}` : `unknown verb ${bad}`}`, g ? `did you mean ${g}?` : `verbs for ${what}: ${known.join(", ")}`, offset);
  return false;
}

/** A resource name is lower-case and, for a kind tsop knows in one of the groups, its plural. */
function resourceCheck(r: string, groups: string[], kinds: readonly KnownKind[], report: Report, offset: number): boolean {
  const [base = "", sub] = r.split("/", 2);
  const inGroups = kinds.filter((k) => groups.includes(k.group) || groups.includes("*"));
  const kind = inGroups.find((k) => k.kind.toLowerCase() === base.toLowerCase() && k.plural !== base.toLowerCase()) ?? inGroups.find((k) => k.plural === base.toLowerCase() && k.plural !== base);
  const fixed = kind ? `${kind.plural}${sub === undefined ? "" : `/${sub}`}` : r.toLowerCase();
  if (kind && base !== kind.plural) {
    report(`@rbac: resources=${r} matches nothing: RBAC names kind ${kind.kind} by its lower-case plural ${kind.plural}`, `write resources=${fixed}`, offset);
    return false;
  }
  if (!RESOURCE.test(r)) {
    report(`@rbac: resource "${r}" is not a lower-case resource name`, RESOURCE.test(fixed) ? `RBAC names resources by their lower-case plural: did you mean ${fixed}?` : "e.g. deployments, deployments/status or *", offset);
    return false;
  }
  return true;
}

/** `{ roleName }` when given and valid, `{}` when absent, undefined after reporting a bad one. */
function roleNameOf(v: string | true | undefined, report: Report, offset: number): { roleName?: string } | undefined {
  if (v === undefined) return {};
  if (typeof v === "string" && v.length <= 253 && DNS1123_SUBDOMAIN.test(v)) return { roleName: v };
  report(`@rbac: roleName ${v === true ? "needs a value" : `"${v}" is not a valid role name`}`, "use lower-case letters, digits, - and ., e.g. roleName=deployment-reader", offset);
  return undefined;
}
const norm = (xs: string[] | undefined): string[] | undefined => (xs ? [...new Set(xs)].sort() : undefined);
const key = (xs: string[] | undefined): string => (xs ?? []).join("&");

/** Normalises, merges and sorts rules like controller-gen (split per resource, four merge passes, `*` collapse). */
export function mergeRules(rules: PolicyRule[]): PolicyRule[] {
  let rs: PolicyRule[] = [];
  for (const r of rules) {
    const per = r.resources?.length ? r.resources.map((res) => ({ ...r, resources: [res] })) : [r];
    for (const p of per) {
      const n: PolicyRule = { verbs: norm(p.verbs)! };
      if (p.apiGroups) n.apiGroups = norm(p.apiGroups)!;
      if (p.resources) n.resources = norm(p.resources)!;
      if (p.resourceNames) n.resourceNames = norm(p.resourceNames)!;
      if (p.nonResourceURLs) n.nonResourceURLs = norm(p.nonResourceURLs)!;
      rs.push(n);
    }
  }
  type Field = "apiGroups" | "resources" | "resourceNames" | "nonResourceURLs" | "verbs";
  const pass = (mergeField: Field): void => {
    const others = (["apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"] as Field[]).filter((f) => f !== mergeField);
    const groups = new Map<string, PolicyRule>();
    for (const r of rs) {
      const k = others.map((f) => key(r[f])).join("|");
      const prev = groups.get(k);
      if (!prev) { groups.set(k, { ...r }); continue; }
      const merged = norm([...(prev[mergeField] ?? []), ...(r[mergeField] ?? [])])!;
      if (merged.length) prev[mergeField] = merged;
    }
    rs = [...groups.values()];
  };
  pass("verbs");
  pass("resources");
  pass("apiGroups");
  pass("nonResourceURLs");
  rs.sort((a, b) => {
    const ka = [key(a.apiGroups), key(a.resources), key(a.resourceNames), key(a.nonResourceURLs)].join(" + ");
    const kb = [key(b.apiGroups), key(b.resources), key(b.resourceNames), key(b.nonResourceURLs)].join(" + ");
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const r of rs) if (r.verbs.includes("*")) r.verbs = ["*"];
  return rs;
}

/** The role documents for all tags: a ClusterRole (or a Role when `namespaced`) plus a Role per explicit namespace. */
export function roleDocuments(tags: RbacTag[], opts: { roleName: string; namespaced: boolean }): Record<string, unknown>[] {
  // One role per (namespace, role name), sorted by namespace then name as controller-gen does; the
  // default role is always written, even without rules.
  const roles = new Map<string, { ns: string; name: string; rules: PolicyRule[] }>([["\0" + opts.roleName, { ns: "", name: opts.roleName, rules: [] }]]);
  for (const t of tags) {
    const name = t.roleName ?? opts.roleName;
    const k = `${t.namespace}\0${name}`;
    (roles.get(k) ?? roles.set(k, { ns: t.namespace, name, rules: [] }).get(k)!).rules.push(t.rule);
  }
  return [...roles.values()].sort((a, b) => (a.ns !== b.ns ? (a.ns < b.ns ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(({ ns, name, rules }) => {
    const cluster = ns === "" && !opts.namespaced;
    const metadata: Record<string, string> = { name };
    if (ns) metadata.namespace = ns;
    return { apiVersion: "rbac.authorization.k8s.io/v1", kind: cluster ? "ClusterRole" : "Role", metadata, rules: mergeRules(rules) };
  });
}
