/**
 * Loads CRDs from files or objects, applies them and waits until they are usable.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";
import { httpRequest, pollUntil, sleep, type TlsMaterial } from "./http.js";

/** The parts of a CustomResourceDefinition this module reads. */
interface CrdLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { group?: string; names?: { plural?: string }; versions?: { name?: string; served?: boolean }[] };
  status?: { conditions?: { type?: string; status?: string; lastTransitionTime?: string }[] };
}

const CRD_EXT = new Set([".yaml", ".yml", ".json"]);

function readCrdFile(file: string): object[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const out: object[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      // One line: the yaml package's message repeats the position and quotes the source after it.
      const pos = err.linePos?.[0];
      const what = err.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
      throw new UserError("envtest-bad-crd", `cannot parse YAML: ${what}`, { location: { file, line: pos?.line, col: pos?.col }, hint: "fix the YAML syntax" });
    }
    const value = doc.toJS() as CrdLike | null;
    if (value && typeof value === "object" && value.kind === "CustomResourceDefinition") out.push(value);
  }
  return out;
}

/** Reads every CRD from the given files and directories (`.yaml`, `.yml`, `.json`; not recursive). */
export function loadCrds(paths: string[]): object[] {
  const out: object[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UserError("envtest-crd-path", `CRD path ${p} does not exist`, { hint: "pass a CRD file or a directory of CRD files" });
    }
    const files = st.isDirectory()
      ? readdirSync(p).filter((f) => CRD_EXT.has(extname(f))).sort().map((f) => join(p, f))
      : [p];
    for (const f of files) out.push(...readCrdFile(f));
  }
  return out;
}

/** The `message` of a Kubernetes Status body, or the start of the body. */
function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === "string") return status.message;
  } catch {
    // not JSON
  }
  return body.slice(0, 500);
}

function describe(crd: CrdLike): string {
  return crd.metadata?.name ?? "(unnamed CRD)";
}

/**
 * Applies the CRDs with server-side apply (field manager `tsop-envtest`, forced), waits until each
 * is Established and its plural is listed in discovery for every served version, then waits until
 * every CRD is older than 2 s (the apiserver holds creates of custom resources for 2 s while the
 * CRD's Established condition is younger than that).
 */
export async function applyCrds(server: string, tls: TlsMaterial, crds: object[], timeoutMs = 30_000): Promise<void> {
  let holdUntil = 0;
  for (const raw of crds as CrdLike[]) {
    const name = raw.metadata?.name;
    if (!name || raw.kind !== "CustomResourceDefinition") {
      throw new UserError("envtest-bad-crd", `${describe(raw)} is not a CustomResourceDefinition with metadata.name`);
    }
    const body = JSON.stringify({ ...raw, apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" });
    const url = `${server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}?fieldManager=tsop-envtest&force=true`;
    const res = await httpRequest({ method: "PATCH", url, tls, body, contentType: "application/apply-patch+yaml" });
    if (res.status >= 300) {
      throw new UserError("envtest-crd-rejected", `the apiserver rejected CRD ${name} (HTTP ${res.status}): ${statusMessage(res.body)}`, {
        hint: "fix the CRD (regenerate it with `tsop manifests`)",
      });
    }
  }
  for (const raw of crds as CrdLike[]) {
    const name = raw.metadata?.name as string;
    let established: string | undefined;
    await pollUntil(
      async () => {
        const res = await httpRequest({ url: `${server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, tls });
        const crd = JSON.parse(res.body) as CrdLike;
        const cond = crd.status?.conditions?.find((c) => c.type === "Established");
        established = cond?.status === "True" ? cond.lastTransitionTime : undefined;
        return established !== undefined;
      },
      { timeoutMs, what: `CRD ${name} Established` },
    );
    holdUntil = Math.max(holdUntil, Date.parse(established ?? "") || Date.now());
    const group = raw.spec?.group;
    const plural = raw.spec?.names?.plural;
    for (const v of raw.spec?.versions ?? []) {
      if (v.served === false || !v.name || !group || !plural) continue;
      await pollUntil(
        async () => {
          const res = await httpRequest({ url: `${server}/apis/${group}/${v.name}`, tls });
          if (res.status !== 200) return false;
          const list = JSON.parse(res.body) as { resources?: { name?: string }[] };
          return (list.resources ?? []).some((r) => r.name === plural);
        },
        { timeoutMs, what: `CRD ${name}: ${plural}.${group}/${v.name} in discovery` },
      );
    }
  }
  // lastTransitionTime is truncated to whole seconds, and the apiserver compares against that value.
  const wait = holdUntil + 2_050 - Date.now();
  if (crds.length > 0 && wait > 0) await sleep(wait);
}
