/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * Real etcd processes on loopback for the tests: the etcd binary tsop/envtest builds, started with
 * the flags a member pod would run, each under a tiny `sh` watchdog that kills it when the test
 * process goes away (even on SIGKILL: the watchdog sees its stdin pipe close, and a `KILL` line on it
 * SIGKILLs etcd to simulate a crash).
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinaries } from "tsop/envtest";

const WATCHDOG = `
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
( sig=TERM; while read -r line <&3; do if [ "$line" = KILL ]; then sig=KILL; break; fi; done; kill -$sig "$child" 2>/dev/null ) &
exec 3<&-
wait "$child"
`;

let etcdBinary: Promise<string> | undefined;

/** Path of the etcd binary (found in or built into tsop's cache, like the control plane's). */
export function etcdPath(): Promise<string> {
  etcdBinary ??= ensureBinaries({ onProgress: (l) => process.stderr.write(`${l}\n`) }).then((b) => b.etcd);
  return etcdBinary;
}

/** A free TCP port on 127.0.0.1 (the OS picks; the port is released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** One running etcd process. */
export class EtcdProcess {
  readonly name: string;
  readonly dataDir: string;
  private readonly child: ChildProcess;
  private readonly logFile: string;
  /** Resolves with the exit code (or 128 on a signal) once the process is gone. */
  readonly exited: Promise<number>;
  private done = false;

  private constructor(name: string, dataDir: string, binary: string, args: string[]) {
    this.name = name;
    this.dataDir = dataDir;
    this.logFile = join(dataDir, "..", `${name}.log`);
    const fd = openSync(this.logFile, "a");
    try {
      this.child = spawn("/bin/sh", ["-c", WATCHDOG, "etcd-watchdog", binary, ...args], { stdio: ["pipe", fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.child.stdin?.on("error", () => {});
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.done = true;
        resolve(code ?? (signal ? 128 : 0));
      });
    });
  }

  /**
   * Starts etcd with `args` (its own flags, e.g. a member pod's) plus `--data-dir`.
   * `dataDir` keeps the member's data across restarts (an emptyDir surviving a container restart).
   */
  static async start(name: string, args: string[], dataDir?: string): Promise<EtcdProcess> {
    const dir = dataDir ?? join(mkdtempSync(join(tmpdir(), "etcd-op-")), "data");
    const withDir = [...args.filter((a) => !a.startsWith("--data-dir=")), `--data-dir=${dir}`];
    return new EtcdProcess(name, dir, await etcdPath(), withDir);
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.done;
  }

  /** The process's output so far (for failure messages). */
  log(): string {
    try {
      return readFileSync(this.logFile, "utf8");
    } catch {
      return "";
    }
  }

  /** Stops etcd: SIGTERM (graceful) by default, SIGKILL to simulate a crash. */
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    if (this.done) return;
    // The watchdog signals etcd: a "KILL" line means SIGKILL, a closed pipe SIGTERM.
    if (signal === "SIGKILL") this.child.stdin?.write("KILL\n");
    this.child.stdin?.end();
    await this.exited;
  }

  /** Stops etcd and removes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(join(this.dataDir, ".."), { recursive: true, force: true });
  }
}

/** Flags of a loopback member: listen on the advertised URLs' ports. */
export function loopbackMemberArgs(o: { name: string; clientURL: string; peerURL: string; initialCluster: string; state: "new" | "existing"; token?: string }): string[] {
  return [
    `--name=${o.name}`,
    `--listen-client-urls=${o.clientURL}`,
    `--advertise-client-urls=${o.clientURL}`,
    `--listen-peer-urls=${o.peerURL}`,
    `--initial-advertise-peer-urls=${o.peerURL}`,
    `--initial-cluster=${o.initialCluster}`,
    `--initial-cluster-state=${o.state}`,
    `--initial-cluster-token=${o.token ?? "test"}`,
    // Short timers: loopback needs no WAN margins, and tests wait less for elections.
    "--heartbeat-interval=50",
    "--election-timeout=500",
    "--quota-backend-bytes=67108864",
    "--log-level=warn",
  ];
}
