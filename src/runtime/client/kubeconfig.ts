/**
 * Loads cluster connection settings like kubectl does: an explicit file, the KUBECONFIG list
 * (first file wins per entry), ~/.kube/config, then the in-cluster service account.
 * @module
 */
import { readFileSync, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve, delimiter } from "node:path";
import { UserError } from "../../errors.js";
import { yamlErrorLine } from "../../yaml-error.js";
import { ExecCredentialSource, type ExecConfig } from "./exec-credential.js";
import { parseSimpleYaml } from "./simple-yaml.js";

/** Per-request authentication: headers plus an optional client certificate (from exec plugins). */
export interface Credentials {
  headers: Record<string, string>;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** Everything the transport needs to reach and authenticate to one apiserver. */
export interface ClusterConfig {
  /** Base URL, e.g. `https://127.0.0.1:6443`, without a trailing slash. */
  server: string;
  /** PEM CA bundle; undefined = the system roots. */
  ca?: Buffer;
  /** PEM client certificate and key (static ones from the kubeconfig). */
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTLSVerify: boolean;
  /** SNI / verification name when it differs from the server host. */
  tlsServerName?: string;
  /** The context's namespace, or the service account's, or `default`. */
  namespace: string;
  /** The context used, `in-cluster` for the service account. */
  contextName: string;
  /** Authentication for the next request (tokens re-read / refreshed as needed). */
  credentials(): Promise<Credentials>;
  /** Drop cached credentials (called by the transport after a 401). */
  invalidateCredentials(): void;
}

/** Options of {@link loadKubeConfig}. */
export interface LoadKubeConfigOptions {
  /** Path of a kubeconfig file. Default: $KUBECONFIG (a list), then ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** Context to use. Default: the file's current-context. */
  context?: string;
  /** Environment to read KUBECONFIG/KUBERNETES_SERVICE_* from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for ~/.kube/config. Default: os.homedir(). */
  home?: string;
  /** Directory of the in-cluster service account files. Default: /var/run/secrets/kubernetes.io/serviceaccount. */
  serviceAccountDir?: string;
}

interface Named<T> { name: string; value: T; file: string }
interface RawCluster { server?: string; "certificate-authority"?: string; "certificate-authority-data"?: string; "insecure-skip-tls-verify"?: boolean; "tls-server-name"?: string; "proxy-url"?: string }
interface RawUser { token?: string; tokenFile?: string; username?: string; password?: string; "client-certificate"?: string; "client-certificate-data"?: string; "client-key"?: string; "client-key-data"?: string; exec?: ExecConfig; "auth-provider"?: unknown }
interface RawContext { cluster?: string; user?: string; namespace?: string }
interface Merged { clusters: Map<string, Named<RawCluster>>; users: Map<string, Named<RawUser>>; contexts: Map<string, Named<RawContext>>; current?: string; files: string[] }

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Token files (service account, tokenFile) are re-read at most this often, to follow rotation. */
const TOKEN_FILE_TTL_MS = 60_000;

/** Loads the cluster config; throws UserError with the file and a fix on any mistake. */
export async function loadKubeConfig(opts: LoadKubeConfigOptions = {}): Promise<ClusterConfig> {
  const env = opts.env ?? process.env;
  const files = configFiles(opts, env);
  if (files.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) return inClusterConfig(env, opts.serviceAccountDir ?? SA_DIR);
    throw new UserError("kubeconfig-missing", "no kubeconfig found: KUBECONFIG is unset, ~/.kube/config does not exist and this is not a pod", { hint: "pass --kubeconfig or set KUBECONFIG" });
  }
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map(), files };
  for (const file of files) mergeOne(merged, file, await parseKubeconfig(file, readKubeconfigFile(file)));
  return fromMerged(merged, opts.context);
}

/** Builds a config from kubeconfig YAML text (e.g. envtest's), relative paths resolved against `baseDir`. */
export async function kubeConfigFromYaml(text: string, opts: { context?: string; baseDir?: string; file?: string } = {}): Promise<ClusterConfig> {
  const file = opts.file ?? join(opts.baseDir ?? process.cwd(), "<inline kubeconfig>");
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [file] };
  mergeOne(merged, file, await parseKubeconfig(file, text));
  return fromMerged(merged, opts.context);
}

/**
 * The document in a kubeconfig file. JSON (which kubectl also reads) is parsed as JSON, the plain
 * YAML kubectl/kind/envtest write by {@link parseSimpleYaml}; anything else by the YAML parser,
 * loaded on first use: an in-cluster config or a JSON or plain YAML kubeconfig never loads it (its
 * module is a third of the runtime's bundle).
 */
async function parseKubeconfig(file: string, text: string): Promise<unknown> {
  if (text.trimStart().startsWith("{")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not valid JSON after all: the YAML parser reads it or says where it is wrong.
    }
  }
  // The plain YAML kubeconfigs are written in, without loading the YAML parser (undefined: not plain).
  const simple = parseSimpleYaml(text);
  if (simple !== undefined) return simple;
  const { parse } = await import("yaml");
  try {
    return parse(text) as unknown;
  } catch (e) {
    const { what, line, col } = yamlErrorLine(e);
    throw new UserError("kubeconfig-invalid", `invalid YAML in kubeconfig: ${what}`, { location: { file, line, col }, hint: "fix the YAML syntax", cause: e });
  }
}

function configFiles(opts: LoadKubeConfigOptions, env: NodeJS.ProcessEnv): string[] {
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new UserError("kubeconfig-missing", `kubeconfig ${opts.kubeconfig} does not exist`, { hint: "pass an existing file with --kubeconfig" });
    return [resolve(opts.kubeconfig)];
  }
  if (env.KUBECONFIG) {
    const list = env.KUBECONFIG.split(delimiter).filter((f) => f !== "");
    const present = list.filter((f) => existsSync(f)).map((f) => resolve(f));
    if (present.length === 0) throw new UserError("kubeconfig-missing", `none of the KUBECONFIG files exist: ${env.KUBECONFIG}`, { hint: "fix KUBECONFIG or unset it" });
    return present;
  }
  const home = join(opts.home ?? homedir(), ".kube", "config");
  return existsSync(home) ? [home] : [];
}

/** The file's text; a directory or an unreadable file is the user's to fix, said with the path. */
function readKubeconfigFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const what = code === "EISDIR" ? "the kubeconfig path is a directory, not a file" : `cannot read the kubeconfig: ${String(code ?? (e as Error).message)}`;
    throw new UserError("kubeconfig-unreadable", what, { location: { file }, hint: "pass the path of a kubeconfig file with --kubeconfig or KUBECONFIG", cause: e });
  }
}

function mergeOne(merged: Merged, file: string, doc: unknown): void {
  if (doc === null || doc === undefined) return;
  if (typeof doc !== "object" || Array.isArray(doc)) throw new UserError("kubeconfig-invalid", "kubeconfig is not a YAML mapping", { location: { file }, hint: "a kubeconfig has clusters, users and contexts" });
  const d = doc as { clusters?: unknown; users?: unknown; contexts?: unknown; "current-context"?: unknown };
  addAll(merged.clusters, d.clusters, "cluster", file);
  addAll(merged.users, d.users, "user", file);
  addAll(merged.contexts, d.contexts, "context", file);
  if (merged.current === undefined && typeof d["current-context"] === "string" && d["current-context"] !== "") merged.current = d["current-context"];
}

function addAll<T>(into: Map<string, Named<T>>, list: unknown, field: string, file: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new UserError("kubeconfig-invalid", `\`${field}s\` must be a list`, { location: { file }, hint: `write ${field}s as a YAML list of {name, ${field}} entries (kubectl config view shows the shape)` });
  for (const entry of list as { name?: unknown; [k: string]: unknown }[]) {
    if (!entry || typeof entry.name !== "string") throw new UserError("kubeconfig-invalid", `a ${field} entry has no name`, { location: { file }, hint: `give every entry of ${field}s a name` });
    if (!into.has(entry.name)) into.set(entry.name, { name: entry.name, value: (entry[field] ?? {}) as T, file });
  }
}

function fromMerged(m: Merged, contextOpt: string | undefined): ClusterConfig {
  const where = { file: m.files.join(delimiter) };
  const ctxName = contextOpt ?? m.current;
  if (!ctxName) throw new UserError("kubeconfig-context", "kubeconfig has no current-context", { location: where, hint: `set current-context (kubectl config use-context NAME) or pass a context (--context); known contexts: ${[...m.contexts.keys()].join(", ") || "none"}` });
  const ctx = m.contexts.get(ctxName);
  if (!ctx) throw new UserError("kubeconfig-context", `context "${ctxName}" not found in kubeconfig`, { location: where, hint: `known contexts: ${[...m.contexts.keys()].join(", ") || "none"}` });
  const cl = ctx.value.cluster ? m.clusters.get(ctx.value.cluster) : undefined;
  if (!cl) throw new UserError("kubeconfig-cluster", `context "${ctxName}" refers to unknown cluster "${ctx.value.cluster ?? ""}"`, { location: { file: ctx.file }, hint: `set contexts[].context.cluster to one of: ${[...m.clusters.keys()].join(", ") || "none (add a cluster)"}` });
  const server = cl.value.server;
  if (!server) throw new UserError("kubeconfig-cluster", `cluster "${cl.name}" has no server`, { location: { file: cl.file }, hint: "set clusters[].cluster.server to the apiserver's URL, e.g. https://127.0.0.1:6443, or run kubectl config set-cluster NAME --server=URL" });
  if (typeof server !== "string" || !URL.canParse(server) || !/^https?:$/.test(new URL(server).protocol)) {
    throw new UserError("kubeconfig-cluster", `cluster "${cl.name}" has a server that is not an http(s) URL: ${JSON.stringify(server)}`, { location: { file: cl.file }, hint: "set clusters[].cluster.server to a URL like https://127.0.0.1:6443" });
  }
  if (cl.value["proxy-url"]) throw new UserError("kubeconfig-cluster", `cluster "${cl.name}" sets proxy-url, which tsop does not support yet`, { location: { file: cl.file }, hint: "remove proxy-url and reach the apiserver directly (or through a tunnel)" });
  const user = ctx.value.user ? m.users.get(ctx.value.user) : undefined;
  if (ctx.value.user && !user) throw new UserError("kubeconfig-user", `context "${ctxName}" refers to unknown user "${ctx.value.user}"`, { location: { file: ctx.file }, hint: `set contexts[].context.user to one of: ${[...m.users.keys()].join(", ") || "none (add a user)"}` });
  const u: RawUser = user?.value ?? {};
  const userDir = dirname(user?.file ?? cl.file);
  if (u["auth-provider"]) throw new UserError("kubeconfig-user", `user "${user?.name}" uses auth-provider, which tsop does not support`, { location: { file: user?.file ?? cl.file }, hint: "use an exec credential plugin (e.g. kubelogin, gke-gcloud-auth-plugin)" });
  const clusterDir = dirname(cl.file);
  const ca = dataOrFile(cl.value["certificate-authority-data"], cl.value["certificate-authority"], clusterDir, cl.file);
  const cert = dataOrFile(u["client-certificate-data"], u["client-certificate"], userDir, user?.file ?? "");
  const key = dataOrFile(u["client-key-data"], u["client-key"], userDir, user?.file ?? "");
  const auth = authFor(u, userDir, { server, "certificate-authority-data": ca?.toString("base64"), "insecure-skip-tls-verify": cl.value["insecure-skip-tls-verify"] ?? false });
  return {
    server: server.replace(/\/+$/, ""),
    ca,
    cert,
    key,
    insecureSkipTLSVerify: cl.value["insecure-skip-tls-verify"] === true,
    tlsServerName: cl.value["tls-server-name"],
    namespace: ctx.value.namespace || "default",
    contextName: ctxName,
    ...auth,
  };
}

function dataOrFile(data: string | undefined, file: string | undefined, baseDir: string, source: string): Buffer | undefined {
  if (data) return Buffer.from(data, "base64");
  if (!file) return undefined;
  const path = isAbsolute(file) ? file : join(baseDir, file);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError("kubeconfig-file", `cannot read ${path}: ${(e as Error).message}`, { location: { file: source }, hint: "fix the path in the kubeconfig (relative paths are relative to the kubeconfig file)", cause: e });
  }
}

type Auth = Pick<ClusterConfig, "credentials" | "invalidateCredentials">;

function authFor(u: RawUser, baseDir: string, clusterInfo: Record<string, unknown>): Auth {
  if (u.exec) {
    const command = u.exec.command.includes("/") && !isAbsolute(u.exec.command) ? join(baseDir, u.exec.command) : u.exec.command;
    const src = new ExecCredentialSource({ ...u.exec, command }, clusterInfo);
    return {
      async credentials(): Promise<Credentials> {
        const r = await src.get();
        const headers: Record<string, string> = r.token ? { authorization: `Bearer ${r.token}` } : {};
        return { headers, cert: r.cert, key: r.key };
      },
      invalidateCredentials: () => src.invalidate(),
    };
  }
  if (u.token) return staticHeader(`Bearer ${u.token}`);
  if (u.tokenFile) return tokenFileAuth(isAbsolute(u.tokenFile) ? u.tokenFile : join(baseDir, u.tokenFile));
  if (u.username !== undefined && u.password !== undefined) return staticHeader(`Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}`);
  return { credentials: async () => ({ headers: {} }), invalidateCredentials: () => {} };
}

function staticHeader(value: string): Auth {
  const creds: Credentials = { headers: { authorization: value } };
  return { credentials: async () => creds, invalidateCredentials: () => {} };
}

/** A bearer token read from a file and re-read every minute (projected SA tokens rotate). */
function tokenFileAuth(path: string, now: () => number = Date.now): Auth {
  let token: string | undefined;
  let readAt = 0;
  return {
    async credentials() {
      if (token === undefined || now() - readAt > TOKEN_FILE_TTL_MS) {
        token = (await readFile(path, "utf8")).trim();
        readAt = now();
      }
      return { headers: { authorization: `Bearer ${token}` } };
    },
    invalidateCredentials() {
      token = undefined;
    },
  };
}

function inClusterConfig(env: NodeJS.ProcessEnv, saDir: string): ClusterConfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? "";
  const tokenPath = join(saDir, "token");
  if (!existsSync(tokenPath)) throw new UserError("kubeconfig-incluster", `in-cluster config: ${tokenPath} does not exist`, { hint: "mount a service account token (automountServiceAccountToken) or pass --kubeconfig" });
  const caPath = join(saDir, "ca.crt");
  const nsPath = join(saDir, "namespace");
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${env.KUBERNETES_SERVICE_PORT ?? "443"}`,
    ca: existsSync(caPath) ? readFileSync(caPath) : undefined,
    insecureSkipTLSVerify: false,
    namespace: existsSync(nsPath) ? readFileSync(nsPath, "utf8").trim() || "default" : "default",
    contextName: "in-cluster",
    ...tokenFileAuth(tokenPath),
  };
}

/** Exposed for tests: the token-file authenticator with an injectable clock. */
export const internalForTests = { tokenFileAuth };
