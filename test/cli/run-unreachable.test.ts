import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operatorClusterFlags } from "../../src/run/reachability.js";
import { buildTsop, linkProjectDeps, runTsop, tsopBin } from "./built-cli.js";

// `tsop run --no-install` against a kubeconfig whose server does not answer (a closed port): after
// a bounded wait tsop prints one line naming the server, the kubeconfig and context, and the fix,
// while the operator keeps running (its own retries are unbounded).

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const kubeconfig = (server: string): string => [
  "apiVersion: v1", "kind: Config", "current-context: dev",
  "clusters:", "- name: c", `  cluster: {server: "${server}", insecure-skip-tls-verify: true}`,
  "users:", "- name: u", "  user: {token: abc}",
  "contexts:", "- name: dev", "  context: {cluster: c, user: u}", "",
].join("\n");

let tmp: string;
let dir: string;
beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp(path.join(tmpdir(), "tsop-run-unreachable-"));
  dir = path.join(tmp, "p");
  await mkdir(dir);
  const r = runTsop(dir, ["init", "--domain", "example.com", "--project-name", "op"]);
  expect(r.code, r.stderr).toBe(0);
  await linkProjectDeps(dir);
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("operatorClusterFlags", () => {
  it("reads --kubeconfig and --context in both forms", () => {
    expect(operatorClusterFlags(["--kubeconfig=/a", "--context", "x", "--leader-elect"])).toEqual({ kubeconfig: "/a", context: "x" });
    expect(operatorClusterFlags(["--leader-elect"])).toEqual({});
  });
});

describe("tsop run --no-install against a server that does not answer", () => {
  it("says so in one line after a bounded wait, and leaves the operator running", async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    await writeFile(path.join(dir, "kc.yaml"), kubeconfig(server));
    const child = spawn(process.execPath, [tsopBin, "run", "--no-install", "--kubeconfig", "kc.yaml", "--", "--health-probe-bind-address=0", "--metrics-bind-address=0"], { cwd: dir, env: { ...process.env, KUBECONFIG: "" } });
    let stderr = "";
    let exited = false;
    child.on("exit", () => (exited = true));
    const warning = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        const line = stderr.split("\n").find((l) => l.startsWith("warning: "));
        if (line) resolve(line);
      });
      child.on("exit", (code) => reject(new Error(`tsop run exited (${code}) before warning:\n${stderr}`)));
    });
    expect(warning).toBe(`warning: the cluster at ${server} (context "dev" of kubeconfig kc.yaml) has not answered for 10 s: ECONNREFUSED; the operator keeps retrying (start the cluster or fix its address, pick another with --kubeconfig/--context or $KUBECONFIG, or run against a local control plane with tsop run --local)`);
    expect(exited).toBe(false);
    const code = await new Promise<number | null>((resolve) => {
      child.once("exit", (c) => resolve(c));
      child.kill("SIGINT");
    });
    expect(code).toBe(0);
    expect(stderr.split("\n").filter((l) => l.startsWith("warning: "))).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at |internal error/);
  }, 120_000);
});
