/** REST paths for a kind: core vs grouped, namespaced vs cluster-scoped, subresources. */
import type { KindDescriptor, KubeObject } from "../../types/index.js";

/** The collection URL: `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/deployments` (all namespaces). */
export function collectionPath(kind: KindDescriptor<KubeObject>, namespace?: string): string {
  const base = kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${kind.plural}`;
}

/** The object URL, optionally with a subresource (`status`). Namespaced kinds need a namespace. */
export function objectPath(kind: KindDescriptor<KubeObject>, name: string, namespace?: string, subresource?: string): string {
  if (!name) throw new Error(`${kind.kind}: object has no metadata.name`);
  if (kind.namespaced && !namespace) throw new Error(`${kind.kind} ${name}: namespaced kind needs a namespace`);
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ""}`;
}
