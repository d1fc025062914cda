/**
 * Finds the control-plane binaries (TEST_ASSET_*, KUBEBUILDER_ASSETS, tsop's cache) or builds them.
 * @module
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import {
  buildEtcd, buildFailedError, buildK8s, buildKwok, checkGoVersion, goVersion, noGoError, writeKwokStages, type K8sComponent, type ProgressFn,
} from "./go-build.js";
import { KWOK_STAGES_FILE } from "./kwok-stages.js";
import { withLock } from "./lock.js";
import { checkK8sRelease, goModuleEnv } from "./releases.js";
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
 * KUBEBUILDER_ASSETS names the directory the user means to use: a missing directory, or kube-apiserver
 * or etcd found neither there nor elsewhere (TEST_ASSET_*, binaryAssetsDirectory, the cache), is
 * said at once instead of falling back to a minutes-long build. `missing`: what the lookup did not find.
 */
function checkAssetsDir(env: NodeJS.ProcessEnv, missing: readonly BinaryName[]): void {
  const dir = env["KUBEBUILDER_ASSETS"];
  if (!dir) return;
  if (!existsSync(dir)) {
    throw new UserError("envtest-bad-assets", `KUBEBUILDER_ASSETS=${dir} does not exist`, {
      hint: "point it at a directory holding kube-apiserver and etcd, such as the one tsop envtest use prints, or unset it to use tsop's cache",
    });
  }
  const lacking = missing.filter((n) => n === "kube-apiserver" || n === "etcd");
  if (lacking.length > 0) {
    throw new UserError("envtest-bad-assets", `KUBEBUILDER_ASSETS=${dir} has no executable ${lacking.join(" or ")}, and none was found elsewhere`, {
      hint: "point it at a directory holding kube-apiserver and etcd, such as the one tsop envtest use prints, or unset it to use tsop's cache",
    });
  }
}

/**
 * Runs `build` into a staging directory next to `cache` and renames it to `cache` when it succeeds;
 * on failure or Ctrl-C the staging directory is removed, so no half-built version directory stays.
 * Called under the version's build lock, so staging directories of the version left by killed
 * processes are removed first.
 */
async function inStaging(root: string, version: string, cache: string, lock: string, build: (into: string) => Promise<void>): Promise<void> {
  const prefix = `.${version}.partial-`;
  for (const e of readdirSync(root)) if (e.startsWith(prefix)) rmSync(join(root, e), { recursive: true, force: true });
  const staging = join(root, `${prefix}${process.pid}`);
  mkdirSync(staging);
  const onSignal = (sig: NodeJS.Signals): void => {
    // The process ends with the signal, so withLock's cleanup does not run: remove its lock too.
    rmSync(staging, { recursive: true, force: true });
    rmSync(lock, { force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.kill(process.pid, sig);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await build(staging);
    renameSync(staging, cache);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Makes sure kube-apiserver and etcd (and kube-controller-manager, kube-scheduler, kwok when asked)
 * exist and returns their paths. Lookup order per binary: `TEST_ASSET_<NAME>`,
 * `$KUBEBUILDER_ASSETS/<name>`, `binaryAssetsDirectory/<name>`, then the cache. Missing ones are
 * built with Go into the cache under a lock file (one for the Kubernetes binaries and etcd, one for
 * kwok), so concurrent callers build once; a new version's directory is built aside and appears
 * only when complete. Refused with a {@link UserError} before any build: no Go, a version the Go
 * module proxy does not list, a KUBEBUILDER_ASSETS that does not exist or (with nothing found
 * elsewhere) lacks kube-apiserver or etcd.
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
  checkAssetsDir(env, missing);
  if (missing.length > 0 || stagesMissing()) {
    const go = await goVersion(env);
    if (!go) throw noGoError(missing.length > 0 ? missing : [KWOK_STAGES_FILE], cache);
    checkGoVersion(go);
    const absent = (group: BinaryName[]): BinaryName[] => group.filter((n) => names.includes(n) && findBinary(n, dirs, env) === undefined);
    const k8sGroup: BinaryName[] = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"];
    // A version that was never released is refused before anything is built or created.
    if (absent(k8sGroup).some((n) => n !== "etcd")) await checkK8sRelease(version, await goModuleEnv(env));
    const root = dirname(cache);
    mkdirSync(root, { recursive: true });
    if (absent(k8sGroup).length > 0) {
      const lock = join(root, `.${version}.build.lock`);
      await withLock(lock, progress, async () => {
        // Another process may have built them while we waited for the lock.
        const still = absent(k8sGroup);
        if (still.length === 0) return;
        const k8s = still.filter((n): n is K8sComponent => n !== "etcd");
        const build = async (into: string): Promise<void> => {
          progress(`tsop envtest: ${still.join(", ")} missing; building with ${go} into ${into}`);
          if (k8s.length > 0) await buildK8s(version, k8s, into, progress, env);
          if (still.includes("etcd")) await buildEtcd(opts.etcdVersion ?? etcdVersionFor(version), into, progress, env);
        };
        try {
          // A new version's directory appears only once complete: built aside, renamed at the end.
          if (existsSync(cache)) await build(cache);
          else await inStaging(root, version, cache, lock, build);
        } catch (e) {
          throw buildFailedError(still, e);
        }
      });
    }
    // kwok comes from its own module, under its own lock, into the (now existing) version directory.
    if (opts.withKwok && (absent(["kwok"]).length > 0 || stagesMissing())) {
      mkdirSync(cache, { recursive: true });
      await withLock(join(cache, ".kwok.lock"), progress, async () => {
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
      });
    }
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
