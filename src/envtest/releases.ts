/**
 * Checks that a Kubernetes version was released before a build starts: `k8s.io/kubernetes@v<version>`
 * must be on the Go module proxy (the list a build would download from), so a typo is one line in a
 * second, not a failed five-minute build. Offline, a version already in the Go module cache passes.
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";

const MODULE = "k8s.io/kubernetes";
const DEFAULT_PROXY = "https://proxy.golang.org";
const TIMEOUT_MS = 10_000;

/** What `go env` says about where modules come from. */
export interface GoModuleEnv {
  /** GOPROXY as Go reads it (a list separated by `,` or `|`). */
  goproxy: string;
  /** GOMODCACHE: where downloaded modules are kept. */
  gomodcache: string;
}

/** GOPROXY and GOMODCACHE from `go env` (which also reads go's own env file), with Go's defaults. */
export function goModuleEnv(env: NodeJS.ProcessEnv = process.env): Promise<GoModuleEnv> {
  const fallback = (): GoModuleEnv => ({
    goproxy: env["GOPROXY"] || `${DEFAULT_PROXY},direct`,
    gomodcache: env["GOMODCACHE"] || join(env["GOPATH"]?.split(":")[0] || join(homedir(), "go"), "pkg", "mod"),
  });
  return new Promise((resolve) => {
    const child = spawn("go", ["env", "-json", "GOPROXY", "GOMODCACHE"], { env: { ...env, GOTOOLCHAIN: "local" }, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", () => resolve(fallback()));
    child.on("close", (code) => {
      try {
        const j = JSON.parse(out) as { GOPROXY?: string; GOMODCACHE?: string };
        if (code === 0) return resolve({ goproxy: j.GOPROXY || fallback().goproxy, gomodcache: j.GOMODCACHE || fallback().gomodcache });
      } catch {
        // fall through
      }
      resolve(fallback());
    });
  });
}

/** The stable releases (vX.Y.Z) of a proxy's version list, as [major, minor, patch]. */
function stableReleases(list: string): [number, number, number][] {
  return list.split("\n").map((l) => /^v(\d+)\.(\d+)\.(\d+)$/.exec(l.trim())).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
}

/** The `n` released versions nearest to `version` (same minor first, then the closest minors), newest first. */
export function nearestReleases(version: string, list: string, n = 3): string[] {
  const [ma, mi, pa] = version.split(".").map(Number) as [number, number, number];
  const key = (v: [number, number, number]): number => v[0] * 1e8 + v[1] * 1e4 + v[2];
  const want = key([ma, mi, pa]);
  return stableReleases(list).sort((a, b) => Math.abs(key(a) - want) - Math.abs(key(b) - want) || key(b) - key(a)).slice(0, n)
    .sort((a, b) => key(b) - key(a)).map((v) => v.join("."));
}

/**
 * Throws a {@link UserError} when `version` (X.Y.Z) is not a released Kubernetes version on the
 * first HTTP(S) proxy of GOPROXY, or when that proxy cannot be reached and the module is not in
 * the local Go module cache. GOPROXY without an HTTP(S) proxy (`direct`, `off`): no check.
 */
export async function checkK8sRelease(version: string, goEnv: GoModuleEnv): Promise<void> {
  const cached = existsSync(join(goEnv.gomodcache, "cache", "download", MODULE, "@v", `v${version}.mod`));
  if (cached) return;
  const proxy = goEnv.goproxy.split(/[,|]/).map((p) => p.trim()).find((p) => /^https?:\/\//.test(p));
  if (proxy === undefined) return;
  const url = `${proxy.replace(/\/+$/, "")}/${MODULE}/@v/list`;
  let list: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    list = await res.text();
  } catch (e) {
    const why = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
    throw new UserError("envtest-proxy-unreachable", `cannot check that Kubernetes v${version} exists: the Go module proxy ${proxy} did not answer (${why}); the build would download from it`, {
      hint: "check the network or set GOPROXY to a reachable proxy, or set KUBEBUILDER_ASSETS to a directory with prebuilt kube-apiserver and etcd",
    });
  }
  if (list.split("\n").some((l) => l.trim() === `v${version}`)) return;
  const near = nearestReleases(version, list);
  throw new UserError("envtest-unknown-version", `Kubernetes v${version} is not a released version (${MODULE} has no v${version} on ${proxy})`, {
    hint: near.length > 0 ? `the nearest released versions: ${near.join(", ")}; pass one with --k8s-version` : "pass a released version with --k8s-version, e.g. 1.37.2",
  });
}
