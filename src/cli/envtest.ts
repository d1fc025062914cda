/**
 * `tsop envtest use` (find or build the control-plane binaries) and `tsop envtest start` (run one).
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { ensureBinaries } from "../envtest/binaries.js";
import { Environment } from "../envtest/environment.js";
import { writeFileAtomic } from "../envtest/kubeconfig.js";
import { DEFAULT_K8S_VERSION } from "../envtest/versions.js";
import { shellQuote } from "./shell.js";

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `tsop envtest use`: prints the directory of the binaries (building them first when missing). */
export async function envtestUse(opts: { k8sVersion: string; print: string }): Promise<string> {
  if (opts.print !== "path" && opts.print !== "env") {
    throw new UserError("invalid-flag", `--print must be "path" or "env", not "${opts.print}"`, { hint: "use -p path or -p env" });
  }
  const bins = await ensureBinaries({ k8sVersion: opts.k8sVersion, onProgress: progress });
  return opts.print === "env" ? `export KUBEBUILDER_ASSETS=${shellQuote(bins.dir)}` : bins.dir;
}

/** Resolves when SIGINT or SIGTERM arrives. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((res) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      res(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/** `tsop envtest start`: runs a control plane in the foreground until SIGINT/SIGTERM. */
export async function envtestStart(opts: { kubeconfig?: string; withControllers?: boolean; crdDir: string[]; k8sVersion: string }): Promise<void> {
  // Refuse an unwritable place before spending a control-plane start on it.
  if (opts.kubeconfig && !existsSync(dirname(resolve(opts.kubeconfig)))) {
    throw new UserError("envtest-kubeconfig", `cannot write the kubeconfig to ${opts.kubeconfig}: its directory does not exist`, { hint: "create the directory first, or pass --kubeconfig a path in an existing one" });
  }
  const env = new Environment({
    k8sVersion: opts.k8sVersion,
    withControllers: opts.withControllers ?? false,
    crdDirectoryPaths: opts.crdDir,
    onProgress: progress,
  });
  const signalled = untilSignal();
  let started;
  try {
    started = await Promise.race([env.start(), signalled.then(() => undefined)]);
  } catch (e) {
    await env.stop();
    throw e;
  }
  if (!started) {
    await env.stop();
    return;
  }
  const path = opts.kubeconfig ? resolve(opts.kubeconfig) : started.kubeconfigPath;
  try {
    if (opts.kubeconfig) writeFileAtomic(path, started.kubeconfig);
  } catch (e) {
    await env.stop();
    throw new UserError("envtest-kubeconfig", `cannot write the kubeconfig to ${path}: ${(e as Error).message}`, { hint: "pass --kubeconfig a path in a writable directory" });
  }
  process.stdout.write(`${path}\n`);
  progress(`tsop envtest: kube-apiserver ready at ${started.server}; stop with Ctrl-C (kubectl --kubeconfig ${path} get ns)`);
  // Signal listeners do not keep Node alive and the control plane's pipes are unref'd: hold a timer.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const outcome = await Promise.race([signalled.then((sig) => ({ sig })), env.unexpectedExit().then((died) => ({ died }))]);
  clearInterval(keepAlive);
  if ("died" in outcome) {
    await env.stop();
    const [first, ...rest] = outcome.died.split("\n");
    if (rest.length > 0) progress(rest.join("\n"));
    throw new UserError("envtest-died", first ?? "the control plane stopped", { hint: "see the output above; run again to start a new one" });
  }
  progress(`tsop envtest: ${outcome.sig}: stopping`);
  await env.stop();
}

/** Registers `tsop envtest use|start`. */
export function registerEnvtest(program: Command): void {
  const envtest = program.command("envtest").description("a local kube-apiserver + etcd for tests and development");
  envtest
    .command("use")
    .description("find or build kube-apiserver and etcd, then print their directory (usable as KUBEBUILDER_ASSETS)")
    .option("--k8s-version <version>", "Kubernetes version", process.env["TSOP_ENVTEST_K8S_VERSION"] ?? DEFAULT_K8S_VERSION)
    .option("-p, --print <format>", "what to print: path (the directory) or env (an export line)", "path")
    .addHelpText("after", "\nExamples:\n  $ tsop envtest use\n  $ eval \"$(tsop envtest use -p env)\"\n")
    .action(async (opts: { k8sVersion: string; print: string }) => {
      process.stdout.write(`${await envtestUse(opts)}\n`);
    });
  envtest
    .command("start")
    .description("run etcd and kube-apiserver in the foreground; writes an admin kubeconfig once ready")
    .option("--kubeconfig <file>", "where to write the kubeconfig (default: a file in the temp dir, printed)")
    .option("--with-controllers", "also run kube-controller-manager's garbage-collector and namespace controllers")
    .option("--crd-dir <dir>", "install the CRDs in this file or directory (repeatable)", collect, [] as string[])
    .option("--k8s-version <version>", "Kubernetes version", process.env["TSOP_ENVTEST_K8S_VERSION"] ?? DEFAULT_K8S_VERSION)
    .addHelpText("after", "\nExamples:\n  $ tsop envtest start --kubeconfig /tmp/envtest.kubeconfig\n  $ tsop envtest start --kubeconfig kc --crd-dir config/crd/bases --with-controllers\n")
    .action(async (opts: { kubeconfig?: string; withControllers?: boolean; crdDir: string[]; k8sVersion: string }) => {
      await envtestStart(opts);
    });
}
