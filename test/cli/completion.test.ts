// `tsop completion` and `tsop version` through the built CLI; the completion scripts are loaded into
// real shells and asked what they complete.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTsop, runTsop } from "./built-cli.js";

const tmp = mkdtempSync(path.join(tmpdir(), "tsop-completion-"));

function hasShell(name: string): boolean {
  return spawnSync(name, ["-c", "true"]).status === 0;
}

function script(shell: string): string {
  const r = runTsop(tmp, ["completion", shell]);
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(tmp, `tsop.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

/** What bash's completion function offers for `line` (the cursor at its end). */
function bashComplete(file: string, line: string): string[] {
  const body = `source ${JSON.stringify(file)}
COMP_WORDS=(${line.split(" ").map((w) => JSON.stringify(w)).join(" ")})
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_tsop
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", body], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean);
}

beforeAll(buildTsop);

describe("tsop completion bash", () => {
  const cases: Array<[string, string[]]> = [
    ["tsop ", ["init", "create", "manifests", "run", "install", "uninstall", "deploy", "undeploy", "build-installer", "helm", "bundle", "envtest", "version", "docker-build", "alpha", "completion"]],
    ["tsop cr", ["create"]],
    ["tsop create ", ["api", "webhook"]],
    ["tsop alpha ", ["generate"]],
    ["tsop alpha generate --out", ["--output-dir"]],
    ["tsop create api --gr", ["--group"]],
    ["tsop create api --group cache --ki", ["--kind"]],
    ["tsop envtest s", ["start"]],
    ["tsop envtest start --with", ["--with-controllers"]],
    ["tsop completion ", ["bash", "zsh", "fish"]],
    ["tsop run --no-", ["--no-install"]],
    ["tsop run --nod", ["--nodes"]],
    ["tsop envtest start --no", ["--nodes"]],
  ];
  it.each(cases)("completes %j", (line, want) => {
    const got = bashComplete(script("bash"), line);
    expect(got).toEqual(want);
  });

  it("offers nothing after an unknown command", () => {
    expect(bashComplete(script("bash"), "tsop frobnicate --")).toContain("--help");
    expect(bashComplete(script("bash"), "tsop init --dom")).toEqual(["--domain"]);
  });
});

describe.skipIf(!hasShell("zsh"))("tsop completion zsh (zsh installed)", () => {
  it("loads in zsh and completes through bashcompinit", () => {
    const file = script("zsh");
    // The function runs under sh emulation (0-based arrays), as bashcompinit calls it.
    const body = `source ${JSON.stringify(file)}
emulate -L sh; setopt kshglob noshglob braceexpand
COMP_WORDS=(tsop create api --gr); COMP_CWORD=3
_tsop
print -r -- "\${COMPREPLY[@]}"`;
    const r = spawnSync("zsh", ["-f", "-c", body], { encoding: "utf8", env: { ...process.env, HOME: tmp } });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("--group");
  });
});

describe.skipIf(!hasShell("fish"))("tsop completion fish (fish installed)", () => {
  it("completes commands, subcommands and flags with `complete -C`", () => {
    const file = script("fish");
    const ask = (line: string): string[] => {
      const r = spawnSync("fish", ["--no-config", "-c", `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0] as string).sort();
    };
    expect(ask("tsop cr")).toEqual(["create"]);
    expect(ask("tsop envtest ")).toEqual(["start", "use"]);
    expect(ask("tsop create api --gr")).toEqual(["--group"]);
    expect(ask("tsop completion ")).toEqual(["bash", "fish", "zsh"]);
  });
});

describe("tsop completion, bad input", () => {
  it("refuses an unknown shell in one line, exit 1", () => {
    const r = runTsop(tmp, ["completion", "ksh"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("bash, zsh, fish");
  });
  it("needs the shell argument", () => {
    const r = runTsop(tmp, ["completion"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("shell");
  });
});

describe("tsop version", () => {
  it("names tsop, Node, the default Kubernetes and etcd, and Go", () => {
    const r = runTsop(tmp, ["version"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`node: ${process.version}`);
    expect(r.stdout).toMatch(/^tsop: \d+\.\d+\.\d+/m);
    expect(r.stdout).toMatch(/^kubernetes \(tsop envtest default\): \d+\.\d+\.\d+$/m);
    expect(r.stdout).toMatch(/^go: (go version go|not found)/m);
  });
  it("--json is one parseable object; TSOP_ENVTEST_K8S_VERSION is honoured", () => {
    const r = runTsop(tmp, ["version", "--json"], { TSOP_ENVTEST_K8S_VERSION: "1.36.3" });
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info["kubernetes"]).toBe("1.36.3");
    expect(info["etcd"]).toBe("3.6.8");
    expect(info["node"]).toBe(process.version);
  });
  it("reads TSOP_ENVTEST_K8S_VERSION as envtest does: v1.36.3 is 1.36.3 with 1.36's etcd; a non-version pairs no etcd", () => {
    const v = JSON.parse(runTsop(tmp, ["version", "--json"], { TSOP_ENVTEST_K8S_VERSION: "v1.36.3" }).stdout) as Record<string, unknown>;
    expect([v["kubernetes"], v["etcd"]]).toEqual(["1.36.3", "3.6.8"]);
    const bad = JSON.parse(runTsop(tmp, ["version", "--json"], { TSOP_ENVTEST_K8S_VERSION: "latest" }).stdout) as Record<string, unknown>;
    expect([bad["kubernetes"], bad["etcd"]]).toEqual(["latest", "none (not a Kubernetes version)"]);
  });
  it("reports Go as not found when there is none on PATH", () => {
    const r = runTsop(tmp, ["version"], { PATH: "/nonexistent" });
    expect(r.stdout).toMatch(/^go: not found/m);
  });
});
