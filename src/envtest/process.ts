/**
 * Runs a control-plane binary under a tiny `sh` supervisor so it never outlives the Node process.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";

/**
 * The supervisor. It keeps the pipe from Node on fd 3, runs the binary in the background and waits.
 * When the pipe closes (Node stopped it, exited or was SIGKILLed), it sends SIGTERM to the binary,
 * then SIGKILL after `$TSOP_STOP_GRACE` seconds, and once the binary is gone removes `$TSOP_CLEANUP`
 * (if set). It exits with the binary's status. A binary that exits on its own leaves the directory
 * (and its log) to Node. Node has no PDEATHSIG; a closed pipe is the signal.
 */
const SUPERVISOR = `
exec 3<&0
eof=0
trap 'eof=1' USR1
"$@" </dev/null 3<&- &
child=$!
(
  while read -r _ <&3; do :; done
  kill -USR1 $$ 2>/dev/null
  kill -TERM "$child" 2>/dev/null
  i=0
  while kill -0 "$child" 2>/dev/null; do
    i=$((i+1))
    if [ "$i" -gt $((TSOP_STOP_GRACE*10)) ]; then kill -KILL "$child" 2>/dev/null; break; fi
    sleep 0.1
  done
) &
watcher=$!
exec 3<&-
wait "$child"
rc=$?
while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
kill "$watcher" 2>/dev/null
if [ "$eof" = 1 ] && [ -n "$TSOP_CLEANUP" ]; then rm -rf "$TSOP_CLEANUP"; fi
exit $rc
`;

/** Options for {@link SupervisedProcess}. */
export interface SupervisedProcessOptions {
  /** Short name used in messages, e.g. `etcd`. */
  name: string;
  /** Absolute path of the binary. */
  binary: string;
  args: string[];
  /** File that receives the binary's stdout and stderr. */
  logFile: string;
  /** Also copy the output to this process's stdout/stderr. Default: false. */
  attachOutput?: boolean;
  /** Directory the supervisor removes after the binary has exited, even if Node died. Default: none. */
  cleanupDir?: string;
  /** Seconds between SIGTERM and SIGKILL when stopping. Default: 10. */
  stopGraceSeconds?: number;
}

/** A running binary plus its supervisor; `stop()` is idempotent. */
export class SupervisedProcess {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly logFile: string;
  /** True once `stop()` was called (an exit after that is expected). */
  stopRequested = false;

  constructor(opts: SupervisedProcessOptions) {
    this.name = opts.name;
    this.logFile = opts.logFile;
    const fd = openSync(opts.logFile, "a");
    try {
      const out = opts.attachOutput ? "pipe" : fd;
      this.child = spawn("/bin/sh", ["-c", SUPERVISOR, "tsop-supervisor", opts.binary, ...opts.args], {
        stdio: ["pipe", out, out],
        detached: true,
        env: {
          ...process.env,
          TSOP_STOP_GRACE: String(opts.stopGraceSeconds ?? 10),
          TSOP_CLEANUP: opts.cleanupDir ?? "",
        },
      });
    } finally {
      closeSync(fd);
    }
    if (opts.attachOutput) {
      this.child.stdout?.pipe(process.stdout, { end: false });
      this.child.stderr?.pipe(process.stderr, { end: false });
    }
    // The pipe must not keep Node alive, and nothing is ever written to it.
    this.child.stdin?.on("error", () => {});
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve(this.exitCode);
      });
      this.child.once("error", () => {
        this.exitCode = 127;
        resolve(127);
      });
    });
  }

  /** Process id of the supervisor (also the process group id of the supervisor and the binary). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the binary (and so its supervisor) has exited. */
  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Resolves with the exit code when the binary has exited. */
  waitExit(): Promise<number | null> {
    return this.exited;
  }

  /** The last `maxChars` characters of the binary's output, for error messages. */
  logTail(maxChars = 2000): string {
    try {
      const text = readFileSync(this.logFile, "utf8");
      return text.slice(-maxChars);
    } catch {
      return "";
    }
  }

  /**
   * Stops the binary: closes the pipe (SIGTERM, then SIGKILL after the grace period) and waits; if
   * the supervisor itself hangs, kills the whole process group after `timeoutMs`.
   */
  async stop(timeoutMs = 20_000): Promise<void> {
    this.stopRequested = true;
    if (this.hasExited) return;
    this.child.stdin?.destroy();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (result === "timeout" && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await this.exited;
    }
  }
}
