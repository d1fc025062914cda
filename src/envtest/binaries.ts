/**
 * Finds the control-plane binaries (TEST_ASSET_*, KUBEBUILDER_ASSETS, tsop's cache) or builds them.
 * @module
 */
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import {
  buildEtcd, buildFailedError, buildK8s, buildKwok, checkGoVersion, goVersion, noGoError, writeKwokStages, type K8sComponent, type ProgressFn,
} from "./go-build.js";
import { KWOK_STAGES_FILE } from "./kwok-stages.js";
import { withLock } from "./lock.js";
import { KWOK_VERSION, cacheRoot, etcdVersionFor, normalizeK8sVersion, requestedK8sVersion } from "./versions.js";

/** Options for {@link ensureBinaries}. */
export interface EnsureBinariesOptions {
  /** Kubernetes version to find or build. Default: `TSOP_ENVTEST_K8S_VERSION`, else `1.37.2`. */
  k8sVersion?: string;
  /** etcd version to build when etcd is missing. Default: the one that version of Kubernetes ships with. */
  etcdVersion?: string;
  /** Receives progress lines (builds take minutes). Default: discarded. */
  onProgress?: (line: string) => void;
  /** Directory searched after KUBEBUILDER_ASSETS and before the cache. Default: none. */
  binaryAssetsDirectory?: string;
  /** Also find or build kube-controller-manager. Default: false. */
  withControllerManager?: boolean;
  /** Also find or build kube-scheduler. Default: false. */
  withScheduler?: boolean;
  /** Also find or build kwok (simulated nodes) and its stage configs. Default: false. */
  withKwok?: boolean;
  /** kwok version to build when kwok is missing. Default: 0.8.0. */
  kwokVersion?: string;
  /** Cache root (binaries go to `<cacheDir>/<k8sVersion>/`). Default: `${XDG_CACHE_HOME:-~/.cache}/tsop/envtest`. */
  cacheDir?: string;
  /** Environment variables to read. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Where the binaries are. */
export interface Binaries {
  /** Directory holding kube-apiserver (usable as KUBEBUILDER_ASSETS when all come from one place). */
  dir: string;
  /** Path of the kube-apiserver binary. */
  kubeApiserver: string;
  /** Path of the etcd binary. */
  etcd: string;
  /** Only when asked for with `withControllerManager`. */
  kubeControllerManager?: string;
  /** Only when asked for with `withScheduler`. */
  kubeScheduler?: string;
  /** Only when asked for with `withKwok`. */
  kwok?: string;
  /** kwok's Stage configs (YAML), passed to it with `--config`; only with `withKwok`. */
  kwokStages?: string;
}

type BinaryName = "etcd" | "kwok" | K8sComponent;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `TEST_ASSET_KUBE_APISERVER` for `kube-apiserver`. */
export function testAssetVariable(name: string): string {
  return `TEST_ASSET_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Looks a binary up without building it; throws when TEST_ASSET_* names a file that is not there. */
export function findBinary(name: BinaryName, dirs: string[], env: NodeJS.ProcessEnv): string | undefined {
  const variable = testAssetVariable(name);
  const explicit = env[variable];
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new UserError("envtest-bad-asset", `${variable}=${explicit} is not an executable file`, {
        hint: `point ${variable} at a ${name} binary or unset it`,
      });
    }
    return explicit;
  }
  for (const d of dirs) {
    const p = join(d, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** Finds kwok's stage configs: `TEST_ASSET_KWOK_STAGES`, next to the kwok binary, then in `dirs`. */
export function findKwokStages(kwok: string | undefined, dirs: string[], env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env["TEST_ASSET_KWOK_STAGES"];
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new UserError("envtest-bad-asset", `TEST_ASSET_KWOK_STAGES=${explicit} does not exist`, {
        hint: "point it at a YAML file of kwok Stage configs or unset it",
      });
    }
    return explicit;
  }
  return [...(kwok ? [dirname(kwok)] : []), ...dirs].map((d) => join(d, KWOK_STAGES_FILE)).find((p) => existsSync(p));
}

/**
 * Makes sure kube-apiserver and etcd (and kube-controller-manager, kube-scheduler, kwok when asked)
 * exist and returns their paths. Lookup order per binary: `TEST_ASSET_<NAME>`,
 * `$KUBEBUILDER_ASSETS/<name>`, `binaryAssetsDirectory/<name>`, then the cache. Missing ones are
 * built with Go into the cache under a lock file (one for the Kubernetes binaries and etcd, one for
 * kwok), so concurrent callers build once. No Go and no binaries: a {@link UserError}.
 */
export async function ensureBinaries(opts: EnsureBinariesOptions = {}): Promise<Binaries> {
  const env = opts.env ?? process.env;
  const requested = opts.k8sVersion ?? requestedK8sVersion(env);
  const version = normalizeK8sVersion(requested);
  if (!version) {
    throw new UserError("envtest-bad-version", `"${requested}" is not a Kubernetes version`, { hint: "use X.Y.Z, e.g. 1.37.2" });
  }
  const progress: ProgressFn = opts.onProgress ?? (() => {});
  const cache = join(opts.cacheDir ?? cacheRoot(env), version);
  const dirs = [env["KUBEBUILDER_ASSETS"], opts.binaryAssetsDirectory, cache].filter((d): d is string => !!d);
  const names: BinaryName[] = [
    "kube-apiserver",
    "etcd",
    ...(opts.withControllerManager ? (["kube-controller-manager"] as const) : []),
    ...(opts.withScheduler ? (["kube-scheduler"] as const) : []),
    ...(opts.withKwok ? (["kwok"] as const) : []),
  ];
  const lookup = (): Map<BinaryName, string | undefined> => new Map(names.map((n) => [n, findBinary(n, dirs, env)]));
  const stagesMissing = (): boolean => !!opts.withKwok && findKwokStages(findBinary("kwok", dirs, env), dirs, env) === undefined;

  let found = lookup();
  const missing = names.filter((n) => found.get(n) === undefined);
  if (missing.length > 0 || stagesMissing()) {
    const go = await goVersion(env);
    if (!go) throw noGoError(missing.length > 0 ? missing : [KWOK_STAGES_FILE], cache);
    checkGoVersion(go);
    mkdirSync(cache, { recursive: true });
    const absent = (group: BinaryName[]): BinaryName[] => group.filter((n) => names.includes(n) && findBinary(n, dirs, env) === undefined);
    const k8sGroup: BinaryName[] = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"];
    // Each group waits only on its own lock, and only when something in it is missing.
    await Promise.all([
      absent(k8sGroup).length === 0 ? Promise.resolve() : withLock(join(cache, ".build.lock"), progress, async () => {
        // Another process may have built them while we waited for the lock.
        const still = absent(k8sGroup);
        if (still.length === 0) return;
        progress(`tsop envtest: ${still.join(", ")} missing; building with ${go} into ${cache}`);
        const k8s = still.filter((n): n is K8sComponent => n !== "etcd");
        try {
          if (k8s.length > 0) await buildK8s(version, k8s, cache, progress, env);
          if (still.includes("etcd")) await buildEtcd(opts.etcdVersion ?? etcdVersionFor(version), cache, progress, env);
        } catch (e) {
          throw buildFailedError(still, e);
        }
      }),
      // kwok comes from its own module: build it alongside, under its own lock.
      opts.withKwok && (absent(["kwok"]).length > 0 || stagesMissing())
        ? withLock(join(cache, ".kwok.lock"), progress, async () => {
          const kwokVersion = opts.kwokVersion ?? KWOK_VERSION;
          try {
            if (absent(["kwok"]).length > 0) {
              progress(`tsop envtest: kwok missing; building with ${go} into ${cache}`);
              await buildKwok(kwokVersion, cache, progress, env);
            } else if (stagesMissing()) {
              await writeKwokStages(kwokVersion, cache, progress, env);
            }
          } catch (e) {
            throw buildFailedError(["kwok"], e);
          }
        })
        : Promise.resolve(),
    ]);
    found = lookup();
  }
  const get = (n: BinaryName): string => {
    const p = found.get(n);
    if (!p) throw new Error(`${n} still missing after the build`);
    return p;
  };
  const kubeApiserver = get("kube-apiserver");
  const kwok = opts.withKwok ? get("kwok") : undefined;
  const kwokStages = kwok ? findKwokStages(kwok, dirs, env) : undefined;
  if (kwok && !kwokStages) throw new Error(`${KWOK_STAGES_FILE} still missing after the build`);
  return {
    dir: dirname(kubeApiserver),
    kubeApiserver,
    etcd: get("etcd"),
    ...(opts.withControllerManager ? { kubeControllerManager: get("kube-controller-manager") } : {}),
    ...(opts.withScheduler ? { kubeScheduler: get("kube-scheduler") } : {}),
    ...(kwok && kwokStages ? { kwok, kwokStages } : {}),
  };
}
