/**
 * The one CRD reader and installer, shared by tsop/envtest, `tsop run` and `tsop install`/`deploy`:
 * reads CRD documents from files, server-side applies them (no annotation size limit, so CRDs over
 * 256 KiB work), waits until each is Established and served in discovery, and optionally waits out
 * the kube-apiserver's 2 s hold on creates of custom resources whose CRD is younger than that.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";
import { yamlErrorLine } from "../yaml-error.js";
import { statusMessage, withQuery, type KubeTransport } from "./transport.js";

/** The parts of a CustomResourceDefinition this module reads. */
export interface CrdObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { group?: string; names?: { plural?: string; kind?: string }; versions?: { name?: string; served?: boolean; storage?: boolean }[] };
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[] };
}

const CRD_EXT = new Set([".yaml", ".yml", ".json"]);
const CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

/** Every CustomResourceDefinition document of one file, in order. */
export function readCrdFile(file: string): CrdObject[] {
  const out: CrdObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors[0]) {
      const { what, line, col } = yamlErrorLine(doc.errors[0]);
      throw new UserError("crd-bad-yaml", `cannot parse YAML: ${what}`, { location: { file, line, col }, hint: "fix the YAML syntax" });
    }
    const value = doc.toJS() as CrdObject | null;
    if (value && typeof value === "object" && value.kind === "CustomResourceDefinition") out.push(value);
  }
  return out;
}

/**
 * Reads every CRD from the given files and directories (`.yaml`, `.yml`, `.json`, sorted by name;
 * not recursive). A path that does not exist is an error unless `missingOk`.
 */
export function loadCrds(paths: readonly string[], opts: { missingOk?: boolean } = {}): CrdObject[] {
  const out: CrdObject[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      if (opts.missingOk) continue;
      throw new UserError("crd-path", `CRD path ${p} does not exist`, { hint: "pass a CRD file or a directory of CRD files" });
    }
    const files = isDir ? readdirSync(p).filter((f) => CRD_EXT.has(extname(f))).sort().map((f) => join(p, f)) : [p];
    for (const f of files) out.push(...readCrdFile(f));
  }
  return out;
}

/** Options of {@link applyCrds}. */
export interface ApplyCrdsOptions {
  /** Server-side apply field manager. */
  fieldManager: string;
  /** How long to wait for each CRD to be Established and served. Default: 30 s. */
  timeoutMs?: number;
  /**
   * Custom resources are created right after (tests, `run --local`): wait until every CRD's
   * Established condition is 2 s old, or the apiserver holds the first create for up to 2 s.
   */
  holdForCreates?: boolean;
  /** Told about each CRD once applied. */
  onApplied?: (name: string) => void;
}

function nameOf(crd: CrdObject): string {
  const name = crd.metadata?.name;
  if (!name || crd.kind !== "CustomResourceDefinition") {
    throw new UserError("crd-invalid", `${name ?? "(unnamed CRD)"} is not a CustomResourceDefinition with metadata.name`, { hint: "regenerate it with tsop manifests" });
  }
  return name;
}

/**
 * Server-side applies the CRDs (forced), then waits until each is Established and its plural is
 * listed in discovery for every served version.
 */
export async function applyCrds(send: KubeTransport, crds: readonly CrdObject[], opts: ApplyCrdsOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  for (const crd of crds) {
    const name = nameOf(crd);
    const body = JSON.stringify({ ...crd, apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" });
    const res = await send({ method: "PATCH", path: `${CRD_PATH}/${encodeURIComponent(name)}`, query: { fieldManager: opts.fieldManager, force: true }, body, contentType: "application/apply-patch+yaml" });
    if (res.status >= 300) {
      throw new UserError("crd-rejected", `the apiserver rejected CRD ${name} (HTTP ${res.status}): ${statusMessage(res.body)}`, { hint: "fix the CRD (regenerate it with `tsop manifests`)" });
    }
    opts.onApplied?.(name);
  }
  let holdUntil = 0;
  for (const crd of crds) {
    const established = await waitEstablished(send, crd, timeoutMs);
    holdUntil = Math.max(holdUntil, Date.parse(established) || Date.now());
  }
  // lastTransitionTime is truncated to whole seconds, and the apiserver compares against that value.
  const wait = holdUntil + 2_050 - Date.now();
  if (opts.holdForCreates && crds.length > 0 && wait > 0) await sleep(wait);
}

/** Waits until the CRD is Established and served; returns the condition's lastTransitionTime. */
async function waitEstablished(send: KubeTransport, crd: CrdObject, timeoutMs: number): Promise<string> {
  const name = nameOf(crd);
  const deadline = Date.now() + timeoutMs;
  const notYet = (what: string): never => {
    throw new UserError("crd-not-established", `CRD ${name} is not ${what} after ${Math.round(timeoutMs / 1000)} s`, { hint: `check it with kubectl describe crd ${name}` });
  };
  let established: string | undefined;
  while (established === undefined) {
    const res = await send({ method: "GET", path: `${CRD_PATH}/${encodeURIComponent(name)}` });
    if (res.status === 200) {
      const cond = (JSON.parse(res.body) as CrdObject).status?.conditions?.find((c) => c.type === "Established");
      if (cond?.status === "True") established = cond.lastTransitionTime ?? "";
    }
    if (established === undefined) {
      if (Date.now() > deadline) notYet("Established");
      await sleep(100);
    }
  }
  const group = crd.spec?.group;
  const plural = crd.spec?.names?.plural;
  for (const v of crd.spec?.versions ?? []) {
    if (v.served === false || !v.name || !group || !plural) continue;
    for (;;) {
      const res = await send({ method: "GET", path: `/apis/${group}/${v.name}` });
      if (res.status === 200 && ((JSON.parse(res.body) as { resources?: { name?: string }[] }).resources ?? []).some((r) => r.name === plural)) break;
      if (Date.now() > deadline) notYet(`served as ${plural}.${group}/${v.name}`);
      await sleep(100);
    }
  }
  return established;
}

/** Matches no object ("has the label and has not"): a list with it costs no transfer. */
const MATCHES_NOTHING = "tsop.io/cache-probe,!tsop.io/cache-probe";

/**
 * Waits, up to `timeoutMs`, until the apiserver's watch cache of the CRD's custom resources (the
 * storage version's) answers lists; call it before deleting the CRD. The apiserver makes a CRD's
 * storage and watch cache on the first request for its custom resources, and since Kubernetes 1.31
 * (KEP-4568) a list from a watch cache that is still initializing is refused with 429. The
 * apiserver's CRD finalizer lists through that cache: when nothing had used it yet, its first list
 * is refused and it backs off exponentially, which under load can keep the CRD past a minute.
 * The first request (limit=1, which the apiserver serves from etcd when the cache is not ready)
 * makes the storage; a list from resourceVersion 0 with a selector is always served by the cache,
 * so its 200 means the cache is ready. Anything but a 429 (404, 403, ...) ends the wait.
 */
export async function awaitCustomResourceCache(send: KubeTransport, crd: CrdObject, timeoutMs = 30_000): Promise<void> {
  const group = crd.spec?.group;
  const plural = crd.spec?.names?.plural;
  const versions = crd.spec?.versions ?? [];
  const version = (versions.find((v) => v.storage) ?? versions.find((v) => v.served !== false))?.name;
  if (!group || !plural || !version) return;
  const path = `/apis/${group}/${version}/${plural}`;
  if ((await send({ method: "GET", path, query: { limit: "1" } })).status !== 200) return;
  const deadline = Date.now() + timeoutMs;
  while ((await send({ method: "GET", path, query: { resourceVersion: "0", labelSelector: MATCHES_NOTHING } })).status === 429 && Date.now() < deadline) {
    await sleep(50);
  }
}

/** Options of {@link deleteCrds}. */
export interface DeleteCrdsOptions {
  /** A CRD that is not there is fine (else a one-line error after deleting the others). */
  ignoreNotFound: boolean;
  /** How long to wait until every CRD is gone. Default: 120 s (as `tsop undeploy` waits). */
  timeoutMs?: number;
  /** Told about each CRD once its deletion was accepted. */
  onDeleted?: (name: string) => void;
}

/** Deletes the CRDs (their custom resources go with them) and waits until they are gone. */
export async function deleteCrds(send: KubeTransport, crds: readonly CrdObject[], opts: DeleteCrdsOptions): Promise<void> {
  const missing: string[] = [];
  const deleted: string[] = [];
  for (const crd of crds) {
    const name = nameOf(crd);
    await awaitCustomResourceCache(send, crd);
    const res = await send({ method: "DELETE", path: `${CRD_PATH}/${encodeURIComponent(name)}` });
    if (res.status === 404) missing.push(name);
    else if (res.status >= 300) throw new UserError("crd-delete-failed", `the apiserver refused to delete CRD ${name} (HTTP ${res.status}): ${statusMessage(res.body)}`, { hint: "check that you may delete CRDs (kubectl auth can-i delete crd)" });
    else {
      deleted.push(name);
      opts.onDeleted?.(name);
    }
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (const name of deleted) {
    for (;;) {
      const res = await send({ method: "GET", path: `${CRD_PATH}/${encodeURIComponent(name)}` });
      if (res.status === 404) break;
      if (Date.now() > deadline) {
        const t = res.status === 200 ? (JSON.parse(res.body) as CrdObject).status?.conditions?.find((c) => c.type === "Terminating") : undefined;
        throw new UserError("crd-not-deleted", `CRD ${name} is still there after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s${t ? ` (Terminating: ${t.reason}: ${t.message})` : ""}`, { hint: `its custom resources may have finalizers nobody removes; see kubectl get ${name}` });
      }
      await sleep(200);
    }
  }
  if (missing.length > 0 && !opts.ignoreNotFound) {
    throw new UserError("crd-not-found", `${missing.length === 1 ? "CRD" : `${missing.length} CRDs`} not installed: ${missing.join(", ")}`, { hint: "nothing to uninstall there; pass --ignore-not-found to treat that as success" });
  }
}
