/**
 * `tsop envtest use` (find or build the control-plane binaries) and `tsop envtest start` (run one).
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { ensureBinaries } from "../envtest/binaries.js";
import { resolveControllers, WORKLOAD_CONTROLLERS } from "../envtest/controllers.js";
import { Environment } from "../envtest/environment.js";
import { writeFileAtomic } from "../envtest/kubeconfig.js";
import { requestedK8sVersion } from "../envtest/versions.js";
import { shellQuote } from "./shell.js";

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Parses `--nodes N` (a whole number >= 1); undefined when the flag was not given. Throws a
 * {@link UserError} otherwise, before anything is started.
 */
export function parseNodesFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UserError("invalid-flag", `--nodes must be a whole number >= 1, not "${value}"`, {
      hint: "e.g. --nodes 3; leave --nodes out for a control plane without nodes",
    });
  }
  return n;
}

/** `--with-controllers` as given: absent, bare (`true`) or a comma-separated list. Validated here. */
export function parseControllersFlag(value: boolean | string | undefined): boolean | string[] | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  return resolveControllers(value, "--with-controllers");
}

/** Flags of `tsop envtest start`. */
export interface EnvtestStartFlags {
  kubeconfig?: string;
  withControllers?: boolean | string;
  nodes?: string;
  crdDir: string[];
  k8sVersion: string;
}

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
export async function envtestStart(opts: EnvtestStartFlags): Promise<void> {
  const nodes = parseNodesFlag(opts.nodes);
  const withControllers = parseControllersFlag(opts.withControllers);
  // Refuse an unwritable place before spending a control-plane start on it.
  if (opts.kubeconfig && !existsSync(dirname(resolve(opts.kubeconfig)))) {
    throw new UserError("envtest-kubeconfig", `cannot write the kubeconfig to ${opts.kubeconfig}: its directory does not exist`, { hint: "create the directory first, or pass --kubeconfig a path in an existing one" });
  }
  const env = new Environment({
    k8sVersion: opts.k8sVersion,
    ...(withControllers !== undefined ? { withControllers } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
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
  const what = nodes ? ` with ${nodes} node${nodes === 1 ? "" : "s"}` : "";
  progress(`tsop envtest: kube-apiserver ready at ${started.server}${what}; stop with Ctrl-C (kubectl --kubeconfig ${path} get ${nodes ? "nodes" : "ns"})`);
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
    .option("--k8s-version <version>", "Kubernetes version", requestedK8sVersion())
    .option("-p, --print <format>", "what to print: path (the directory) or env (an export line)", "path")
    .addHelpText("after", "\nExamples:\n  $ tsop envtest use\n  $ eval \"$(tsop envtest use -p env)\"\n")
    .action(async (opts: { k8sVersion: string; print: string }) => {
      process.stdout.write(`${await envtestUse(opts)}\n`);
    });
  envtest
    .command("start")
    .description("run etcd and kube-apiserver in the foreground; writes an admin kubeconfig once ready")
    .option("--kubeconfig <file>", "where to write the kubeconfig (default: a file in the temp dir, printed)")
    .option("--with-controllers [list]", `also run kube-controller-manager: bare for ${WORKLOAD_CONTROLLERS.join(",")}, or a comma-separated list of its controllers (default with --nodes: all of those)`)
    .option("--nodes <n>", "register N simulated nodes (kwok) and run kube-scheduler, so pods run and become Ready")
    .option("--crd-dir <dir>", "install the CRDs in this file or directory (repeatable)", collect, [] as string[])
    .option("--k8s-version <version>", "Kubernetes version", requestedK8sVersion())
    .addHelpText("after", "\nExamples:\n  $ tsop envtest start --kubeconfig /tmp/envtest.kubeconfig\n  $ tsop envtest start --kubeconfig kc --crd-dir config/crd/bases --with-controllers\n  $ tsop envtest start --kubeconfig kc --nodes 3\n  $ tsop envtest start --kubeconfig kc --nodes 1 --with-controllers=deployment,replicaset\n")
    .action(async (opts: EnvtestStartFlags) => {
      await envtestStart(opts);
    });
}
