/**
 * Installs a project's CRDs (config/crd/bases/*.yaml) on a cluster with server-side apply, which
 * has no annotation size limit, and waits until each is Established.
 * @module
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";

interface Crd {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Reads every CRD document from the YAML files of `dir` (sorted by file name). */
export async function readCrds(dir: string): Promise<{ file: string; crd: Crd }[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const out: { file: string; crd: Crd }[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = path.join(dir, name);
    for (const doc of parseAllDocuments(await fsp.readFile(file, "utf8"))) {
      const err = doc.errors[0];
      if (err) {
        const pos = err.linePos?.[0];
        const what = err.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
        throw new UserError("bad-crd-file", `not valid YAML: ${what}`, { location: { file, line: pos?.line, col: pos?.col }, hint: "run tsop manifests to regenerate it" });
      }
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind === "CustomResourceDefinition" && crd.metadata?.name) out.push({ file, crd });
    }
  }
  return out;
}

/** Server-side applies the CRDs of `dir` with the kubeconfig `kubeconfig` (default: $KUBECONFIG...). */
export async function installCrds(dir: string, opts: { kubeconfig?: string; log?: (s: string) => void } = {}): Promise<number> {
  const crds = await readCrds(dir);
  if (crds.length === 0) return 0;
  const runtime = await import("../runtime/index.js");
  const config = await runtime.loadKubeConfig(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {});
  const rest = new runtime.RestClient(config, { userAgent: "tsop-cli", maxRetries: 1 });
  try {
    for (const { crd } of crds) {
      const name = crd.metadata!.name!;
      await rest.request({
        method: "PATCH",
        path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
        query: { fieldManager: "tsop", force: true },
        body: JSON.stringify(crd),
        contentType: "application/apply-patch+yaml",
      });
      opts.log?.(`applied CustomResourceDefinition ${name}\n`);
    }
    for (const { crd } of crds) await waitEstablished(rest, crd.metadata!.name!);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const why = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    throw new UserError("crd-install-failed", `cannot install the CRDs on ${config.server}: ${why}`, {
      hint: "check that the cluster is reachable and that you may create CRDs (kubectl auth can-i create crd), or pass --no-install",
      cause: err,
    });
  } finally {
    rest.close();
  }
  return crds.length;
}

async function waitEstablished(rest: { request<T>(r: { method: "GET"; path: string }): Promise<T> }, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const got = await rest.request<Crd>({ method: "GET", path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}` });
    if (got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return;
    if (Date.now() > deadline) throw new UserError("crd-not-established", `CRD ${name} is not Established after 30 s`, { hint: "check it with kubectl describe crd " + name });
    await new Promise((r) => setTimeout(r, 200));
  }
}
