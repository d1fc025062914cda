/**
 * The PROJECT file model: what `tsop init` records and `create api` extends.
 * Mirrors kubebuilder's PROJECT (version 3) so users moving between the two recognise it.
 */

/** One API (group/version/kind) recorded in PROJECT. */
export interface ProjectResource {
  /** API group without the domain, e.g. `cache` (full group is `cache.<domain>`). */
  group: string;
  /** Domain of the group, copied from the project at creation time. */
  domain: string;
  /** Version, e.g. `v1alpha1`. */
  version: string;
  /** Kind, PascalCase, e.g. `Memcached`. */
  kind: string;
  /** Lower-case plural resource name, e.g. `memcacheds`. */
  plural: string;
  /** Source file of the API types, relative to the project root, e.g. `src/api/cache/v1alpha1/memcached.ts`. */
  path: string;
  /** True for namespaced kinds, false for cluster-scoped. */
  namespaced: boolean;
  /** Whether a controller was scaffolded for this kind. */
  controller: boolean;
  /** Whether tsop owns the CRD (false for `--external` kinds: types only, no CRD emitted). */
  crd: boolean;
  /** The webhooks `create webhook` scaffolded for this kind (kubebuilder's PROJECT `webhooks`). */
  webhooks?: ResourceWebhooks;
}

/** Which webhooks a kind has; `spoke` lists the versions converting to and from this (hub) version. */
export interface ResourceWebhooks {
  defaulting?: boolean;
  validation?: boolean;
  conversion?: boolean;
  spoke?: string[];
}

/** The whole PROJECT file. */
export interface ProjectConfig {
  /** Schema version of the PROJECT file; currently `"3"` like kubebuilder. */
  version: string;
  /** Plugin layout id, `tsop.dev/v1`. */
  layout: string;
  domain: string;
  repo: string;
  projectName: string;
  /** True when the operator watches only its own namespace(s) (`init --namespaced`). */
  namespaced: boolean;
  resources: ProjectResource[];
}

/** The full API group of a resource: `<group>.<domain>` (or just the domain when group is empty). */
export function fullGroup(r: Pick<ProjectResource, "group" | "domain">): string {
  return r.group ? `${r.group}.${r.domain}` : r.domain;
}
