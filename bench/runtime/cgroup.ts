// A memory cgroup for the benches' operator processes, so they run under a memory limit as in a pod
// (the scaffold's config/manager/manager.yaml sets limits.memory: 256Mi). Node reads the limit at
// start and sizes V8's heap from it (at 256 MiB: a 259 MiB heap limit and 1 MiB semi-spaces, where an
// unlimited process gets 16 MiB ones); Go's runtime does not look at it. Needs a writable cgroup
// v2 hierarchy with the memory controller, or cgroup v1's memory hierarchy (root in this VM).
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface MemoryCgroup {
  dir: string;
  /** The command, wrapped so that the process joins the cgroup before it execs (same pid). */
  wrap(cmd: string[]): string[];
  remove(): void;
}

const V2 = "/sys/fs/cgroup";
const V1 = "/sys/fs/cgroup/memory";

export function memoryCgroup(limitMiB: number): MemoryCgroup {
  const name = `tsop-bench-${process.pid}`;
  const bytes = String(limitMiB * 1048576);
  let dir: string;
  try {
    if (existsSync(join(V2, "cgroup.controllers")) && readFileSync(join(V2, "cgroup.subtree_control"), "utf8").includes("memory")) {
      dir = join(V2, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "memory.max"), bytes);
    } else if (existsSync(join(V1, "memory.limit_in_bytes"))) {
      dir = join(V1, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "memory.limit_in_bytes"), bytes);
    } else {
      throw new Error("no cgroup v2 memory controller and no cgroup v1 memory hierarchy");
    }
  } catch (e) {
    throw new Error(`--memory-limit: cannot create a memory cgroup (${(e as Error).message}); run as root on a machine with cgroups, or leave --memory-limit out`);
  }
  return {
    dir,
    wrap: (cmd) => ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir, ...cmd],
    remove: () => {
      try { rmdirSync(dir); } catch { /* still has processes: left for the OS */ }
    },
  };
}
