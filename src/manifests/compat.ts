/**
 * Compatibility of CRDs between two releases (pure): every change of the new CRDs that breaks
 * objects already stored or clients written against the old ones. Each break has an id
 * (`<kind>:<crd>/<version>:<path>`) that `--accept` takes to let it through. @module
 */
import type { JSONSchemaProps } from "../schema/json-schema.js";

/** A CRD as plain data. */
export type Crd = Record<string, unknown>;

/** The kinds of breaking change. */
export type BreakKind =
  | "version-removed" | "version-unserved" | "storage-version" | "field-removed" | "type-changed"
  | "required-added" | "maximum-lowered" | "minimum-raised" | "enum-narrowed" | "pattern-added" | "format-changed"
  | "rule-added" | "scope-changed" | "list-type-changed";

/** One breaking change. */
export interface CompatBreak {
  kind: BreakKind;
  /** `<plural>.<group>` */
  crd: string;
  version: string;
  /** JSON path in the version's schema, e.g. `.spec.replicas`; empty for version-level changes. */
  path: string;
  /** What changed and why it breaks. */
  why: string;
  /** The id `--accept` takes. */
  id: string;
}

interface Version { name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: JSONSchemaProps } }

const nameOf = (c: Crd): string => String((c.metadata as { name?: string } | undefined)?.name ?? "");
const specOf = (c: Crd): { scope?: string; versions?: Version[] } => (c.spec ?? {}) as { scope?: string; versions?: Version[] };

/** Every breaking change from `previous` to `current`, minus the accepted ids. */
export function compareCrds(previous: Crd[], current: Crd[], accept: ReadonlySet<string> = new Set()): CompatBreak[] {
  const out: CompatBreak[] = [];
  const now = new Map(current.map((c) => [nameOf(c), c]));
  for (const old of previous) {
    const name = nameOf(old);
    const cur = now.get(name);
    const add = (kind: BreakKind, version: string, path: string, why: string): void => {
      out.push({ kind, crd: name, version, path, why, id: `${kind}:${name}/${version}${path ? `:${path}` : ""}` });
    };
    const oldVersions = specOf(old).versions ?? [];
    if (!cur) {
      for (const v of oldVersions.filter((x) => x.served !== false)) add("version-removed", v.name, "", "the CRD is gone; stored objects and clients of this version lose it");
      continue;
    }
    if (specOf(old).scope !== specOf(cur).scope) add("scope-changed", "*", "", `scope ${specOf(old).scope} became ${specOf(cur).scope}; stored objects cannot be read the new way`);
    const curVersions = new Map((specOf(cur).versions ?? []).map((v) => [v.name, v]));
    const oldStorage = oldVersions.find((v) => v.storage)?.name;
    const newStorage = [...curVersions.values()].find((v) => v.storage)?.name;
    if (oldStorage && newStorage && oldStorage !== newStorage && curVersions.get(oldStorage)?.served === false) {
      add("storage-version", oldStorage, "", `the storage version moved to ${newStorage} and ${oldStorage}, in which objects are stored, is no longer served`);
    }
    for (const v of oldVersions) {
      if (v.served === false) continue;
      const nv = curVersions.get(v.name);
      if (!nv) {
        add("version-removed", v.name, "", `served version ${v.name} was removed; clients of it fail${v.name === oldStorage ? " and objects stored in it cannot be read" : ""}`);
        continue;
      }
      if (nv.served === false) { add("version-unserved", v.name, "", `version ${v.name} is no longer served; its clients fail`); continue; }
      const a = v.schema?.openAPIV3Schema;
      const b = nv.schema?.openAPIV3Schema;
      if (a && b) compareSchema(a, b, "", (kind, path, why) => add(kind, v.name, path, why));
    }
  }
  return out.filter((b) => !accept.has(b.id) && !accept.has(b.kind));
}

type Report = (kind: BreakKind, path: string, why: string) => void;

function typeOf(s: JSONSchemaProps): string {
  if (s["x-kubernetes-int-or-string"]) return "int-or-string";
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.type) return "any";
  return s.type ?? "any";
}

function compareSchema(a: JSONSchemaProps, b: JSONSchemaProps, path: string, report: Report): void {
  const ta = typeOf(a);
  const tb = typeOf(b);
  // Widening to int-or-string or to free-form keeps every old value valid.
  if (ta !== tb && !(tb === "any") && !(tb === "int-or-string" && (ta === "integer" || ta === "string")) && !(ta === "integer" && tb === "number")) {
    report("type-changed", path, `type ${ta} became ${tb}; stored values and clients break`);
    return;
  }
  const lower = (k: "maximum" | "maxLength" | "maxItems" | "maxProperties"): void => {
    const x = a[k];
    const y = b[k];
    if (y !== undefined && (x === undefined || y < x)) report("maximum-lowered", path, `${k} ${x ?? "unset"} became ${y}; stored values above it fail validation on their next update`);
  };
  const raise = (k: "minimum" | "minLength" | "minItems" | "minProperties"): void => {
    const x = a[k];
    const y = b[k];
    if (y !== undefined && (x === undefined || y > x)) report("minimum-raised", path, `${k} ${x ?? "unset"} became ${y}; stored values below it fail validation on their next update`);
  };
  for (const k of ["maximum", "maxLength", "maxItems", "maxProperties"] as const) lower(k);
  for (const k of ["minimum", "minLength", "minItems", "minProperties"] as const) raise(k);
  if (b.enum) {
    const gone = a.enum ? a.enum.filter((v) => !b.enum!.some((w) => JSON.stringify(w) === JSON.stringify(v))) : ["(any value)"];
    if (gone.length) report("enum-narrowed", path, `allowed values lost ${gone.map((g) => JSON.stringify(g)).join(", ")}`);
  }
  if (b.pattern && b.pattern !== a.pattern) report("pattern-added", path, `pattern ${a.pattern ? `${JSON.stringify(a.pattern)} became` : "added:"} ${JSON.stringify(b.pattern)}; stored values may not match`);
  if (b.format && b.format !== a.format) report("format-changed", path, `format ${a.format ?? "unset"} became ${b.format}`);
  const oldRules = new Set((a["x-kubernetes-validations"] ?? []).map((r) => r.rule));
  for (const r of b["x-kubernetes-validations"] ?? []) {
    if (oldRules.has(r.rule) || /\boldSelf\b/.test(r.rule)) continue;
    report("rule-added", path, `new CEL rule "${r.rule}" applies to stored objects on their next update (make it a transition rule with oldSelf/optionalOldSelf, or rely on ratcheting only for unchanged fields)`);
  }
  if ((a["x-kubernetes-list-type"] ?? "atomic") !== (b["x-kubernetes-list-type"] ?? "atomic") && (a.type === "array")) {
    report("list-type-changed", path, `list type ${a["x-kubernetes-list-type"] ?? "atomic"} became ${b["x-kubernetes-list-type"] ?? "atomic"}; server-side apply merges change`);
  }
  const reqA = new Set(a.required ?? []);
  for (const k of b.required ?? []) {
    if (reqA.has(k)) continue;
    if (b.properties?.[k]?.default !== undefined) continue;
    report("required-added", `${path}.${k}`, `field ${k} became required without a default; stored objects without it fail validation and old clients cannot create`);
  }
  for (const [k, pa] of Object.entries(a.properties ?? {})) {
    const pb = b.properties?.[k];
    if (!pb) {
      if (!b["x-kubernetes-preserve-unknown-fields"]) report("field-removed", `${path}.${k}`, `field ${k} was removed (or renamed); the apiserver prunes it from stored objects and clients setting it lose the value`);
      continue;
    }
    compareSchema(pa, pb, `${path}.${k}`, report);
  }
  if (a.items && b.items) compareSchema(a.items, b.items, `${path}[*]`, report);
  if (a.additionalProperties && typeof a.additionalProperties === "object" && b.additionalProperties && typeof b.additionalProperties === "object") {
    compareSchema(a.additionalProperties, b.additionalProperties, `${path}{*}`, report);
  }
}
