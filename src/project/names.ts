/**
 * Name rules for everything a user names on the command line (kind, group, version, domain,
 * project, plural), each failure a `UserError` that says what is wrong and shows a valid example.
 * @module
 */
import { UserError } from "../errors.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes API versions: `v1`, `v1alpha1`, `v2beta3`. */
export const VERSION_PATTERN = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND_PATTERN = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Names a generated API or controller file already imports: a kind with one of these names would
 * shadow the import and not compile.
 */
const RESERVED_KINDS = new Set([
  "Condition", "ObjectMeta", "Int32", "Int64", "Int", "KubeObject", "Manager", "Client", "Request",
  "Result", "Reconciler", "ReconcileContext", "Environment", "Object", "Array", "String", "Number",
  "Boolean", "Date", "Error", "Promise", "Map", "Set", "Symbol", "Function",
]);

function fail(code: string, message: string, hint: string): never {
  throw new UserError(code, message, { hint });
}

/** The first dot-separated label longer than 63 characters (DNS allows at most 63), if any. */
function longLabel(name: string): string | undefined {
  return name.split(".").find((l) => l.length > 63);
}

/** Checks a kind: PascalCase, letters and digits only, at most 63 characters (DNS-1035 when lower-cased). */
export function validateKind(kind: string): void {
  const example = "valid: --kind Memcached";
  if (kind === "") fail("invalid-kind", "kind is empty", example);
  if (!KIND_PATTERN.test(kind)) {
    const why = /^[a-z]/.test(kind) ? "must start with an upper-case letter" : "may only contain letters and digits, starting with an upper-case letter";
    fail("invalid-kind", `invalid kind "${kind}": ${why}`, example);
  }
  if (kind.length > 63) fail("invalid-kind", `invalid kind "${kind}": longer than 63 characters`, example);
  if (RESERVED_KINDS.has(kind)) {
    fail("invalid-kind", `invalid kind "${kind}": the name clashes with a type the generated code imports`, "pick another name, e.g. --kind Memcached");
  }
}

/** Checks a group: a lower-case DNS-1123 subdomain that, with the domain, is a valid API group. */
export function validateGroup(group: string, domain: string): void {
  const example = "valid: --group cache (API group cache." + (domain || "example.com") + ")";
  if (group === "") fail("invalid-group", "group is empty", example);
  if (!DNS1123_SUBDOMAIN.test(group)) {
    fail("invalid-group", `invalid group "${group}": must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`, example);
  }
  if (domain && (group === domain || group.endsWith(`.${domain}`))) {
    const short = group === domain ? "" : group.slice(0, -domain.length - 1);
    fail("invalid-group", `invalid group "${group}": it already ends with the project's domain ${domain}, so the API group would be ${group}.${domain}`, short ? `pass only the part before the domain: --group ${short}` : example);
  }
  const long = longLabel(group);
  if (long !== undefined) fail("invalid-group", `invalid group "${group}": the label "${long.slice(0, 20)}…" has ${long.length} characters, at most 63 are allowed`, example);
  const full = domain ? `${group}.${domain}` : group;
  if (full.length > 253) fail("invalid-group", `invalid group "${full}": longer than 253 characters`, example);
}

/** Checks a version against `^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$`. */
export function validateVersion(version: string): void {
  const example = "valid: v1, v1alpha1, v2beta3";
  if (version === "") fail("invalid-version", "version is empty", example);
  if (!VERSION_PATTERN.test(version)) {
    fail("invalid-version", `invalid version "${version}": must be v<N>, v<N>alpha<M> or v<N>beta<M> with N, M >= 1`, example);
  }
}

const PROTECTED = /(^|\.)(k8s\.io|kubernetes\.io)$/;
const PROTECTED_WHY = "the apiserver accepts a CRD in a *.k8s.io or *.kubernetes.io group only with the api-approved.kubernetes.io annotation (an approved Kubernetes API review)";

/**
 * Groups under k8s.io and kubernetes.io belong to Kubernetes: the apiserver refuses their CRDs unless
 * they carry an api-approved.kubernetes.io annotation pointing at an approved API review.
 */
export function validateNotProtected(group: string): void {
  if (!PROTECTED.test(group)) return;
  fail("protected-group", `API group ${group} is protected: ${PROTECTED_WHY}`, "use a domain you own (tsop init --domain example.com), or --external --from-crd for an existing Kubernetes CRD");
}

/** Checks `tsop init --domain`: a domain under k8s.io or kubernetes.io would make every group of the project protected. */
export function validateInitDomain(domain: string): void {
  validateDomain(domain);
  if (!PROTECTED.test(domain)) return;
  fail("protected-group", `invalid domain "${domain}": every API group of the project (<group>.${domain}) would be protected; ${PROTECTED_WHY}`, "use a domain you own, e.g. --domain example.com (x-k8s.io is not protected)");
}

/** Checks a domain: a lower-case DNS-1123 subdomain. */
export function validateDomain(domain: string): void {
  const example = "valid: --domain example.com";
  if (domain === "") fail("invalid-domain", "domain is empty", example);
  if (domain.length > 253 || !DNS1123_SUBDOMAIN.test(domain)) {
    fail("invalid-domain", `invalid domain "${domain}": must be a lower-case DNS subdomain (letters, digits, '-' and '.')`, example);
  }
  const long = longLabel(domain);
  if (long !== undefined) fail("invalid-domain", `invalid domain "${domain}": the label "${long.slice(0, 20)}…" has ${long.length} characters, at most 63 are allowed`, example);
}

/** The longest generated object name that must be a DNS label: `<project>-controller-manager-metrics-service`. */
const LONGEST_SUFFIX = "-controller-manager-metrics-service";
/** Longest project name whose generated Service name stays within a 63-character DNS label. */
export const MAX_PROJECT_NAME = 63 - LONGEST_SUFFIX.length;

/**
 * Checks a project name: a DNS-1123 label that, as the prefix of every generated object name,
 * keeps the longest one (the metrics Service) within 63 characters. `fromDir`: it was derived
 * from the directory name, so the message says so.
 */
export function validateProjectName(name: string, fromDir = false): void {
  const example = "valid: --project-name memcached-operator";
  const what = fromDir ? `project name ${JSON.stringify(name)} (from the directory name)` : `project name ${JSON.stringify(name)}`;
  if (name === "") fail("invalid-project-name", fromDir ? "the directory name gives an empty project name" : "project name is empty", example);
  if (!DNS1123_LABEL.test(name)) {
    fail("invalid-project-name", `invalid ${what}: must be lower-case letters, digits and '-', starting and ending with a letter or digit`, example);
  }
  if (name.length > MAX_PROJECT_NAME) {
    const fits = name.slice(0, MAX_PROJECT_NAME).replace(/-+$/, "");
    fail("invalid-project-name", `invalid ${what}: ${name.length} characters; the Service ${name}${LONGEST_SUFFIX} would be ${name.length + LONGEST_SUFFIX.length}, over Kubernetes' 63, so at most ${MAX_PROJECT_NAME} fit`, `the longest that fits: --project-name ${fits}`);
  }
}

/** Checks a plural resource name: a lower-case DNS-1035 label. */
export function validatePlural(plural: string): void {
  const example = "valid: --plural memcacheds";
  if (plural.length > 63 || !DNS1035_LABEL.test(plural)) {
    fail("invalid-plural", `invalid plural "${plural}": must be lower-case letters, digits and '-', starting with a letter`, example);
  }
}

/** Checks a repository path such as `github.com/acme/memcached-operator` (no spaces or quotes). */
export function validateRepo(repo: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._~\/-]*$/.test(repo)) {
    fail("invalid-repo", `invalid repo "${repo}": use a path like a Go module's`, "valid: --repo github.com/acme/memcached-operator");
  }
}

/** Checks `--owner` (free text in license headers): one line of printable characters, at most 200. */
export function validateOwner(owner: string): void {
  const example = 'valid: --owner "The Memcached Authors"';
  const bad = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(owner);
  if (bad) fail("invalid-owner", `invalid owner ${JSON.stringify(owner)}: contains the control character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}; the owner is one line of a license header`, example);
  if (owner.length > 200) fail("invalid-owner", `invalid owner: ${owner.length} characters, at most 200`, example);
}

/** Turns a directory name into a project name candidate: lower-case, other characters become '-' (never cut: a long one is refused). */
export function projectNameFromDir(dirName: string): string {
  return dirName.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
}

/** A semantic version (2.0.0) without a leading `v`: 0.1.0, 1.2.3-rc.1, 1.0.0+build.5. */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
