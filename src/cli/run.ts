/**
 * `tsop run`: bundles src/main.ts, installs the CRDs (server-side apply) and runs the operator
 * against the current kubeconfig, or against a local control plane with `--local`; `--watch`
 * rebuilds and restarts on every change under src/. Ctrl-C stops everything.
 * @module
 */
import { homedir } from "node:os";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, watch as fsWatch, type FSWatcher } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { nodeFs } from "../project/fs.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { loadCrds } from "../kube/crds.js";
import { CRD_DIR, installCrdsOn } from "../deploy/crds.js";
import { createBundler, RUN_BUNDLE } from "../run/bundle.js";
import { operatorClusterFlags, warnIfUnreachable } from "../run/reachability.js";
import { parseNodesFlag } from "./envtest.js";

/** Flags of `tsop run`. */
export interface RunFlags {
  local: boolean;
  watch: boolean;
  /** False with `--no-install`. */
  install: boolean;
  kubeconfig?: string;
  /** `--nodes N`: simulated nodes (and the workload controllers) in the local control plane. */
  nodes?: string;
}

/** Where `create api --external --from-crd` keeps the CRDs of kinds the project does not own. */
const EXTERNAL_CRD_DIR = "test/crds";

/** Where `tsop manifests` writes the webhook configurations. */
const WEBHOOK_MANIFESTS = "config/webhook/manifests.yaml";

interface LocalPlane {
  kubeconfigPath: string;
  /** Operator flags that make its webhook server listen where the installed webhooks call it. */
  webhookArgs: string[];
  stop(): Promise<void>;
}

async function startLocal(root: string, nodes: number | undefined, log: (s: string) => void): Promise<LocalPlane> {
  const specifier = "../envtest/index.js";
  const { Environment } = (await import(specifier)) as typeof import("../envtest/index.js");
  // A local control plane has none of the cluster's CRDs: install the project's own and those of the
  // external kinds its controllers watch.
  const crdDirs = [CRD_DIR, EXTERNAL_CRD_DIR].map((d) => path.join(root, d)).filter((d) => existsSync(d));
  // With nodes, the workload controllers come too (Environment's default), so Deployments run.
  // The project's webhooks (and CRD conversions) are installed pointing at the operator's local webhook server.
  const webhooks = existsSync(path.join(root, WEBHOOK_MANIFESTS)) ? { webhookInstallOptions: { paths: [path.join(root, WEBHOOK_MANIFESTS)] } } : {};
  const env = new Environment({ ...(crdDirs.length ? { crdDirectoryPaths: crdDirs } : {}), ...(nodes ? { nodes } : {}), ...webhooks });
  const what = nodes ? `kube-apiserver + etcd + kube-controller-manager + kube-scheduler + ${nodes} kwok node${nodes === 1 ? "" : "s"}` : "kube-apiserver + etcd";
  log(`starting a local control plane (${what})...\n`);
  const started = await env.start();
  log(`local control plane at ${started.server}; kubeconfig ${started.kubeconfigPath}\n`);
  const w = started.webhook;
  if (w) log(`webhooks installed; the operator serves them on ${w.host}:${w.port} with the certificate in ${w.certDir}\n`);
  const webhookArgs = w ? [`--webhook-cert-path=${w.certDir}`, `--webhook-port=${w.port}`] : [];
  return { kubeconfigPath: started.kubeconfigPath, webhookArgs, stop: () => env.stop() };
}

/**
 * Loads the kubeconfig the operator will use, so that a broken one is tsop's one-line error rather
 * than the operator's stack trace. Skipped when the operator's own flags pick the kubeconfig.
 */
async function checkKubeConfig(kubeconfig: string | undefined, operatorArgs: string[]): Promise<void> {
  if (operatorArgs.some((a) => /^--(kubeconfig|context)(=|$)/.test(a))) return;
  const { loadKubeConfig } = await import("../runtime/client/kubeconfig.js");
  await loadKubeConfig(kubeconfig ? { kubeconfig } : {});
}

/**
 * True when some kubeconfig would be found the way kubectl looks for one: a `--kubeconfig` passed
 * to the operator, $KUBECONFIG, in-cluster, or ~/.kube/config.
 */
export function hasAnyKubeConfig(operatorArgs: string[], env: NodeJS.ProcessEnv = process.env, home: string = homedir()): boolean {
  if (operatorArgs.some((a) => /^--kubeconfig(=|$)/.test(a))) return true;
  if (env["KUBECONFIG"]) return true;
  if (env["KUBERNETES_SERVICE_HOST"]) return true;
  return existsSync(path.join(home, ".kube", "config"));
}

function startOperator(root: string, kubeconfig: string | undefined, args: string[]): ChildProcess {
  const env = { ...process.env };
  if (kubeconfig) env["KUBECONFIG"] = kubeconfig;
  return spawn(process.execPath, ["--enable-source-maps", path.join(root, RUN_BUNDLE), ...args], { cwd: root, env, stdio: "inherit" });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Runs the operator of the project at `root` until it exits or the user stops it. */
export async function runOperator(root: string, flags: RunFlags, operatorArgs: string[], log: (s: string) => void = (s) => process.stderr.write(s)): Promise<void> {
  const nodes = parseNodesFlag(flags.nodes);
  // Without --local, run falls back to a local control plane only when no kubeconfig exists at all.
  if (nodes !== undefined && !flags.local && (flags.kubeconfig || hasAnyKubeConfig(operatorArgs))) {
    throw new UserError("invalid-flag", "--nodes applies to a local control plane only", { hint: "add --local, or leave --nodes out to run against the kubeconfig's cluster" });
  }
  await loadProject((f) => nodeFs.readFile(f), path.join(root, PROJECT_FILE));
  if (!existsSync(path.join(root, "src/main.ts"))) {
    throw new UserError("missing-file", "src/main.ts is missing", { location: { file: "src/main.ts" }, hint: "restore it; it is the operator's entry point" });
  }
  try {
    createRequire(path.join(root, "package.json")).resolve("tsop/runtime");
  } catch {
    throw new UserError("not-installed", "the project's dependencies are not installed: tsop/runtime cannot be resolved from here", { hint: "run npm install" });
  }
  if (!flags.local && !flags.kubeconfig && !hasAnyKubeConfig(operatorArgs)) {
    // DESIGN §1: with no cluster configured at all, run against a local control plane.
    log("no kubeconfig found ($KUBECONFIG, ~/.kube/config, in-cluster): using a local control plane (--local)\n");
    flags.local = true;
  }
  if (!flags.local) await checkKubeConfig(flags.kubeconfig, operatorArgs);
  const bundler = await createBundler(root);
  let local: LocalPlane | undefined;
  let watcher: FSWatcher | undefined;
  let child: ChildProcess | undefined;
  let stopping = false;
  const stopped = new AbortController();
  const probeStop = new AbortController();
  const onSignal = (): void => {
    stopping = true;
    stopped.abort();
    if (child && child.exitCode === null) child.kill("SIGTERM");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    if (!(await bundler.rebuild())) throw new UserError("build-failed", "src/main.ts does not build (errors above)", { hint: "fix them and run again" });
    let kubeconfig = flags.kubeconfig;
    if (flags.local) {
      local = await startLocal(root, nodes, log);
      kubeconfig = local.kubeconfigPath;
    } else if (flags.install) {
      const crds = loadCrds([path.join(root, CRD_DIR)], { missingOk: true });
      if (crds.length === 0) log(`no CRDs in ${CRD_DIR} (run tsop manifests)\n`);
      else {
        await installCrdsOn(kubeconfig ? { kubeconfig } : {}, crds, (line) => log(`${line}\n`)).catch((e: unknown) => {
          if (!(e instanceof UserError)) throw e;
          throw new UserError(e.code, `cannot install the CRDs: ${e.message}`, { hint: `${e.hint ? `${e.hint}; ` : ""}or pass --no-install`, ...(e.location ? { location: e.location } : {}), cause: e });
        });
      }
    }
    if (stopping) return;
    // The user's own flags come last, so they win.
    const args = [...(local?.webhookArgs ?? []), ...operatorArgs];
    child = startOperator(root, kubeconfig, args);
    // A cluster that never answers: the operator retries forever; say so once after a bounded wait.
    if (!flags.local) void warnIfUnreachable({ ...(kubeconfig ? { kubeconfig } : {}), ...operatorClusterFlags(operatorArgs) }, (line) => log(`${line}\n`), probeStop.signal);
    if (!flags.watch) {
      const code = await new Promise<number | null>((resolve) => child!.once("exit", (c) => resolve(c)));
      if (!stopping && code !== 0) throw new UserError("operator-failed", `the operator exited with code ${code}`, { hint: "see its log above" });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let restarting = Promise.resolve();
    watcher = fsWatch(path.join(root, "src"), { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        restarting = restarting.then(async () => {
          if (stopping) return;
          log("change detected: rebuilding\n");
          if (!(await bundler.rebuild())) return log("build failed; keeping the running operator\n");
          await stopChild(child);
          if (!stopping) child = startOperator(root, kubeconfig, args);
        });
      }, 150);
    });
    await new Promise<void>((resolve) => stopped.signal.addEventListener("abort", () => resolve(), { once: true }));
    clearTimeout(timer);
    await restarting;
  } finally {
    probeStop.abort();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    watcher?.close();
    await stopChild(child);
    await bundler.dispose();
    await local?.stop();
  }
}

/** Registers `tsop run`. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("Run the operator from source against the current kubeconfig (or a local control plane)")
    .argument("[operatorArgs...]", "arguments for the operator after --, e.g. -- --leader-elect")
    .option("--local", "start a local kube-apiserver + etcd (tsop/envtest) and run against it", false)
    .option("--watch", "rebuild and restart the operator when a file under src/ changes", false)
    .option("--no-install", "do not server-side apply the CRDs of config/crd/bases first")
    .option("--kubeconfig <path>", "kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--nodes <n>", "with --local: N simulated nodes (kwok), kube-scheduler and the workload controllers, so the operator's pods run")
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop run                        # against the current kubeconfig's cluster
  tsop run --local --watch        # against a local control plane, restart on change
  tsop run --local --nodes 3      # ... with 3 simulated nodes: Deployments get Running, Ready pods
  tsop run -- --metrics-bind-address=:8080 --health-probe-bind-address=0`)
    .action(async (operatorArgs: string[], flags: RunFlags) => {
      await runOperator(process.cwd(), flags, operatorArgs);
    });
}
