#!/usr/bin/env bash
# The main job, end to end on a fresh machine: scaffold the operator-sdk tutorial's memcached
# operator with tsop, write the tutorial's API and controller into it (the ones of
# examples/memcached-operator), generate its manifests, type-check and bundle it, then run it against
# a local control plane with simulated nodes (kube-apiserver, etcd, kube-controller-manager,
# kube-scheduler and kwok, built from Go modules on first use) and show its memcached pods Running
# and the Memcached Available because they are Ready; then scale it and watch it follow.
# Usage: npm run demo [-- DIR]   (DIR defaults to a new temp directory; it must not exist or be empty)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tsop() { node "$here/bin/tsop.js" "$@"; }
dir="${1:-$(mktemp -d /tmp/memcached-operator.XXXX)}"
mkdir -p "$dir"
log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

log "control-plane binaries (built with Go on first use; minutes)"
assets="$(tsop envtest use)"
echo "KUBEBUILDER_ASSETS=$assets"

cd "$dir"
log "tsop init in $dir"
tsop init --domain example.com --repo github.com/example/memcached-operator --project-name memcached-operator
log "tsop create api --group cache --version v1alpha1 --kind Memcached"
tsop create api --group cache --version v1alpha1 --kind Memcached
log "write the tutorial's API type and controller (as in examples/memcached-operator)"
example="$here/examples/memcached-operator"
for f in src/api/cache/v1alpha1/memcached.ts src/controllers/memcached.controller.ts test/memcached.controller.test.ts config/samples/cache_v1alpha1_memcached.yaml; do
  cp "$example/$f" "$f"
  echo "  $f"
done
log "tsop manifests"
tsop manifests
log "npm install (tsop: the copy init packed from this checkout into vendor/)"
npm install --no-audit --no-fund --loglevel=error
log "type-check and bundle"
npm run typecheck
npm run build

log "start a local control plane with 2 simulated nodes (first use builds kube-controller-manager, kube-scheduler and kwok: minutes)"
kc="$dir/.tsop-kubeconfig"
node "$here/bin/tsop.js" envtest start --kubeconfig "$kc" --nodes 2 > "$dir/envtest.log" 2>&1 &
envtest_pid=$!
operator_pid=""
# Background jobs run node directly (not through the tsop function) so $! is the node process
# itself and the kills below reach it.
cleanup() {
  set +e
  [ -n "$operator_pid" ] && kill "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null
  kill "$envtest_pid" 2>/dev/null && wait "$envtest_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT
# Wait as long as the control plane is starting (or building its binaries); stop when it gives up.
while [ ! -s "$kc" ] && kill -0 "$envtest_pid" 2>/dev/null; do sleep 0.5; done
[ -s "$kc" ] || { cat "$dir/envtest.log"; echo "control plane did not start" >&2; exit 1; }
export KUBECONFIG="$kc"
kubectl get nodes

log "tsop run (installs the CRDs with server-side apply, then runs the operator)"
node "$here/bin/tsop.js" run > "$dir/operator.log" 2>&1 &
operator_pid=$!
for _ in $(seq 1 120); do kubectl get crd memcacheds.cache.example.com >/dev/null 2>&1 && break; sleep 0.5; done
sleep 2 # a CRD younger than 2 s makes the apiserver hold CR creates

log "apply the sample Memcached (size 1) and wait until its pod is Ready"
kubectl apply -f config/samples/cache_v1alpha1_memcached.yaml
kubectl wait memcached/memcached-sample --for=condition=Available --timeout=120s
kubectl get deployment,pods -l app.kubernetes.io/instance=memcached-sample -o wide
kubectl get memcached memcached-sample -o yaml | sed -n '/^status:/,$p'

log "scale to 3 and wait until the operator reports the rollout complete (all 3 pods Ready)"
kubectl patch memcached memcached-sample --type merge -p '{"spec":{"size":3}}'
gen="$(kubectl get memcached memcached-sample -o jsonpath='{.metadata.generation}')"
kubectl wait memcached/memcached-sample --for=jsonpath='{.status.observedGeneration}'="$gen" --timeout=60s
kubectl wait memcached/memcached-sample --for=jsonpath='{.status.conditions[?(@.type=="Progressing")].status}'=False --timeout=120s
kubectl get pods -l app.kubernetes.io/instance=memcached-sample -o wide
kubectl get memcached memcached-sample -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.message}){"\n"}{end}'
log "done: the operator's pods run on simulated nodes (project: $dir, operator log: $dir/operator.log)"
cleanup
trap - EXIT
