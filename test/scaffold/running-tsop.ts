// Shared by the end-to-end tests (not a test file): a `tsop run` child process and its output.
import { spawn, type ChildProcess } from "node:child_process";
import { tsopBin } from "../cli/built-cli.js";

/** A running `tsop run` with its output so far. */
export class RunningTsop {
  readonly child: ChildProcess;
  output = "";
  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [tsopBin, "run", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.output += d.toString()));
  }
  count(text: string): number {
    return this.output.split(text).length - 1;
  }
  async waitFor(text: string, times = 1, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(text) < times) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)} x${times}; output:\n${this.output}`);
      if (this.child.exitCode !== null) throw new Error(`tsop run exited (${this.child.exitCode}) before ${JSON.stringify(text)}; output:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** Ctrl-C; resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const done = new Promise<number | null>((r) => this.child.once("exit", (c) => r(c)));
    this.child.kill("SIGINT");
    return done;
  }
}
