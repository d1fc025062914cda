/**
 * `tsop version`: what tsop, Node, the default local control plane and the Go toolchain are.
 * @module
 */
import type { Command } from "commander";
import { goVersion } from "../envtest/go-build.js";
import { DEFAULT_K8S_VERSION, etcdVersionFor } from "../envtest/versions.js";
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
  const kubernetes = env["TSOP_ENVTEST_K8S_VERSION"] || DEFAULT_K8S_VERSION;
  return { tsop: version, node: process.version, kubernetes, etcd: etcdVersionFor(kubernetes), go: await goVersion(env) };
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
