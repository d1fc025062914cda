/**
 * The OLM bundle validator: a small Go main (templates/olm-validator/main.go) over
 * operator-framework/api's own validators (`validation.DefaultBundleValidators` and the optional
 * good-practices, operatorhub and deprecated-apis ones), built once with Go from the module proxy
 * into tsop's cache (~/.cache/tsop/olm/api-v<version>-<hash of main.go>/) under a lock, like the
 * envtest binaries and helm. Never into the project.
 * @module
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { cachedGoTool } from "../deploy/go-tool.js";
import { templatesDir } from "../scaffold/render.js";

/** The github.com/operator-framework/api release the validator is built from (newest the proxy serves that builds with Go 1.26). */
export const OLM_API_VERSION = "0.45.0";

/** The optional validators `--select-optional` accepts (names of tsop's validator main). */
export const OPTIONAL_VALIDATORS = ["good-practices", "operatorhub", "deprecated-apis"] as const;
export type OptionalValidator = (typeof OPTIONAL_VALIDATORS)[number];

/** One finding of the validator. */
export interface Finding {
  level: "error" | "warning";
  /** What it is about: the CSV name, a CRD, `metadata/annotations.yaml`, `bundle`. */
  source: string;
  message: string;
}

function mainSource(): string {
  return readFileSync(join(templatesDir(), "olm-validator", "main.go"), "utf8");
}

/** Where the built validator lives; a changed main.go gets a new directory. */
export function validatorCacheDir(env: NodeJS.ProcessEnv = process.env, source = mainSource()): string {
  const base = env["XDG_CACHE_HOME"] || join(env["HOME"] || homedir(), ".cache");
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 10);
  return join(base, "tsop", "olm", `api-v${OLM_API_VERSION}-${hash}`);
}

/** The path of the validator binary, building it when missing (`progress` reports the build). */
export async function findValidator(env: NodeJS.ProcessEnv = process.env, progress: (line: string) => void = () => {}): Promise<string> {
  const source = mainSource();
  return cachedGoTool({
    module: "github.com/operator-framework/api", version: OLM_API_VERSION, pkg: ".", name: "tsop-olm-validate", dir: validatorCacheDir(env, source),
    main: { "main.go": source },
    noGo: () => new UserError("no-go", "the OLM bundle validator is built with Go, and there is no go on PATH", { hint: "install Go 1.26+ (https://go.dev/dl/); tsop builds it once into its cache" }),
    buildFailedHint: `the validator needs github.com/operator-framework/api v${OLM_API_VERSION} from the Go module proxy (GOPROXY) and Go 1.26+`,
  }, env, progress);
}

/** Runs the validator on the bundle directory `dir`; resolves with its findings, errors first. */
export function runValidator(bin: string, dir: string, opts: { optional?: readonly OptionalValidator[]; k8sVersion?: string } = {}): Promise<Finding[]> {
  const args = [...(opts.optional?.length ? ["--select-optional", opts.optional.join(",")] : []), ...(opts.k8sVersion ? ["--k8s-version", opts.k8sVersion] : []), dir];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`${bin} exited ${code}: ${err.trim()}`));
        return;
      }
      const findings = out.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Finding);
      resolve([...findings.filter((f) => f.level === "error"), ...findings.filter((f) => f.level !== "error")]);
    });
  });
}

/** One line per finding: `error: <source>: <message>`; the validator's own `Error:`/`Warning:` prefix dropped. */
export function formatFinding(f: Finding): string {
  const message = f.message.replace(/^(Error|Warning): /i, "").replace(/\s*\n\s*/g, " ");
  return `${f.level}: ${f.source ? `${f.source}: ` : ""}${message}`;
}
