/**
 * Container image references (`--img`), checked with the grammar of the distribution/reference
 * package that docker, kubectl and kustomize use, and split the way kustomize's `images:` wants.
 * @module
 */
import { UserError } from "../errors.js";

/** An image reference in kustomize's terms. */
export interface ImageRef {
  /** Registry and repository, e.g. `quay.io/acme/op`. */
  name: string;
  tag?: string;
  digest?: string;
}

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

function invalid(img: string, why: string): UserError {
  return new UserError("invalid-image", `--img ${JSON.stringify(img)} is not a valid image reference: ${why}`, {
    hint: "use [registry/]repository[:tag][@digest], lower-case, e.g. --img quay.io/acme/memcached-operator:v0.1.0",
  });
}

/** Parses `--img`; a reference docker would refuse is a one-line UserError naming the flag. */
export function parseImage(img: string): ImageRef {
  if (img === "") throw invalid(img, "it is empty");
  let rest = img;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(img, `"${digest}" is not a digest (algorithm:hex)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(img, `"${tag}" is not a tag (letters, digits, _ . -, at most 128)`);
  }
  const parts = rest.split("/");
  const first = parts[0]!;
  const hasDomain = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase());
  if (hasDomain && !DOMAIN.test(first)) throw invalid(img, `"${first}" is not a registry host`);
  for (const p of hasDomain ? parts.slice(1) : parts) {
    if (!PATH_COMPONENT.test(p)) throw invalid(img, p === "" ? "it has an empty path component" : `"${p}" must be lower-case letters and digits, separated by . _ __ or -`);
  }
  if (rest.length > 255) throw invalid(img, "the repository name is longer than 255 characters");
  return { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
