/**
 * A cross-process lock file (holds the builder's pid; a lock whose process died is taken over).
 * @module
 */
import { openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { sleep } from "./http.js";

function holderAlive(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch {
    return undefined;
  }
  if (!Number.isFinite(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" ? pid : undefined;
  }
}

/**
 * Runs `fn` while holding `path`. Waits (reporting through `progress` every 30 s) while another live
 * process holds it; removes a lock left by a dead process.
 */
export async function withLock<T>(path: string, progress: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  let waitedSince: number | undefined;
  let lastReport = 0;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = holderAlive(path);
    if (holder === undefined) {
      // Written but not yet filled in by its creator? Give it a moment before taking it over.
      await sleep(200);
      if (holderAlive(path) === undefined) rmSync(path, { force: true });
      continue;
    }
    waitedSince ??= Date.now();
    if (Date.now() - lastReport > 30_000) {
      progress(`tsop envtest: waiting for another build (pid ${holder}, lock ${path})`);
      lastReport = Date.now();
    }
    await sleep(1000);
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
