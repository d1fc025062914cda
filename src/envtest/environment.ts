/**
 * `Environment`: a real etcd + kube-apiserver on loopback, optionally with kube-controller-manager and
 * simulated nodes (kube-scheduler + kwok) on which pods run.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { ensureBinaries, type Binaries } from "./binaries.js";
import { generateControlPlaneCerts, generateWebhookServingCerts, type ControlPlaneCerts } from "./certs.js";
import {
  CERT_FILES, apiServerArgs, controllerManagerArgs, etcdArgs, schedulerArgs, waitApiServerReady, waitEtcdReady, waitHealthz,
} from "./control-plane.js";
import { resolveControllers } from "./controllers.js";
import { applyCrds, loadCrds } from "./crds.js";
import { WaitAbortedError, httpRequest, type TlsMaterial } from "./http.js";
import { renderKubeconfig, writeFileAtomic } from "./kubeconfig.js";
import { kwokArgs, registerNodes, untaintReadyNodes, waitNodesReady } from "./nodes.js";
import { freePort } from "./ports.js";
import { SupervisedProcess } from "./process.js";
import {
  installWebhookConfigs, loadWebhookConfigs, localizeConversion, localizeWebhookConfig, waitForWebhookServer,
  type LocalWebhookServing, type WebhookInstallOptions,
} from "./webhooks.js";

/** Options for {@link Environment}. */
export interface EnvironmentOptions {
  /** Files or directories of CRDs to install after start. Default: none. */
  crdDirectoryPaths?: string[];
  /** CRD objects to install after start. Default: none. */
  crds?: object[];
  /** Directory searched for binaries after TEST_ASSET_* and KUBEBUILDER_ASSETS. Default: none. */
  binaryAssetsDirectory?: string;
  /** Kubernetes version of the binaries (found in or built into tsop's cache). Default: `TSOP_ENVTEST_K8S_VERSION`, else `1.37.2`. */
  k8sVersion?: string;
  /** How long each component may take to become ready. Default: `KUBEBUILDER_CONTROLPLANE_START_TIMEOUT` (e.g. `90s`), else 60000. */
  startTimeoutMs?: number;
  /**
   * Also run kube-controller-manager: `true` for the controllers a workload needs (deployment,
   * replicaset, statefulset, daemonset, job, endpointslice, serviceaccount, serviceaccount-token,
   * garbage-collector, namespace), or a list of kube-controller-manager controller names
   * (`["deployment", "replicaset"]`). Default: `true` when `nodes` > 0, else none.
   */
  withControllers?: boolean | readonly string[];
  /**
   * Register this many simulated nodes and run kube-scheduler and kwok, so pods are scheduled and
   * move to Running/Ready (Jobs' pods to Succeeded) with no kubelet. Default: 0 (no nodes).
   */
  nodes?: number;
  /** Copy the binaries' output to this process. Default: `KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT=true`. */
  attachOutput?: boolean;
  /** Extra kube-apiserver flags (`--name=value`). Default: none. */
  apiServerArgs?: string[];
  /**
   * Webhooks to install (config/webhook/manifests.yaml), pointed at a local webhook server whose
   * host, port and certificate `start()` hands back as `webhook`. CRDs with a Webhook conversion are
   * pointed there too (even without this option). Default: none.
   */
  webhookInstallOptions?: WebhookInstallOptions;
  /** Receives build progress when binaries must be built. Default: lines on stderr. */
  onProgress?: (line: string) => void;
}

/** What `start()` hands back. */
export interface StartedEnvironment {
  /** Admin kubeconfig (YAML; cluster/user/context `envtest`, CA and client cert inlined). */
  kubeconfig: string;
  /** The same kubeconfig, written in the environment's temp dir. */
  kubeconfigPath: string;
  /** `https://127.0.0.1:PORT`. */
  server: string;
  /** CA, client certificate and key (PEM) of the admin user, for plain HTTPS clients. */
  tls: TlsMaterial;
  /**
   * Where the operator's webhook server must listen, with its certificate directory, when webhooks
   * or conversion webhooks were installed: `Manager.create({ ...started.webhook.managerOptions })`.
   */
  webhook?: LocalWebhookServing;
}

/** A user added with {@link Environment.addUser}. */
export interface EnvironmentUser {
  /** Kubeconfig (YAML) for this user; cluster/context `envtest`. */
  kubeconfig: string;
  /** The same kubeconfig written in the environment's temp dir. */
  kubeconfigPath: string;
  /** CA, client certificate and key (PEM) of this user. */
  tls: TlsMaterial;
}

interface Running {
  dir: string;
  certs: ControlPlaneCerts;
  bins: Binaries;
  etcdPort: number;
  apiPort: number;
  started: StartedEnvironment;
  etcd: SupervisedProcess;
  apiServer: SupervisedProcess;
  controllerManager?: SupervisedProcess;
  scheduler?: SupervisedProcess;
  kwok?: SupervisedProcess;
}

const START_ATTEMPTS = 3;

/** A local control plane for tests and `tsop run --local`. Several can run at once. */
export class Environment {
  private readonly opts: EnvironmentOptions;
  private running: Running | undefined;
  private starting: Promise<StartedEnvironment> | undefined;

  private readonly nodes: number;
  private readonly controllers: string[];

  /** Throws a {@link UserError} for a bad `nodes` count or an unknown controller name. */
  constructor(opts: EnvironmentOptions = {}) {
    this.opts = opts;
    const nodes = opts.nodes ?? 0;
    if (!Number.isSafeInteger(nodes) || nodes < 0) {
      throw new UserError("envtest-bad-nodes", `nodes must be a whole number >= 0, not ${String(opts.nodes)}`, { hint: "e.g. nodes: 3" });
    }
    this.nodes = nodes;
    this.controllers = resolveControllers(opts.withControllers ?? nodes > 0);
  }

  /** Finds (or builds) the binaries, starts the control plane, installs the configured CRDs. */
  start(): Promise<StartedEnvironment> {
    this.starting ??= this.doStart().catch((e: unknown) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private get timeoutMs(): number {
    return this.opts.startTimeoutMs ?? parseDurationMs(process.env["KUBEBUILDER_CONTROLPLANE_START_TIMEOUT"]) ?? 60_000;
  }

  private async doStart(): Promise<StartedEnvironment> {
    // Read the CRD files first: a wrong path fails before anything is started.
    const crds = [...loadCrds(this.opts.crdDirectoryPaths ?? []), ...(this.opts.crds ?? [])];
    const hooks = this.opts.webhookInstallOptions;
    const webhookConfigs = [
      ...loadWebhookConfigs(hooks?.paths ?? []),
      ...((hooks?.mutatingWebhooks ?? []) as Record<string, unknown>[]).map((c) => ({ kind: "MutatingWebhookConfiguration", ...c })),
      ...((hooks?.validatingWebhooks ?? []) as Record<string, unknown>[]).map((c) => ({ kind: "ValidatingWebhookConfiguration", ...c })),
    ];
    const converting = crds.some((c) => (c as { spec?: { conversion?: { strategy?: string } } }).spec?.conversion?.strategy === "Webhook");
    const bins = await ensureBinaries({
      ...(this.opts.k8sVersion ? { k8sVersion: this.opts.k8sVersion } : {}),
      ...(this.opts.binaryAssetsDirectory ? { binaryAssetsDirectory: this.opts.binaryAssetsDirectory } : {}),
      withControllerManager: this.controllers.length > 0,
      withScheduler: this.nodes > 0,
      withKwok: this.nodes > 0,
      onProgress: this.opts.onProgress ?? ((line) => process.stderr.write(`${line}\n`)),
    });
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        this.running = await this.startOnce(bins);
        break;
      } catch (e) {
        lastError = e;
        const partial = this.running;
        this.running = undefined;
        if (partial) await teardown(partial);
        // A component that exited at once usually lost a port race with another process: retry with
        // new ports. A timeout would only repeat itself.
        if (!(e instanceof WaitAbortedError)) break;
      }
    }
    const run = this.running as Running | undefined;
    if (!run) throw lastError;
    try {
      if (hooks || converting) {
        const serving = await this.prepareWebhookServing(run, hooks ?? {});
        run.started.webhook = serving;
      }
      if (crds.length > 0) await this.installCRDs(crds);
      const serving = run.started.webhook;
      if (serving && webhookConfigs.length > 0) {
        await installWebhookConfigs(run.started.server, run.started.tls, webhookConfigs.map((c) => localizeWebhookConfig(c, serving)), this.timeoutMs);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    return run.started;
  }

  /** A serving certificate (and the CA the installed webhooks trust) in the temp dir, and a port. */
  private async prepareWebhookServing(run: Running, hooks: WebhookInstallOptions): Promise<LocalWebhookServing> {
    const certs = await generateWebhookServingCerts();
    const certDir = join(run.dir, "webhook-certs");
    mkdirSync(certDir, { mode: 0o700 });
    writeFileSync(join(certDir, "tls.crt"), certs.serving.cert);
    writeFileSync(join(certDir, "tls.key"), certs.serving.key, { mode: 0o600 });
    writeFileSync(join(certDir, "ca.crt"), certs.ca.cert);
    const host = hooks.localServingHost ?? "127.0.0.1";
    const port = hooks.localServingPort ?? (await freePort());
    return { host, port, certDir, caPem: certs.ca.cert, managerOptions: { webhookHost: host, webhookPort: port, webhookCertPath: certDir } };
  }

  /**
   * Resolves once the operator's webhook server answers TLS on the installed address (call it after
   * starting the manager, before the first request that goes through a webhook).
   */
  async waitForWebhooks(): Promise<void> {
    const serving = this.requireRunning("waitForWebhooks").started.webhook;
    if (!serving) throw new Error("Environment.waitForWebhooks: no webhooks were installed (pass webhookInstallOptions)");
    await waitForWebhookServer(serving, this.timeoutMs);
  }

  private spawn(name: string, binary: string, args: string[], dir: string, cleanupDir?: string): SupervisedProcess {
    const attach = this.opts.attachOutput ?? process.env["KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT"] === "true";
    return new SupervisedProcess({
      name, binary, args, logFile: join(dir, `${name}.log`), attachOutput: attach, ...(cleanupDir ? { cleanupDir } : {}),
    });
  }

  private async startOnce(bins: Binaries): Promise<Running> {
    const dir = mkdtempSync(join(tmpdir(), "tsop-envtest-"));
    const certDir = join(dir, "certs");
    mkdirSync(certDir, { mode: 0o700 });
    const certs = await generateControlPlaneCerts();
    writeFileSync(join(certDir, CERT_FILES.servingCert), certs.serving.cert);
    writeFileSync(join(certDir, CERT_FILES.servingKey), certs.serving.key, { mode: 0o600 });
    writeFileSync(join(certDir, CERT_FILES.servingCA), certs.servingCA.cert);
    writeFileSync(join(certDir, CERT_FILES.clientCA), certs.clientCA.cert);
    writeFileSync(join(certDir, CERT_FILES.saKey), certs.serviceAccount.key, { mode: 0o600 });
    writeFileSync(join(certDir, CERT_FILES.saPub), certs.serviceAccount.publicKey);
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const server = `https://127.0.0.1:${apiPort}`;
    const tls: TlsMaterial = { ca: certs.servingCA.cert, cert: certs.admin.cert, key: certs.admin.key };
    const kubeconfig = renderKubeconfig({ server, caPem: tls.ca, certPem: tls.cert, keyPem: tls.key });
    const kubeconfigPath = join(dir, "kubeconfig");
    const started: StartedEnvironment = { kubeconfig, kubeconfigPath, server, tls };
    // etcd lives as long as the environment; its supervisor removes the temp dir if we die.
    const etcd = this.spawn("etcd", bins.etcd, etcdArgs(join(dir, "etcd"), etcdPort, peerPort), dir, dir);
    const run: Running = { dir, certs, bins, etcdPort, apiPort, started, etcd, apiServer: undefined as unknown as SupervisedProcess };
    this.running = run;
    await waitEtcdReady(etcd, etcdPort, this.timeoutMs);
    run.apiServer = await this.launchApiServer(run);
    writeFileAtomic(kubeconfigPath, kubeconfig);
    await this.startWorkloadSide(run, bins);
    return run;
  }

  /** kube-controller-manager, kube-scheduler and kwok (each when asked for), started together. */
  private async startWorkloadSide(run: Running, bins: Binaries): Promise<void> {
    const { dir } = run;
    const { kubeconfigPath, server, tls } = run.started;
    const waits: Promise<void>[] = [];
    const componentCertDir = (name: string): string => {
      const d = join(dir, `${name}-certs`);
      mkdirSync(d, { mode: 0o700 });
      return d;
    };
    if (this.controllers.length > 0 && bins.kubeControllerManager) {
      const port = await freePort();
      const args = controllerManagerArgs(kubeconfigPath, componentCertDir("kcm"), port, this.controllers, join(dir, "certs"));
      run.controllerManager = this.spawn("kube-controller-manager", bins.kubeControllerManager, args, dir);
      waits.push(waitHealthz(run.controllerManager, port, this.timeoutMs));
    }
    if (this.nodes > 0 && bins.kubeScheduler && bins.kwok && bins.kwokStages) {
      const port = await freePort();
      run.scheduler = this.spawn("kube-scheduler", bins.kubeScheduler, schedulerArgs(kubeconfigPath, componentCertDir("scheduler"), port), dir);
      waits.push(waitHealthz(run.scheduler, port, this.timeoutMs));
      run.kwok = this.spawn("kwok", bins.kwok, kwokArgs(kubeconfigPath, bins.kwokStages), dir);
      const kwok = run.kwok;
      waits.push((async () => {
        await registerNodes(server, tls, this.nodes);
        await waitNodesReady(kwok, server, tls, this.nodes, this.timeoutMs);
        await untaintReadyNodes(server, tls, this.nodes);
      })());
    }
    await Promise.all(waits);
  }

  private async launchApiServer(run: Running): Promise<SupervisedProcess> {
    const args = apiServerArgs(join(run.dir, "certs"), run.etcdPort, run.apiPort, this.opts.apiServerArgs);
    const proc = this.spawn("kube-apiserver", run.bins.kubeApiserver, args, run.dir);
    run.apiServer = proc;
    await waitApiServerReady(proc, run.started.server, run.started.tls, this.timeoutMs);
    return proc;
  }

  private requireRunning(what: string): Running {
    if (!this.running?.apiServer) throw new Error(`Environment.${what}: the environment is not started`);
    return this.running;
  }

  /**
   * Installs CRDs (file/directory paths or objects) and waits until they are Established and
   * discoverable. A Webhook conversion is pointed at the local webhook server when there is one.
   */
  async installCRDs(crds: (string | object)[]): Promise<void> {
    const run = this.requireRunning("installCRDs");
    const serving = run.started.webhook;
    const objects = crds.flatMap((c) => (typeof c === "string" ? loadCrds([c]) : [c])).map((c) => (serving ? localizeConversion(c, serving) : c));
    await applyCrds(run.started.server, run.started.tls, objects, this.timeoutMs);
  }

  /**
   * Adds a user authenticated by a client certificate (CN = `name`, O = each group) and returns its
   * kubeconfig. Unlike the admin (`system:masters`), such a user has only the rights RBAC gives it:
   * use it to test Roles and ClusterRoles.
   */
  async addUser(name: string, groups: string[] = []): Promise<EnvironmentUser> {
    const run = this.requireRunning("addUser");
    for (const v of [name, ...groups]) {
      if (!/^[A-Za-z0-9:._@-]+$/.test(v)) {
        throw new UserError("envtest-bad-user", `"${v}" cannot be used as a user or group name here`, { hint: "use letters, digits and : . _ @ -" });
      }
    }
    const pair = await run.certs.issueClientCert(name, groups);
    const tls: TlsMaterial = { ca: run.started.tls.ca, cert: pair.cert, key: pair.key };
    const kubeconfig = renderKubeconfig({ server: run.started.server, caPem: tls.ca, certPem: tls.cert, keyPem: tls.key });
    const kubeconfigPath = join(run.dir, `kubeconfig-${name.replace(/[^A-Za-z0-9._-]/g, "_")}`);
    writeFileAtomic(kubeconfigPath, kubeconfig);
    return { kubeconfig, kubeconfigPath, tls };
  }

  /** Stops kube-apiserver and starts it again on the same port, certificates and etcd (fault tests). */
  async restartApiServer(): Promise<void> {
    const run = this.requireRunning("restartApiServer");
    await run.apiServer.stop();
    await this.launchApiServer(run);
  }

  /** Stops kube-apiserver without restarting it (fault tests); {@link startApiServer} brings it back. */
  async stopApiServer(): Promise<void> {
    await this.requireRunning("stopApiServer").apiServer.stop();
  }

  /** Starts kube-apiserver again after {@link stopApiServer}. */
  async startApiServer(): Promise<void> {
    const run = this.requireRunning("startApiServer");
    if (!run.apiServer.hasExited) return;
    await this.launchApiServer(run);
  }

  /**
   * Compacts etcd up to its current revision (physically) and returns that revision. Watches that
   * reach etcd with an older resourceVersion then get 410 Gone; the apiserver's watch cache keeps
   * serving recent events until it is re-initialized (e.g. by {@link restartApiServer}).
   */
  async compactEtcd(): Promise<number> {
    const run = this.requireRunning("compactEtcd");
    const base = `http://127.0.0.1:${run.etcdPort}`;
    const range = await httpRequest({ method: "POST", url: `${base}/v3/kv/range`, body: JSON.stringify({ key: "AA==", limit: 1 }) });
    const revision = Number((JSON.parse(range.body) as { header?: { revision?: string } }).header?.revision);
    if (!Number.isFinite(revision)) throw new Error(`etcd range did not report a revision: ${range.body}`);
    const res = await httpRequest({ method: "POST", url: `${base}/v3/kv/compaction`, body: JSON.stringify({ revision, physical: true }) });
    if (res.status !== 200) throw new Error(`etcd compaction failed (HTTP ${res.status}): ${res.body}`);
    return revision;
  }

  /**
   * Resolves with a message when etcd, kube-apiserver, kube-controller-manager, kube-scheduler or kwok exits without
   * being asked to (not on `stop()`, `stopApiServer()` or `restartApiServer()`). For foreground use.
   */
  unexpectedExit(): Promise<string> {
    const run = this.requireRunning("unexpectedExit");
    const watchOne = async (get: () => SupervisedProcess | undefined): Promise<string> => {
      for (;;) {
        const proc = get();
        if (!proc) return new Promise<string>(() => {});
        const code = await proc.waitExit();
        if (this.running !== run) return new Promise<string>(() => {});
        if (proc === get() && !proc.stopRequested) return `${proc.name} exited with code ${code}; its last output:\n${proc.logTail()}`;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const components = [() => run.etcd, () => run.apiServer, () => run.controllerManager, () => run.scheduler, () => run.kwok];
    return Promise.race(components.map(watchOne));
  }

  /** Stops every process and removes the temp dir. Safe to call twice or before start. */
  async stop(): Promise<void> {
    const run = this.running;
    this.running = undefined;
    this.starting = undefined;
    if (run) await teardown(run);
  }
}

async function teardown(run: Running): Promise<void> {
  await Promise.all([run.kwok?.stop(), run.scheduler?.stop(), run.controllerManager?.stop()]);
  await run.apiServer?.stop();
  await run.etcd.stop();
  rmSync(run.dir, { recursive: true, force: true });
}

/** Parses a Go-style duration (`90s`, `2m`, `1m30s`, `500ms`) or plain milliseconds; undefined if absent or invalid. */
export function parseDurationMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value.trim();
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (units[m[2] as string] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return total;
}
