/**
 * The admin kubeconfig of a local control plane (cluster, user and context all named `envtest`).
 * @module
 */
import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync, unlinkSync } from "node:fs";
import { stringify } from "yaml";

/** What goes into the kubeconfig. */
export interface KubeconfigInput {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** Renders a kubeconfig with the CA and the client certificate inlined. */
export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "envtest", cluster: { server: input.server, "certificate-authority-data": b64(input.caPem) } }],
    users: [
      {
        name: "envtest",
        user: { "client-certificate-data": b64(input.certPem), "client-key-data": b64(input.keyPem) },
      },
    ],
    contexts: [{ name: "envtest", context: { cluster: "envtest", user: "envtest" } }],
    "current-context": "envtest",
    preferences: {},
  });
}

/** Writes `content` to `path` through a temporary file and a rename, with mode 0600. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw e;
  }
}
