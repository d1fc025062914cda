/** Readers of the resource-level tags' values into a CRD's settings (the tag table points at them). @module */
import { didYouMean } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { parseArgs } from "./tag-values.js";

/** A printer column (`additionalPrinterColumns` entry). */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

/** Scale subresource paths. */
export interface ScaleSubresource { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }

/** What one version's resource declaration says about the CRD. */
export interface ResourceTags {
  scope?: "Namespaced" | "Cluster";
  plural?: string;
  singular?: string;
  shortNames: string[];
  categories: string[];
  status: boolean;
  scale?: ScaleSubresource;
  printColumns: PrinterColumn[];
  storageVersion: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  unserved: boolean;
  selectableFields: string[];
  annotations: Record<string, string>;
  labels: Record<string, string>;
  /** Left out of the CRD (`@skipVersion`). */
  skip: boolean;
  /** Where each tag was, for cross-version errors. */
  positions: Map<string, RawTag>;
}

const COLUMN_TYPES = ["integer", "number", "string", "boolean", "date"];
const COLUMN_FORMATS = ["int32", "int64", "float", "double", "byte", "date", "date-time", "password"];
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** What a reader needs of its tag: the tag and a way to report a bad value. */
export interface ReaderContext {
  tag: RawTag;
  bad(message: string, hint?: string): void;
}

/** A fresh, empty set of resource settings. */
export function emptyResourceTags(): ResourceTags {
  return { shortNames: [], categories: [], status: false, printColumns: [], storageVersion: false, deprecated: false, unserved: false, selectableFields: [], annotations: {}, labels: {}, skip: false, positions: new Map() };
}

type Reader = (value: string, r: ResourceTags, ctx: ReaderContext) => void;

const dnsLabel = (list: (r: ResourceTags) => string[]): Reader => (v, r, ctx) => {
  if (DNS1035.test(v)) list(r).push(v);
  else ctx.bad(`@${ctx.tag.name}: "${v}" is not a lower-case DNS label`, "use lower-case letters, digits and -");
};
const name = (key: "plural" | "singular"): Reader => (v, r, ctx) => {
  if (DNS1035.test(v)) r[key] = v; else ctx.bad(`@${ctx.tag.name}: "${v}" is not a lower-case DNS label`, "use lower-case letters, digits and -");
};

/** The reader of each resource-level tag, by tag name. */
export const RESOURCE_READERS: Readonly<Record<string, Reader>> = {
  scope(v, r, ctx) {
    if (v === "Namespaced" || v === "Cluster") { r.scope = v; return; }
    const g = didYouMean(v, ["Namespaced", "Cluster"]);
    ctx.bad(`@scope: must be Namespaced or Cluster, got "${v}"`, g ? `did you mean ${g}?` : undefined);
  },
  plural: name("plural"),
  singular: name("singular"),
  shortName: dnsLabel((r) => r.shortNames),
  category: dnsLabel((r) => r.categories),
  subresource: (v, r, ctx) => readSubresource(v, r, (m, h) => ctx.bad(`@subresource: ${m}`, h)),
  printColumn: (v, r, ctx) => readColumn(v, r, (m, h) => ctx.bad(`@printColumn: ${m}`, h)),
  storageVersion(_v, r) { r.storageVersion = true; },
  unservedVersion(_v, r) { r.unserved = true; },
  deprecatedVersion(v, r, ctx) {
    r.deprecated = true;
    if (!v) return;
    const a = parseArgs(v);
    const w = a.args.get("warning");
    if (a.error || typeof w !== "string" || a.args.size !== 1) { ctx.bad('@deprecatedVersion: expected warning="..."'); return; }
    if (w.length > 256) { ctx.bad("@deprecatedVersion: the warning must be at most 256 characters"); return; }
    r.deprecationWarning = w;
  },
  selectableField(v, r, ctx) {
    const a = parseArgs(v);
    const p = a.args.get("jsonPath");
    if (a.error || typeof p !== "string") { ctx.bad('@selectableField: expected jsonPath=".spec.field"'); return; }
    if (!p.startsWith(".") || p.startsWith(".metadata")) { ctx.bad(`@selectableField: jsonPath "${p}" must start with . and not be under metadata`); return; }
    r.selectableFields.push(p);
  },
  skipVersion(_v, r) { r.skip = true; },
  label(v, r, ctx) {
    const m = /^([^=\s]+)=(.*)$/s.exec(v);
    if (!m) { ctx.bad(`@label: "${v}" is not key=value`); return; }
    const [key, value] = [m[1]!, m[2]!.trim()];
    const bad = labelProblem(key, value);
    if (bad) { ctx.bad(`@label: ${bad}`, "label keys are [prefix/]name, names and values at most 63 characters of [A-Za-z0-9_.-] starting and ending alphanumeric"); return; }
    r.labels[key] = value;
  },
  annotation(v, r, ctx) {
    const m = /^([^=\s]+)=(.*)$/s.exec(v);
    if (!m) { ctx.bad(`@annotation: "${v}" is not key=value`); return; }
    r.annotations[m[1]!] = m[2]!.trim();
  },
};

function readSubresource(value: string, r: ResourceTags, bad: (m: string, h?: string) => void): void {
  const [kind, ...rest] = value.split(/\s+/);
  if (kind === "status" && rest.length === 0) { r.status = true; return; }
  if (kind !== "scale") { bad(`expected status or scale, got "${value}"`); return; }
  const a = parseArgs(rest.join(" "));
  const spec = a.args.get("specpath");
  const status = a.args.get("statuspath");
  const sel = a.args.get("selectorpath");
  const unknown = [...a.args.keys()].filter((k) => !["specpath", "statuspath", "selectorpath"].includes(k));
  if (a.error || unknown.length) { bad(a.error ?? `unknown argument ${unknown[0]}`, "arguments: specpath= statuspath= [selectorpath=]"); return; }
  if (typeof spec !== "string" || !spec.startsWith(".spec.")) { bad("specpath must be a path under .spec."); return; }
  if (typeof status !== "string" || !status.startsWith(".status.")) { bad("statuspath must be a path under .status."); return; }
  if (sel !== undefined && (typeof sel !== "string" || !/^\.(spec|status)\./.test(sel))) { bad("selectorpath must be under .spec. or .status."); return; }
  r.scale = { specReplicasPath: spec, statusReplicasPath: status, ...(typeof sel === "string" ? { labelSelectorPath: sel } : {}) };
}

function readColumn(text: string, r: ResourceTags, bad: (m: string, h?: string) => void): void {
  const a = parseArgs(text);
  if (a.error) { bad(a.error); return; }
  const known = ["name", "type", "jsonPath", "description", "priority", "format"];
  for (const k of a.args.keys()) if (!known.includes(k)) { const g = didYouMean(k, known); bad(`unknown argument ${k}`, g ? `did you mean ${g}?` : undefined); return; }
  const name = a.args.get("name"), type = a.args.get("type"), jsonPath = a.args.get("jsonPath");
  if (typeof name !== "string" || typeof type !== "string" || typeof jsonPath !== "string") { bad("name=, type= and jsonPath= are required"); return; }
  if (!COLUMN_TYPES.includes(type)) { bad(`type must be one of ${COLUMN_TYPES.join(", ")}`); return; }
  if (!jsonPath.startsWith(".")) { bad(`jsonPath "${jsonPath}" must start with .`); return; }
  const col: PrinterColumn = { name, type, jsonPath };
  const d = a.args.get("description");
  if (typeof d === "string") col.description = d;
  const f = a.args.get("format");
  if (f !== undefined) { if (typeof f !== "string" || !COLUMN_FORMATS.includes(f)) { bad(`format must be one of ${COLUMN_FORMATS.join(", ")}`); return; } col.format = f; }
  const p = a.args.get("priority");
  if (p !== undefined) { const n = Number(p); if (typeof p !== "string" || !Number.isInteger(n) || n < 0) { bad("priority must be a non-negative integer"); return; } col.priority = n; }
  r.printColumns.push(col);
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** A lower-case DNS subdomain (label prefixes, role names). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What the apiserver says about a label key and value, or undefined when they are valid. */
function labelProblem(key: string, value: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return `the prefix of key "${key}" must be a lower-case DNS subdomain`;
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) return `key "${key}" is not a valid label key`;
  if (value.length > 63 || !LABEL_NAME.test(value)) return `value "${value}" of ${key} is not a valid label value`;
  return undefined;
}
