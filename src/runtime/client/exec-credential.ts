/** Runs a kubeconfig `exec` credential plugin (client.authentication.k8s.io) and caches its answer until expiry. */
import { UserError } from "../../errors.js";

/** The `exec` block of a kubeconfig user. */
export interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

/** What a plugin returned, in the shape the transport needs. */
export interface ExecResult {
  token?: string;
  cert?: string;
  key?: string;
  /** Epoch ms after which the credential must be fetched again; undefined = never expires. */
  expiresAt?: number;
}

interface ExecCredentialOutput {
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
}

/** Refresh this long before the stated expiry so no request goes out with a dying token. */
const EXPIRY_MARGIN_MS = 10_000;

/** Calls the plugin once per expiry window; concurrent callers share one run. */
export class ExecCredentialSource {
  private cached: ExecResult | undefined;
  private pending: Promise<ExecResult> | undefined;

  constructor(private readonly exec: ExecConfig, private readonly cluster: Record<string, unknown> | undefined, private readonly now: () => number = Date.now) {}

  /** The current credential, running the plugin when none is cached or it expired. */
  async get(): Promise<ExecResult> {
    const c = this.cached;
    if (c && (c.expiresAt === undefined || c.expiresAt - EXPIRY_MARGIN_MS > this.now())) return c;
    this.pending ??= this.run().finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached;
  }

  /** Forget the cached credential (after a 401). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async run(): Promise<ExecResult> {
    // node:child_process (and dgram with it) only for kubeconfigs that use a plugin.
    const { execFile } = await import("node:child_process");
    const apiVersion = this.exec.apiVersion ?? "client.authentication.k8s.io/v1";
    const info = { apiVersion, kind: "ExecCredential", spec: { interactive: false, ...(this.exec.provideClusterInfo && this.cluster ? { cluster: this.cluster } : {}) } };
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const e of this.exec.env ?? []) env[e.name] = e.value;
    return await new Promise((resolve, reject) => {
      execFile(this.exec.command, this.exec.args ?? [], { env, timeout: 60_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
        if (err) {
          const hint = this.exec.installHint?.trim() || "check the `exec` section of your kubeconfig user";
          reject(new UserError("kubeconfig-exec", `exec credential plugin ${this.exec.command} failed: ${err.message.split("\n")[0]}${stderr ? `: ${String(stderr).trim().split("\n")[0]}` : ""}`, { hint, cause: err }));
          return;
        }
        try {
          resolve(parseOutput(String(stdout), this.exec.command));
        } catch (e) {
          reject(e);
        }
      });
    });
  }
}

function parseOutput(stdout: string, command: string): ExecResult {
  let out: ExecCredentialOutput;
  try {
    out = JSON.parse(stdout) as ExecCredentialOutput;
  } catch (e) {
    throw new UserError("kubeconfig-exec", `exec credential plugin ${command} printed no ExecCredential JSON`, { hint: "the plugin must print a client.authentication.k8s.io ExecCredential on stdout", cause: e });
  }
  const s = out.status ?? {};
  if (!s.token && !(s.clientCertificateData && s.clientKeyData)) {
    throw new UserError("kubeconfig-exec", `exec credential plugin ${command} returned neither a token nor a client certificate`, { hint: "the plugin's ExecCredential must set status.token or status.clientCertificateData and clientKeyData; run it by hand to see what it prints" });
  }
  const expiresAt = s.expirationTimestamp ? Date.parse(s.expirationTimestamp) : undefined;
  return { token: s.token, cert: s.clientCertificateData, key: s.clientKeyData, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
}
