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
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate", "bind", "escalate", "use", "approve", "sign", "*"];
const CLASS_AFTER = /^\s*(@[\w.]+(\([^)]*\))?\s*)*(export\s+)?(default\s+)?(abstract\s+)?class\s/;

/** Reads the `@rbac` tags from the JSDoc of classes in one controller file. */
export function readRbacTags(file: string, text: string, diags: Diagnostics): RbacTag[] {
  const out: RbacTag[] = [];
  const re = /\/\*\*[\s\S]*?\*\//g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!CLASS_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 400))) continue;
    for (const t of parseJsDoc(m[0], m.index).tags) {
      const at = { file, text, pos: t.valuePos };
      if (t.name !== "rbac") {
        // Other controller tags are read elsewhere; a near miss of one is an error, anything else is prose.
        const known = tagsAllowedAt("controller");
        const g = known.includes(t.name) ? undefined : known.find((k) => k.toLowerCase() === t.name.toLowerCase()) ?? didYouMean(t.name, known);
        if (g !== undefined) diags.error("unknown-tag", `unknown tag @${t.name}`, { file, text, pos: t.pos }, `did you mean @${g}?`);
        continue;
      }
      const a = parseArgs(t.value);
      if (a.error) { diags.error("rbac", `@rbac: ${a.error}`, at, "write @rbac groups=apps resources=deployments verbs=get;list;watch"); continue; }
      const unknown = [...a.args.keys()].find((k) => !ARGS.includes(k));
      if (unknown) { const g = didYouMean(unknown, ARGS); diags.error("rbac", `@rbac: unknown argument ${unknown}`, { ...at, pos: t.valuePos + (a.offsets.get(unknown) ?? 0) }, g ? `did you mean ${g}?` : `arguments: ${ARGS.join(", ")}`); continue; }
      const list = (k: string): string[] | undefined => {
        const v = a.args.get(k);
        if (v === undefined) return undefined;
        return (v === true ? "" : v).split(/[;,]/).map((s) => s.trim());
      };
      const verbs = list("verbs")?.filter(Boolean);
      if (!verbs?.length) { diags.error("rbac", "@rbac needs verbs=...", at, "e.g. verbs=get;list;watch"); continue; }
      const bad = verbs.find((v) => !VERBS.includes(v) && didYouMean(v, VERBS));
      if (bad) { diags.error("rbac", `@rbac: unknown verb ${bad}`, at, `did you mean ${didYouMean(bad, VERBS)}?`); continue; }
      const groups = list("groups")?.map((g) => (g === "core" ? "" : g));
      const resources = list("resources")?.filter(Boolean);
      const urls = list("urls")?.filter(Boolean);
      if (!resources?.length && !urls?.length) { diags.error("rbac", "@rbac needs resources=... or urls=...", at); continue; }
      if (resources?.length && !groups) { diags.error("rbac", "@rbac with resources needs groups=... (\"\" or core for the core group)", at); continue; }
      const rule: PolicyRule = { verbs };
      if (groups && resources?.length) rule.apiGroups = groups;
      if (resources?.length) rule.resources = resources;
      const names = list("resourceNames")?.filter(Boolean);
      if (names?.length) rule.resourceNames = names;
      if (urls?.length) rule.nonResourceURLs = urls;
      const ns = a.args.get("namespace");
      const roleName = a.args.get("roleName");
      if (roleName !== undefined && (typeof roleName !== "string" || roleName.length > 253 || !DNS1123_SUBDOMAIN.test(roleName))) {
        diags.error("rbac", `@rbac: roleName ${roleName === true ? "needs a value" : `"${roleName}" is not a valid role name`}`, { ...at, pos: t.valuePos + (a.offsets.get("roleName") ?? 0) }, "use lower-case letters, digits, - and ., e.g. roleName=deployment-reader");
        continue;
      }
      out.push({ namespace: typeof ns === "string" ? ns : "", ...(typeof roleName === "string" ? { roleName } : {}), rule });
    }
  }
  return out;
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
