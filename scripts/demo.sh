#!/usr/bin/env bash
# The main job, end to end on a fresh machine: scaffold the operator-sdk tutorial's memcached
# operator with tsop, generate its manifests, type-check and bundle it, then run it against a local
# control plane (kube-apiserver + etcd built from Go modules on first use) and show a CR reconciled.
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
log "tsop manifests"
tsop manifests
log "npm install (tsop: the copy init packed from this checkout into vendor/)"
npm install --no-audit --no-fund --loglevel=error
log "type-check and bundle"
npm run typecheck
npm run build

log "start a local control plane"
kc="$dir/.tsop-kubeconfig"
node "$here/bin/tsop.js" envtest start --kubeconfig "$kc" > "$dir/envtest.log" 2>&1 &
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
for _ in $(seq 1 120); do [ -s "$kc" ] && break; sleep 0.5; done
[ -s "$kc" ] || { cat "$dir/envtest.log"; echo "control plane did not start" >&2; exit 1; }
export KUBECONFIG="$kc"

log "tsop run (installs the CRDs with server-side apply, then runs the operator)"
node "$here/bin/tsop.js" run > "$dir/operator.log" 2>&1 &
operator_pid=$!
for _ in $(seq 1 120); do kubectl get crd memcacheds.cache.example.com >/dev/null 2>&1 && break; sleep 0.5; done
sleep 2 # a CRD younger than 2 s makes the apiserver hold CR creates

log "apply the sample Memcached and wait until the operator reconciles it"
kubectl apply -f config/samples/cache_v1alpha1_memcached.yaml
kubectl wait memcached/memcached-sample --for=condition=Available --timeout=60s
kubectl get memcached memcached-sample -o yaml | sed -n '/^status:/,$p'
log "done: the operator reconciled the sample (project: $dir, operator log: $dir/operator.log)"
cleanup
trap - EXIT
