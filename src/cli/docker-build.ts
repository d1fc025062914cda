/**
 * `tsop docker-build [--img IMG] [--push]`: builds the manager image from the project's Dockerfile
 * with whichever container engine is installed (kubebuilder's `make docker-build docker-push`).
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { parseImage } from "../deploy/image.js";
import { findOnPath, shellCommand } from "./shell.js";

/** The engines tsop knows, in the order it tries them. */
export const ENGINES = ["docker", "podman", "buildah", "nerdctl"] as const;
export type Engine = (typeof ENGINES)[number];

/** kubebuilder's default IMG. */
export const DEFAULT_IMG = "controller:latest";

/** Flags of `tsop docker-build`. */
export interface DockerBuildFlags {
  img?: string;
  push: boolean;
  containerTool?: string;
  dryRun: boolean;
}

/** The command lines that build (and push) `img` from the context `.` with `engine`. */
export function engineCommands(engine: Engine, img: string, push: boolean): string[][] {
  // `build -t IMG .` is the same for all four (buildah build is buildah bud)
  const build = [engine, "build", "-t", img, "."];
  return push ? [build, [engine, "push", img]] : [build];
}

/** Why an installed engine cannot build, in one line (its own message), or undefined when it works. */
export function probeEngine(engine: Engine, file: string): string | undefined {
  const r = spawnSync(file, ["info"], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) return r.error.message;
  if (r.status === 0) return undefined;
  const lines = `${r.stderr}\n${r.stdout}`.split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /cannot|error|denied|not running|permission/i.test(l)) ?? lines[0] ?? `\`${engine} info\` exited with ${r.status ?? r.signal}`;
  return line.replace(/^(error|ERROR|Error):\s*/, "");
}

/** Which engine to use: `--container-tool`/CONTAINER_TOOL, else the first on PATH that works. */
export function chooseEngine(requested: string | undefined, probe: boolean): { engine: Engine; file?: string } {
  if (requested !== undefined) {
    if (!(ENGINES as readonly string[]).includes(requested)) {
      throw new UserError("invalid-flag", `--container-tool ${JSON.stringify(requested)} is not one of ${ENGINES.join(", ")}`, { hint: "or leave it out and tsop uses the first one installed" });
    }
    const engine = requested as Engine;
    const file = findOnPath(engine);
    if (file === undefined && probe) throw new UserError("no-container-engine", `${engine} is not installed (not on PATH)`, { hint: `install ${engine}, or leave out --container-tool` });
    if (file !== undefined && probe) {
      const problem = probeEngine(engine, file);
      if (problem !== undefined) throw new UserError("container-engine-broken", `${engine} is installed but not working: ${problem}`, { hint: brokenHint(engine) });
    }
    return file === undefined ? { engine } : { engine, file };
  }
  const installed = ENGINES.flatMap((e) => {
    const file = findOnPath(e);
    return file === undefined ? [] : [{ engine: e, file }];
  });
  if (!probe) return installed[0] ?? { engine: "docker" };
  if (installed.length === 0) {
    throw new UserError("no-container-engine", "no container engine found: none of docker, podman, buildah, nerdctl is on PATH", {
      hint: "install one: podman or buildah need no daemon; Docker Engine does",
    });
  }
  const problems: string[] = [];
  for (const c of installed) {
    const problem = probeEngine(c.engine, c.file);
    if (problem === undefined) return c;
    problems.push(`${c.engine} is installed but not working: ${problem}`);
  }
  throw new UserError("container-engine-broken", problems.join("; "), { hint: brokenHint(installed[0]!.engine) });
}

function brokenHint(engine: Engine): string {
  if (engine === "docker") return "start the Docker daemon or point DOCKER_HOST at one, or install podman or buildah, which need no daemon";
  if (engine === "nerdctl") return "start containerd and buildkitd, or install podman or buildah";
  return `run \`${engine} info\` to see what is wrong`;
}

/** Checks that the project can be built: a Dockerfile, a lockfile, and a tsop dependency inside the context. */
export function checkBuildContext(root: string): void {
  if (!existsSync(path.join(root, "Dockerfile"))) {
    throw new UserError("no-dockerfile", `no Dockerfile in ${root}`, { hint: "run tsop docker-build in the project root, where tsop init wrote the Dockerfile" });
  }
  if (!existsSync(path.join(root, "package-lock.json"))) {
    throw new UserError("no-lockfile", "package-lock.json is missing: the image build runs npm ci", { hint: "run npm install, then build again" });
  }
  let spec: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    spec = pkg.dependencies?.["tsop"];
  } catch {
    throw new UserError("bad-package-json", "package.json is missing or not valid JSON", { location: { file: "package.json" }, hint: "restore it (tsop init wrote one)" });
  }
  if (spec?.startsWith("file:")) {
    const target = path.resolve(root, spec.slice("file:".length));
    const rel = path.relative(root, target);
    if (rel.startsWith("..") || path.isAbsolute(rel)) {
      throw new UserError("tsop-outside-context", `the tsop dependency ${spec} is outside the Docker build context`, {
        location: { file: "package.json" },
        hint: "depend on a registry version (^x.y.z) or on a packed copy inside the project, as tsop init does: vendor/tsop-<version>.tgz",
      });
    }
    if (!existsSync(target)) {
      throw new UserError("tsop-vendor-missing", `the tsop dependency ${spec} does not exist`, { location: { file: "package.json" }, hint: "restore vendor/ from version control" });
    }
  }
}

function run(argv: readonly string[], cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
}

/** Runs `docker-build` in `root`. */
export async function runDockerBuild(root: string, flags: DockerBuildFlags, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const img = flags.img ?? DEFAULT_IMG;
  parseImage(img);
  checkBuildContext(root);
  const requested = flags.containerTool ?? (process.env["CONTAINER_TOOL"] || undefined);
  const { engine, file } = chooseEngine(requested, !flags.dryRun);
  const commands = engineCommands(engine, img, flags.push);
  if (flags.dryRun) {
    for (const c of commands) out(`${shellCommand(c)}\n`);
    return;
  }
  for (const c of commands) {
    out(`$ ${shellCommand(c)}\n`);
    const code = await run([file ?? engine, ...c.slice(1)], root);
    if (code !== 0) throw new UserError("engine-failed", `${engine} ${c[1]} failed with exit code ${code} (its output is above)`, { hint: c[1] === "push" ? "log in to the registry (docker login) or fix --img, then run again" : "fix what its output says: the Dockerfile, the base image or the network; then run again" });
  }
}

/** Registers `tsop docker-build`. */
export function registerDockerBuild(program: Command): void {
  program
    .command("docker-build")
    .description("Build the manager image from the Dockerfile with the installed container engine (docker, podman, buildah, nerdctl)")
    .option("--img <image>", `image reference to build, e.g. quay.io/acme/memcached-operator:v0.0.1 (default: ${DEFAULT_IMG})`)
    .option("--push", "push the image after building it", false)
    .option("--container-tool <engine>", `engine to use: ${ENGINES.join(", ")} (default: $CONTAINER_TOOL, else the first installed one that works)`)
    .option("--dry-run", "print the engine commands instead of running them", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop docker-build --img quay.io/acme/memcached-operator:v0.0.1
  tsop docker-build --img quay.io/acme/memcached-operator:v0.0.1 --push
  npm run docker-build -- --img localhost:5000/memcached-operator:dev`)
    .action(async (flags: DockerBuildFlags) => {
      await runDockerBuild(process.cwd(), flags);
    });
}
