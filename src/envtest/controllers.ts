/**
 * Which kube-controller-manager controllers a local control plane runs (`--with-controllers[=list]`).
 * @module
 */
import { didYouMean } from "../did-you-mean.js";
import { UserError } from "../errors.js";

/**
 * What a workload needs to progress: Deployments → ReplicaSets → Pods, StatefulSets, DaemonSets,
 * Jobs, Services' EndpointSlices, service accounts, owner-reference clean-up, namespace deletion.
 * The default of `--with-controllers` and of `withControllers: true`.
 */
export const WORKLOAD_CONTROLLERS = [
  "deployment",
  "replicaset",
  "statefulset",
  "daemonset",
  "job",
  "endpointslice",
  "serviceaccount",
  "serviceaccount-token",
  "garbage-collector",
  "namespace",
] as const;

/**
 * Every controller kube-controller-manager 1.37 knows (cmd/kube-controller-manager/names), by its
 * short name; kube-controller-manager's `--controllers` takes `<name>-controller`.
 */
export const KNOWN_CONTROLLERS: readonly string[] = [
  ...WORKLOAD_CONTROLLERS,
  "bootstrap-signer", "certificatesigningrequest-approving", "certificatesigningrequest-cleaner",
  "certificatesigningrequest-signing", "clusterrole-aggregation", "cronjob",
  "device-taint-eviction", "disruption", "endpoints", "endpointslice-mirroring", "ephemeral-volume",
  "horizontal-pod-autoscaler", "kube-apiserver-serving-clustertrustbundle-publisher",
  "legacy-serviceaccount-token-cleaner", "node-ipam", "node-lifecycle",
  "persistentvolume-attach-detach", "persistentvolume-binder", "persistentvolume-expander",
  "persistentvolume-protection", "persistentvolumeclaim-protection", "pod-garbage-collector",
  "podcertificaterequest-cleaner", "podgroup-protection", "replicationcontroller", "resourceclaim",
  "resourcepoolstatusrequest", "resourcequota", "root-ca-certificate-publisher", "selinux-warning",
  "service-cidr", "storage-version-migrator", "storageversion-garbage-collector",
  "taint-eviction", "ttl", "ttl-after-finished", "validatingadmissionpolicy-status",
  "volumeattributesclass-protection",
];

/**
 * Resolves a controller selection to short names: `true` → {@link WORKLOAD_CONTROLLERS}, `false` or
 * none → `[]`, a list (or a comma-separated string) → those names, each either short (`deployment`)
 * or as kube-controller-manager spells it (`deployment-controller`). An unknown name is a
 * {@link UserError} naming `where` (e.g. the flag) and listing the valid names.
 */
export function resolveControllers(selection: boolean | string | readonly string[] | undefined, where = "withControllers"): string[] {
  if (selection === undefined || selection === false) return [];
  if (selection === true) return [...WORKLOAD_CONTROLLERS];
  const raw = typeof selection === "string" ? selection.split(",") : [...selection];
  const names = raw.map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) {
    throw new UserError("envtest-bad-controllers", `${where} names no controller`, {
      hint: `list some, e.g. ${where}=deployment,replicaset, or leave the value out for all of ${WORKLOAD_CONTROLLERS.join(",")}`,
    });
  }
  const out: string[] = [];
  for (const name of names) {
    const short = name.replace(/-controller$/, "");
    if (!KNOWN_CONTROLLERS.includes(short)) {
      const guess = didYouMean(short, KNOWN_CONTROLLERS);
      throw new UserError("envtest-bad-controllers", `${where}: kube-controller-manager has no controller "${name}"${guess ? ` (did you mean "${guess}"?)` : ""}`, {
        hint: `valid names: ${[...KNOWN_CONTROLLERS].sort().join(", ")}`,
      });
    }
    if (!out.includes(short)) out.push(short);
  }
  return out;
}
