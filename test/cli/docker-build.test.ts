import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOnPath } from "../../src/cli/shell.js";
import { buildTsop, tsopBin } from "./built-cli.js";

// `tsop docker-build` with the engines this machine has (a docker CLI without a daemon) and with
// stand-in engines on a private PATH (shell scripts that log their arguments) for the commands run.

let tmp: string;
let project: string;

/** Runs the built CLI in `cwd` with PATH set to exactly `pathDirs`. */
function dockerBuild(cwd: string, args: string[], pathDirs: string[], extraEnv: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { HOME: process.env["HOME"], PATH: pathDirs.join(path.delimiter), ...extraEnv };
  const r = spawnSync(process.execPath, [tsopBin, "docker-build", ...args], { cwd, encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A directory with a stand-in `engine` whose `info` exits `infoExit` and which logs every call. */
function fakeEngine(name: string, engine: string, infoExit: number, infoMessage = ""): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  const script = `#!/bin/sh
echo "$(pwd) ${engine} $*" >> "${path.join(dir, "calls.log")}"
if [ "$1" = info ]; then echo "${infoMessage}" >&2; exit ${infoExit}; fi
exit 0
`;
  writeFileSync(path.join(dir, engine), script);
  chmodSync(path.join(dir, engine), 0o755);
  return dir;
}

function calls(dir: string): string[] {
  try {
    return readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
  } catch {
    return [];
  }
}

beforeAll(async () => {
  await buildTsop();
  tmp = mkdtempSync(path.join(tmpdir(), "tsop-docker-build-"));
  project = path.join(tmp, "project");
  mkdirSync(path.join(project, "vendor"), { recursive: true });
  writeFileSync(path.join(project, "Dockerfile"), "FROM scratch\n");
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "p", dependencies: { tsop: "file:vendor/tsop-0.1.0.tgz" } }));
  writeFileSync(path.join(project, "package-lock.json"), "{}\n");
  writeFileSync(path.join(project, "vendor", "tsop-0.1.0.tgz"), "");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("tsop docker-build", () => {
  it("says in one line that docker is there but its daemon is not (this machine's docker CLI)", () => {
    const docker = findOnPath("docker");
    expect(docker, "this test needs the docker CLI on PATH (the dev machine has one without a daemon)").toBeDefined();
    const bin = path.join(tmp, "docker-only");
    mkdirSync(bin);
    symlinkSync(docker!, path.join(bin, "docker"));
    // an unreachable daemon even where one runs
    const r = dockerBuild(project, ["--img", "example.com/op:v1"], [bin], { DOCKER_HOST: `unix://${path.join(tmp, "no-daemon.sock")}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: docker is installed but not working: .*(Cannot connect to the Docker daemon|daemon).* \(start the Docker daemon .*install podman or buildah, which need no daemon\)\n$/);
    expect(r.stderr.split("\n")).toHaveLength(2);
  });

  it("with no engine at all, says what to install", () => {
    const r = dockerBuild(project, [], [path.join(tmp, "empty-path")]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error: no container engine found: none of docker, podman, buildah, nerdctl is on PATH (install one: podman or buildah need no daemon; Docker Engine does)\n" });
  });

  it("builds and pushes with the first engine that works, from the project root", () => {
    const docker = fakeEngine("broken-docker", "docker", 1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
    const podman = fakeEngine("podman", "podman", 0);
    const r = dockerBuild(project, ["--img", "quay.io/acme/op:v0.0.1", "--push"], [docker, podman]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("$ podman build -t quay.io/acme/op:v0.0.1 .\n$ podman push quay.io/acme/op:v0.0.1\n");
    expect(calls(docker)).toEqual([`${project} docker info`]);
    expect(calls(podman)).toEqual([`${project} podman info`, `${project} podman build -t quay.io/acme/op:v0.0.1 .`, `${project} podman push quay.io/acme/op:v0.0.1`]);
  });

  it("--dry-run prints the commands and runs nothing; CONTAINER_TOOL works like make's", () => {
    const buildah = fakeEngine("buildah", "buildah", 0);
    expect(dockerBuild(project, ["--dry-run"], [buildah])).toEqual({ code: 0, stdout: "buildah build -t controller:latest .\n", stderr: "" });
    expect(dockerBuild(project, ["--dry-run", "--push", "--img", "localhost:5000/op:dev"], [buildah]).stdout).toBe("buildah build -t localhost:5000/op:dev .\nbuildah push localhost:5000/op:dev\n");
    expect(dockerBuild(project, ["--dry-run"], [buildah], { CONTAINER_TOOL: "podman" }).stdout).toBe("podman build -t controller:latest .\n");
    expect(calls(buildah)).toEqual([]);
  });

  it("reports a failing engine in one line with its exit code", () => {
    const dir = path.join(tmp, "failing");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "nerdctl"), "#!/bin/sh\n[ \"$1\" = info ] && exit 0\necho 'failed to solve: boom' >&2\nexit 3\n");
    chmodSync(path.join(dir, "nerdctl"), 0o755);
    const r = dockerBuild(project, ["--img", "op:v1"], [dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("failed to solve: boom\nerror: nerdctl build failed with exit code 3 (its output is above) (fix what its output says: the Dockerfile, the base image or the network; then run again)\n");
  });

  it.each([
    [["--img", "Quay.io/Acme/Op:v1"], 'error: --img "Quay.io/Acme/Op:v1" is not a valid image reference: "Acme" must be lower-case letters and digits, separated by . _ __ or - (use [registry/]repository[:tag][@digest], lower-case, e.g. --img quay.io/acme/memcached-operator:v0.1.0)\n'],
    [["--img", "op:v1:v2"], 'error: --img "op:v1:v2" is not a valid image reference: "op:v1" must be lower-case letters and digits, separated by . _ __ or - (use [registry/]repository[:tag][@digest], lower-case, e.g. --img quay.io/acme/memcached-operator:v0.1.0)\n'],
    [["--img", "op:v1", "--container-tool", "kaniko"], 'error: --container-tool "kaniko" is not one of docker, podman, buildah, nerdctl (or leave it out and tsop uses the first one installed)\n'],
  ])("refuses bad flags in one line: %j", (args, stderr) => {
    expect(dockerBuild(project, args, [fakeEngine(`e${Math.random().toString(36).slice(2)}`, "podman", 0)])).toEqual({ code: 1, stdout: "", stderr });
  });

  it("refuses a project whose build context is incomplete, in one line", () => {
    const podman = fakeEngine("podman2", "podman", 0);
    const broken = path.join(tmp, "broken");
    mkdirSync(broken);
    expect(dockerBuild(broken, [], [podman]).stderr).toBe(`error: no Dockerfile in ${broken} (run tsop docker-build in the project root, where tsop init wrote the Dockerfile)\n`);
    writeFileSync(path.join(broken, "Dockerfile"), "FROM scratch\n");
    writeFileSync(path.join(broken, "package.json"), JSON.stringify({ dependencies: { tsop: "file:../tsop" } }));
    expect(dockerBuild(broken, [], [podman]).stderr).toBe("error: package-lock.json is missing: the image build runs npm ci (run npm install, then build again)\n");
    writeFileSync(path.join(broken, "package-lock.json"), "{}\n");
    const r = dockerBuild(broken, [], [podman]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: package.json: the tsop dependency file:../tsop is outside the Docker build context (depend on a registry version (^x.y.z) or on a packed copy inside the project, as tsop init does: vendor/tsop-<version>.tgz)\n");
    expect(calls(podman)).toEqual([]);
  });
});
