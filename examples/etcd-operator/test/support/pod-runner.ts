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
 * Plays the container runtime for the operator's pods, which no kubelet runs here: for each etcd
 * member pod it starts a REAL etcd process with the pod's own command line (listening on the
 * loopback URLs the pod advertises, an emptyDir-like data dir that survives restarts); it restarts
 * the process with the same data when the pod's image changes, stops it when the pod goes, and
 * marks the pod Failed when etcd dies (restartPolicy Never). For a backup Job's pod it performs the
 * `etcdctl snapshot save` of the pod's command through the same snapshot API etcdctl uses and
 * writes the file under the volume's directory. Without simulated nodes it also reports pod status
 * (phase, readiness, container image) as a kubelet would; with nodes, kwok does that part.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Client } from "tsop/runtime";
import { Pod } from "tsop/runtime/kinds";
import { EtcdClient } from "../../src/etcd/client.js";
import type { PodObject } from "../../src/cluster/resources.js";
import { EtcdProcess } from "./etcd-process.js";

/** Options of {@link PodRunner}. */
export interface PodRunnerOptions {
  namespace: string;
  /** Directory standing for the backup volumes: `/backup/<f>` of a hostPath `p` is `<root>/<p>/<f>`. */
  volumeRoot: string;
  /** Also write pod status (no kwok). */
  reportStatus: boolean;
  /** How often to look at the pods. Default: 200 ms. */
  intervalMs?: number;
}

/** One thing the runner did, for tests to assert the order of. */
export interface RunnerEvent {
  at: number;
  pod: string;
  what: "started" | "restarted" | "stopped" | "crashed" | "snapshot";
  detail?: string;
}

interface Member {
  proc: EtcdProcess;
  image: string;
  args: string[];
  restarts: number;
  dataDir: string;
  /** We stopped it (pod gone, or a restart): its exit is no crash. */
  stopping: boolean;
}

export class PodRunner {
  private readonly members = new Map<string, Member>();
  private readonly backups = new Set<string>();
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly log: RunnerEvent[] = [];

  constructor(private readonly client: Client, private readonly opts: PodRunnerOptions) {}

  /** What happened so far, in order. */
  get events(): readonly RunnerEvent[] {
    return this.log;
  }

  /** The running etcd process of a member pod. */
  process(pod: string): EtcdProcess | undefined {
    return this.members.get(pod)?.proc;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stop.signal.aborted) {
        try {
          await this.tick();
        } catch {
          // apiserver hiccup: try again on the next tick
        }
        await new Promise((r) => setTimeout(r, this.opts.intervalMs ?? 200));
      }
    })();
  }

  /** Stops watching and stops every etcd process. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await Promise.all([...this.members.values()].map((m) => ((m.stopping = true), m.proc.destroy())));
    this.members.clear();
  }

  private note(pod: string, what: RunnerEvent["what"], detail?: string): void {
    this.log.push({ at: Date.now(), pod, what, ...(detail ? { detail } : {}) });
  }

  private async tick(): Promise<void> {
    const pods = await this.client.direct.list(Pod, { namespace: this.opts.namespace, labelSelector: "app.kubernetes.io/name=etcd" });
    const live = new Set<string>();
    for (const pod of pods) {
      const name = pod.metadata?.name ?? "";
      const component = pod.metadata?.labels?.["app.kubernetes.io/component"];
      if (pod.metadata?.deletionTimestamp) continue;
      // With nodes, a pod runs once kube-scheduler bound it to a (kwok) node.
      if (!this.opts.reportStatus && !pod.spec?.nodeName) continue;
      if (component === "member") {
        live.add(name);
        await this.syncMember(pod);
      } else if (component === "backup" && !this.backups.has(name)) {
        this.backups.add(name);
        await this.runBackup(pod);
      }
    }
    for (const [name, m] of this.members) {
      if (live.has(name)) continue;
      m.stopping = true;
      await m.proc.destroy(); // the pod's emptyDir goes with it
      this.note(name, "stopped");
      this.members.delete(name);
    }
  }

  private async syncMember(pod: PodObject): Promise<void> {
    const name = pod.metadata?.name ?? "";
    const c = pod.spec?.containers.find((x) => x.name === "etcd");
    const image = c?.image ?? "";
    const have = this.members.get(name);
    if (have && have.image === image) return;
    if (have && have.proc.hasExited && !have.stopping) return; // crashed: the pod stays Failed
    const args = etcdArgs(c?.command ?? []);
    let m: Member;
    if (!have) {
      const proc = await EtcdProcess.start(name, args);
      m = { proc, image, args, restarts: 0, dataDir: proc.dataDir, stopping: false };
      this.note(name, "started", image);
    } else {
      // The image changed: the kubelet restarts the container, same pod, same emptyDir.
      have.stopping = true;
      await have.proc.stop();
      const proc = await EtcdProcess.start(name, args, have.dataDir);
      m = { proc, image, args, restarts: have.restarts + 1, dataDir: have.dataDir, stopping: false };
      this.note(name, "restarted", image);
    }
    this.members.set(name, m);
    void m.proc.exited.then(() => this.onExit(name, m));
    await this.reportRunning(pod, m);
  }

  private async onExit(name: string, m: Member): Promise<void> {
    if (m.stopping || this.stop.signal.aborted) return;
    this.note(name, "crashed");
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await this.client
      .patchStatus(Pod, name, {
        status: {
          phase: "Failed",
          conditions: [{ type: "Ready", status: "False", reason: "PodFailed", lastTransitionTime: now }],
          containerStatuses: [{ name: "etcd", image: m.image, imageID: "", ready: false, restartCount: m.restarts, state: { terminated: { exitCode: 137, reason: "Error", finishedAt: now } } }],
        },
      }, { namespace: this.opts.namespace, type: "merge" })
      .catch(() => undefined);
  }

  /** The kubelet's report: Running/Ready without kwok; only the container's new image with kwok. */
  private async reportRunning(pod: PodObject, m: Member): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const container = { name: "etcd", image: m.image, imageID: "", ready: true, started: true, restartCount: m.restarts, state: { running: { startedAt: now } } };
    const status = this.opts.reportStatus
      ? { phase: "Running", podIP: "127.0.0.1", startTime: now, conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }, { type: "ContainersReady", status: "True", lastTransitionTime: now }], containerStatuses: [container] }
      : m.restarts > 0 ? { containerStatuses: [container] } : undefined;
    if (!status) return;
    await this.client.patchStatus(Pod, pod.metadata?.name ?? "", { status }, { namespace: this.opts.namespace, type: "merge" });
  }

  /** `etcdctl --endpoints=URL snapshot save /backup/FILE`, done through etcd's snapshot API. */
  private async runBackup(pod: PodObject): Promise<void> {
    const name = pod.metadata?.name ?? "";
    const cmd = pod.spec?.containers[0]?.command ?? [];
    const endpoint = cmd.find((a) => a.startsWith("--endpoints="))?.slice("--endpoints=".length) ?? "";
    const save = cmd.indexOf("save");
    const file = save >= 0 ? cmd[save + 1] ?? "" : "";
    const vol = pod.spec?.volumes?.find((v) => v.name === "backup");
    const root = vol?.hostPath?.path ?? vol?.persistentVolumeClaim?.claimName ?? "emptydir";
    const target = join(this.opts.volumeRoot, root, file.replace(/^\/backup\//, ""));
    try {
      const data = await new EtcdClient(endpoint, { timeoutMs: 30_000 }).snapshot();
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
      this.note(name, "snapshot", target);
      if (this.opts.reportStatus) await this.client.patchStatus(Pod, name, { status: { phase: "Succeeded" } }, { namespace: this.opts.namespace, type: "merge" });
    } catch (e) {
      this.note(name, "snapshot", `failed: ${String(e)}`);
      if (this.opts.reportStatus) await this.client.patchStatus(Pod, name, { status: { phase: "Failed" } }, { namespace: this.opts.namespace, type: "merge" });
    }
  }
}

/**
 * The pod's etcd flags for a loopback process: the advertised URLs become the listen URLs (the pod
 * listens on 0.0.0.0 inside its own network namespace; here every member shares 127.0.0.1).
 */
export function etcdArgs(command: string[]): string[] {
  const flags = command.slice(1);
  const get = (f: string) => flags.find((a) => a.startsWith(`--${f}=`))?.slice(f.length + 3) ?? "";
  return flags
    .map((a) => (a.startsWith("--listen-client-urls=") ? `--listen-client-urls=${get("advertise-client-urls")}` : a))
    .map((a) => (a.startsWith("--listen-peer-urls=") ? `--listen-peer-urls=${get("initial-advertise-peer-urls")}` : a))
    .concat(["--heartbeat-interval=50", "--election-timeout=500", "--log-level=warn"]);
}
