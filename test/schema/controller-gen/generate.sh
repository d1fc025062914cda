#!/bin/sh
# Regenerates typematrix.yaml, controller-gen's CRD for typematrix/types.go (the Go twin of
# test/schema/fixtures/type-tag-matrix.ts). Needs controller-gen v0.23.0 (CONTROLLER_GEN, default
# on PATH; GOBIN=/tmp/x go install sigs.k8s.io/controller-tools/cmd/controller-gen@v0.23.0).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here/typematrix"
GOFLAGS=-mod=mod "${CONTROLLER_GEN:-controller-gen}" crd:allowDangerousTypes=true paths=./... output:crd:artifacts:config="$out"
cp "$out/fixtures.tsop.dev_matrices.yaml" "$here/typematrix.yaml"
