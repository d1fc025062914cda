/**
 * The startup RBAC self-check: asks the apiserver (SelfSubjectAccessReview) whether the manager's
 * identity may do what its controllers need, and names every missing permission in one message
 * before the first 403 would.
 * @module
 */
import type { KindDescriptor } from "../../types/index.js";
import type { ApiRequester } from "../client/rest.js";

/** One permission the manager needs. `namespace` undefined = all namespaces / cluster-scoped. */
export interface Permission {
  group: string;
  resource: string;
  verb: string;
  namespace?: string;
  subresource?: string;
}

/** What the manager's controllers need, from which {@link permissionsFor} builds the list. */
export interface PermissionNeeds {
  /** Kinds the caches list and watch. */
  watched: KindDescriptor[];
  /** Kinds the controllers create/update/patch/delete (owned kinds). */
  written: KindDescriptor[];
  /** Kinds the controllers update and patch (primaries: finalizers, status). Default: none. */
  updated?: KindDescriptor[];
  /** Namespaces the manager is restricted to; undefined = cluster-wide. */
  namespaces?: string[];
  /** Namespace of the leader-election Lease when leader election is on. */
  leaseNamespace?: string;
  /** Whether events are recorded. Default: true. */
  events?: boolean;
}

const WRITE_VERBS = ["create", "update", "patch", "delete"];

/** Expands needs into single permissions (one per verb, resource and namespace), deduplicated. */
export function permissionsFor(needs: PermissionNeeds): Permission[] {
  const out = new Map<string, Permission>();
  const add = (p: Permission): void => {
    out.set(`${p.verb} ${p.group}/${p.resource}/${p.subresource ?? ""} ${p.namespace ?? ""}`, p);
  };
  const scopes = (k: KindDescriptor): (string | undefined)[] => (k.namespaced && needs.namespaces ? needs.namespaces : [undefined]);
  for (const k of needs.watched) {
    for (const ns of scopes(k)) for (const verb of ["list", "watch"]) add({ group: k.group, resource: k.plural, verb, namespace: ns });
  }
  for (const k of needs.written) {
    for (const ns of scopes(k)) for (const verb of WRITE_VERBS) add({ group: k.group, resource: k.plural, verb, namespace: ns });
  }
  for (const k of needs.updated ?? []) {
    for (const ns of scopes(k)) {
      for (const verb of ["update", "patch"]) add({ group: k.group, resource: k.plural, verb, namespace: ns });
    }
  }
  if (needs.leaseNamespace !== undefined) {
    for (const verb of ["get", "create", "update"]) add({ group: "coordination.k8s.io", resource: "leases", verb, namespace: needs.leaseNamespace });
  }
  if (needs.events ?? true) {
    const nss = needs.namespaces ?? [undefined];
    for (const ns of nss) for (const verb of ["create", "patch"]) add({ group: "", resource: "events", verb, namespace: ns });
  }
  return [...out.values()];
}

/** `list memcacheds.cache.example.com in namespace a` / `... (all namespaces)`. */
export function describePermission(p: Permission): string {
  const res = `${p.resource}${p.subresource ? `/${p.subresource}` : ""}${p.group ? `.${p.group}` : ""}`;
  return `${p.verb} ${res} ${p.namespace ? `in namespace ${p.namespace}` : "(all namespaces)"}`;
}

interface Review { status?: { allowed?: boolean; denied?: boolean; reason?: string } }

/** What {@link missingPermissions} found. */
export interface PermissionReview {
  /** Denied, sorted by {@link describePermission}. */
  missing: Permission[];
  /** Not known: every try of the review failed (e.g. 401 while a new token is not accepted yet). */
  unchecked: { permission: Permission; error: string }[];
}

/** Tries of one review before it counts as unchecked, and the pause before each retry. */
const REVIEW_RETRY_DELAYS_MS = [250, 1000];

/**
 * Asks the apiserver about each permission (in parallel, at most 8 at a time). A review that fails
 * (network, 401, 429, 403 on the review itself) is tried again twice, then reported as unchecked,
 * not as missing: the check warns, it never blocks a start on its own errors.
 */
export async function missingPermissions(api: ApiRequester, perms: Permission[], signal?: AbortSignal): Promise<PermissionReview> {
  const missing: Permission[] = [];
  const unchecked: PermissionReview["unchecked"] = [];
  const review = async (p: Permission): Promise<Review> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await api.request<Review>({
          method: "POST", path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", signal,
          body: {
            apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { group: p.group, resource: p.resource, verb: p.verb, namespace: p.namespace, subresource: p.subresource } },
          },
        });
      } catch (err) {
        const delay = REVIEW_RETRY_DELAYS_MS[attempt];
        if (delay === undefined || signal?.aborted) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < perms.length && !signal?.aborted) {
      const p = perms[next++] as Permission;
      try {
        if (!(await review(p)).status?.allowed) missing.push(p);
      } catch (err) {
        unchecked.push({ permission: p, error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, perms.length) }, worker));
  const byText = (a: Permission, b: Permission): number => describePermission(a).localeCompare(describePermission(b));
  return { missing: missing.sort(byText), unchecked: unchecked.sort((a, b) => byText(a.permission, b.permission)) };
}

/** One message naming every missing permission, with the fix. */
export function formatMissing(missing: Permission[]): string {
  return `the manager's identity lacks ${missing.length} permission(s) its controllers need: ` +
    `${missing.map(describePermission).join("; ")}. Add @rbac tags to the controllers, run \`tsop manifests\` and apply config/rbac`;
}
