/**
 * `tsop version`: what tsop, Node, the default local control plane and the Go toolchain are.
 * @module
 */
import type { Command } from "commander";
import { goVersion } from "../envtest/go-build.js";
import { etcdVersionFor, normalizeK8sVersion, requestedK8sVersion } from "../envtest/versions.js";
import { version } from "../index.js";

/** The facts `tsop version` prints, in order. */
export interface VersionInfo {
  tsop: string;
  node: string;
  kubernetes: string;
  etcd: string;
  /** `go version`'s output, or undefined when there is no Go on PATH. */
  go: string | undefined;
}

/** Collects {@link VersionInfo}; `go` runs `go version` (no network). */
export async function versionInfo(env: NodeJS.ProcessEnv = process.env): Promise<VersionInfo> {
  // As ensureBinaries reads it: `v1.36.3` is 1.36.3 (and pairs with 1.36's etcd); what is not a
  // version is shown as given, with no etcd to pair.
  const requested = requestedK8sVersion(env);
  const kubernetes = normalizeK8sVersion(requested);
  return {
    tsop: version, node: process.version, kubernetes: kubernetes ?? requested,
    etcd: kubernetes ? etcdVersionFor(kubernetes) : "none (not a Kubernetes version)", go: await goVersion(env),
  };
}

/** `key: value` lines, or one JSON object with `--json`. */
export function formatVersion(info: VersionInfo, json: boolean): string {
  if (json) return `${JSON.stringify({ ...info, go: info.go ?? null })}\n`;
  return [
    `tsop: ${info.tsop}`,
    `node: ${info.node}`,
    `kubernetes (tsop envtest default): ${info.kubernetes}`,
    `etcd (tsop envtest default): ${info.etcd}`,
    `go: ${info.go ?? "not found (needed to build the local control plane: https://go.dev/dl/)"}`,
  ].join("\n") + "\n";
}

/** Registers `tsop version`. */
export function registerVersion(program: Command): void {
  program
    .command("version")
    .description("Print the versions of tsop, Node, the default local Kubernetes and the Go found")
    .option("--json", "print one JSON object", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop version
  tsop version --json`)
    .action(async (flags: { json: boolean }) => {
      process.stdout.write(formatVersion(await versionInfo(), flags.json));
    });
}
