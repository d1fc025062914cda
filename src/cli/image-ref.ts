/**
 * Validates container image references (`--img`) with the grammar of the distribution/reference
 * package that docker, podman and kustomize use: `[host[:port]/]path[:tag][@digest]`.
 * @module
 */
import { UserError } from "../errors.js";

const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** Why `ref` is not a valid image reference, or undefined when it is one. */
export function imageRefProblem(ref: string): string | undefined {
  if (ref === "") return "it is empty";
  if (/\s/.test(ref)) return "it contains whitespace";
  const m = REFERENCE.exec(ref);
  if (!m) {
    const name = ref.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
    const repo = name.includes("/") && /[.:]|^localhost$/.test(name.split("/")[0]!) ? name.slice(name.indexOf("/") + 1) : name;
    if (/[A-Z]/.test(repo)) return "repository names must be lowercase";
    if (ref.includes("@")) return "the digest must be <algorithm>:<hex>, e.g. @sha256:<64 hex digits>";
    return "expected [registry[:port]/]name[:tag][@digest]";
  }
  if (m[1]!.length > 255) return "the repository name is longer than 255 characters";
  return undefined;
}

/** Throws a one-line UserError naming `flag` when `ref` is not a valid image reference. */
export function validateImageRef(ref: string, flag = "--img"): void {
  const problem = imageRefProblem(ref);
  if (problem !== undefined) {
    throw new UserError("invalid-image", `${flag} ${JSON.stringify(ref)} is not a valid image reference: ${problem}`, {
      hint: "use e.g. quay.io/acme/memcached-operator:v0.0.1 or localhost:5000/memcached-operator:dev",
    });
  }
}
