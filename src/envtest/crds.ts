/**
 * envtest's CRD installation, over the shared reader/installer of src/kube/crds.ts with envtest's
 * own HTTPS client and the admin certificate.
 * @module
 */
import { applyCrds as applyShared, loadCrds as loadShared, type CrdObject } from "../kube/crds.js";
import { withQuery, type KubeTransport } from "../kube/transport.js";
import { httpRequest, type TlsMaterial } from "./http.js";

/** Reads every CRD from the given files and directories (`.yaml`, `.yml`, `.json`; not recursive). */
export function loadCrds(paths: string[]): object[] {
  return loadShared(paths);
}

/** A transport to the local control plane with its admin client certificate. */
export function envtestTransport(server: string, tls: TlsMaterial): KubeTransport {
  return async (req) => {
    const res = await httpRequest({ method: req.method, url: server + withQuery(req.path, req.query), tls, body: req.body, contentType: req.contentType });
    return { status: res.status, body: res.body };
  };
}

/**
 * Applies the CRDs with server-side apply (field manager `tsop-envtest`, forced), waits until each
 * is Established and served, then until every CRD is older than 2 s (tests create custom resources
 * next, and the apiserver holds those creates while the CRD is younger than that).
 */
export async function applyCrds(server: string, tls: TlsMaterial, crds: object[], timeoutMs = 30_000): Promise<void> {
  await applyShared(envtestTransport(server, tls), crds as CrdObject[], { fieldManager: "tsop-envtest", timeoutMs, holdForCreates: true });
}
