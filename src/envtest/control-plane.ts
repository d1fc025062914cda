/**
 * Command lines and readiness checks for etcd, kube-apiserver, kube-controller-manager, kube-scheduler
 * and kwok.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { httpRequest, pollUntil, type TlsMaterial } from "./http.js";
import type { SupervisedProcess } from "./process.js";

/** Files written into the control plane's cert dir. */
export const CERT_FILES = {
  servingCert: "apiserver.crt",
  servingCA: "apiserver-ca.crt",
  servingKey: "apiserver.key",
  clientCA: "client-cert-auth-ca.crt",
  saKey: "sa-signer.key",
  saPub: "sa-signer.pub",
} as const;

/** etcd's flags (envtest's set): loopback client and peer URLs, no fsync, data in `dataDir`. */
export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  return [
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    "--unsafe-no-fsync=true",
    "--log-level=warn",
  ];
}

/** True when the machine has an IPv4 default route (kube-apiserver derives its advertise address from it). */
function hasDefaultRoute(): boolean {
  try {
    return readFileSync("/proc/net/route", "utf8")
      .split("\n")
      .slice(1)
      .some((l) => l.split(/\s+/)[1] === "00000000");
  } catch {
    return true;
  }
}

/** kube-apiserver's flags (envtest's set), plus `--advertise-address=127.0.0.1` without a default route. */
export function apiServerArgs(certDir: string, etcdPort: number, securePort: number, extra: string[] = []): string[] {
  const args = [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--cert-dir=${certDir}`,
    `--secure-port=${securePort}`,
    "--bind-address=127.0.0.1",
    "--service-cluster-ip-range=10.0.0.0/24",
    "--allow-privileged=true",
    "--disable-admission-plugins=ServiceAccount",
    "--authorization-mode=RBAC",
    `--client-ca-file=${join(certDir, CERT_FILES.clientCA)}`,
    `--service-account-issuer=https://127.0.0.1:${securePort}/`,
    `--service-account-key-file=${join(certDir, CERT_FILES.saPub)}`,
    `--service-account-signing-key-file=${join(certDir, CERT_FILES.saKey)}`,
  ];
  if (!hasDefaultRoute()) args.push("--advertise-address=127.0.0.1");
  return [...args, ...extra];
}

/**
 * kube-controller-manager running `controllers` (short names, see controllers.ts). The service-account
 * signing key and the apiserver's CA let the serviceaccount-token controller issue tokens that
 * verify against this apiserver.
 */
export function controllerManagerArgs(kubeconfigPath: string, certDir: string, securePort: number, controllers: readonly string[], apiCertDir: string): string[] {
  return [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    `--controllers=${controllers.map((c) => `${c}-controller`).join(",")}`,
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${securePort}`,
    `--cert-dir=${certDir}`,
    "--use-service-account-credentials=false",
    `--service-account-private-key-file=${join(apiCertDir, CERT_FILES.saKey)}`,
    `--root-ca-file=${join(apiCertDir, CERT_FILES.servingCA)}`,
  ];
}

/** kube-scheduler with its default profile, bound to loopback. */
export function schedulerArgs(kubeconfigPath: string, certDir: string, securePort: number): string[] {
  return [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${securePort}`,
    `--cert-dir=${certDir}`,
  ];
}

/** Why waiting for `proc` is pointless: it exited (with the tail of its output), else undefined. */
export function exitReason(proc: SupervisedProcess): string | undefined {
  return proc.hasExited ? `${proc.name} exited early; its last output:\n${proc.logTail()}` : undefined;
}

/** Waits for etcd's `/health` to answer `{"health":"true"}`. */
export async function waitEtcdReady(proc: SupervisedProcess, port: number, timeoutMs: number): Promise<void> {
  await pollUntil(
    async () => {
      const res = await httpRequest({ url: `http://127.0.0.1:${port}/health`, timeoutMs: 2000 });
      return res.status === 200 && res.body.includes('"true"');
    },
    { timeoutMs, what: "etcd", abort: () => exitReason(proc) },
  );
}

/** Waits for kube-apiserver's `/readyz` and for the `default` namespace (created by the apiserver itself). */
export async function waitApiServerReady(proc: SupervisedProcess, server: string, tls: TlsMaterial, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await pollUntil(
    async () => (await httpRequest({ url: `${server}/readyz`, tls, timeoutMs: 5000 })).status === 200,
    { timeoutMs, what: "kube-apiserver /readyz", abort: () => exitReason(proc) },
  );
  await pollUntil(
    async () => (await httpRequest({ url: `${server}/api/v1/namespaces/default`, tls, timeoutMs: 5000 })).status === 200,
    { timeoutMs: Math.max(deadline - Date.now(), 5000), intervalMs: 50, what: "namespace default", abort: () => exitReason(proc) },
  );
}

/** Waits for `/healthz` on the secure port of kube-controller-manager or kube-scheduler (self-signed). */
export async function waitHealthz(proc: SupervisedProcess, port: number, timeoutMs: number): Promise<void> {
  await pollUntil(
    async () => (await httpRequest({ url: `https://127.0.0.1:${port}/healthz`, insecure: true, timeoutMs: 5000 })).status === 200,
    { timeoutMs, what: `${proc.name} /healthz`, abort: () => exitReason(proc) },
  );
}
