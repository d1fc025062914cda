/**
 * Runs kustomize: `kubectl kustomize` when kubectl is on PATH, else a `kustomize` on PATH, else one
 * tsop built from the Go module proxy into its cache (like the envtest binaries), else one line
 * saying what to install. Renders a project's config/default with the image set (`--img`).
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";
import { yamlErrorLine } from "../yaml-error.js";
import { cachedGoTool } from "./go-tool.js";
import type { ImageRef } from "./image.js";
import type { KubeObjectLike } from "../kube/objects.js";

/** The kustomize tsop builds when neither kubectl nor kustomize is installed (kubebuilder's pin is close). */
export const KUSTOMIZE_VERSION = "5.8.3";

/** A command line that renders a kustomization directory given as its last argument. */
export interface Kustomizer {
  command: string;
  args: string[];
}

/** The first executable `name` on PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where tsop keeps the kustomize it builds. */
export function kustomizeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CACHE_HOME"] || join(env["HOME"] ?? tmpdir(), ".cache");
  return join(base, "tsop", "tools", `kustomize-v${KUSTOMIZE_VERSION}`);
}

/** Finds (or builds) kustomize; see the module comment for the order. */
export async function findKustomize(env: NodeJS.ProcessEnv = process.env, progress: (line: string) => void = () => {}): Promise<Kustomizer> {
  const kubectl = onPath("kubectl", env);
  if (kubectl) return { command: kubectl, args: ["kustomize"] };
  const own = onPath("kustomize", env);
  if (own) return { command: own, args: ["build"] };
  const command = await cachedGoTool({
    module: "sigs.k8s.io/kustomize/kustomize/v5", version: KUSTOMIZE_VERSION, pkg: "sigs.k8s.io/kustomize/kustomize/v5", name: "kustomize", dir: kustomizeCacheDir(env),
    noGo: () => new UserError("no-kustomize", "neither kubectl nor kustomize is on PATH, and there is no Go to build kustomize", {
      hint: "install kubectl (https://kubernetes.io/docs/tasks/tools/) or kustomize v5 (https://kubectl.docs.kubernetes.io/installation/kustomize/)",
    }),
  }, env, progress);
  return { command, args: ["build"] };
}

/** kustomize's own message, without klog's prefix: `... "command failed" err="X"` → X. */
export function kustomizeMessage(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const quoted = lines.map((l) => /\berr="((?:[^"\\]|\\.)*)"/.exec(l)?.[1]).find((m) => m !== undefined);
  const text = quoted !== undefined ? (JSON.parse(`"${quoted}"`) as string) : (lines.find((l) => /^error:?/i.test(l)) ?? lines[0] ?? "no output");
  return text.replace(/^error:\s*/i, "").replace(/\s+/g, " ");
}

function run(k: Kustomizer, dir: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(k.command, [...k.args, dir], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new UserError("kustomize-failed", `kustomize build ${relative(cwd, dir) || "."} failed: ${kustomizeMessage(err)}`, { hint: "fix the kustomization under config/ (kustomize's message is quoted)" }))));
  });
}

/**
 * Renders `config/default` of the project at `root` and returns its objects, in kustomize's order.
 * With an image, a throw-away overlay sets it (kustomize's `images:`, as `kustomize edit set image
 * controller=IMG` would, without editing the project's files).
 */
export async function renderDefault(root: string, image: ImageRef | undefined, k: Kustomizer): Promise<KubeObjectLike[]> {
  return renderKustomization(root, "config/default", image, k);
}

/** Renders the kustomization directory `rel` (relative to `root`) like {@link renderDefault}. */
export async function renderKustomization(root: string, rel: string, image: ImageRef | undefined, k: Kustomizer): Promise<KubeObjectLike[]> {
  const base = join(root, rel);
  if (!existsSync(join(base, "kustomization.yaml"))) {
    throw new UserError("no-kustomization", `${rel}/kustomization.yaml is missing`, { location: { file: `${rel}/kustomization.yaml` }, hint: "restore it from the scaffold (tsop init) or version control" });
  }
  let text: string;
  if (!image) text = await run(k, base, root);
  else {
    const overlay = await mkdtemp(join(tmpdir(), "tsop-kustomize-"));
    try {
      // kustomize refuses absolute resource paths: refer to the base relatively.
      const images = [{ name: "controller", newName: image.name, ...(image.tag ? { newTag: image.tag } : {}), ...(image.digest ? { digest: image.digest } : {}) }];
      await writeFile(join(overlay, "kustomization.yaml"), JSON.stringify({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: [relative(overlay, base)], images }));
      text = await run(k, overlay, root);
    } finally {
      await rm(overlay, { recursive: true, force: true });
    }
  }
  const objects: KubeObjectLike[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors[0]) throw new UserError("kustomize-failed", `kustomize printed YAML that does not parse: ${yamlErrorLine(doc.errors[0]).what}`, { hint: "report this with the kustomize version" });
    const value = doc.toJS() as KubeObjectLike | null;
    if (value && typeof value === "object") objects.push(value);
  }
  return objects;
}
