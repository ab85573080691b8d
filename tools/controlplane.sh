#!/usr/bin/env bash
# controlplane.sh builds the pinned control-plane binaries that the integration
# tests (envtest) and `make cluster` run, and prints the directory that holds them.
#
#   tools/controlplane.sh            kube-apiserver, etcd, kubectl (what envtest needs)
#   tools/controlplane.sh --cluster  also kube-controller-manager and kube-scheduler
#
# Versions are pinned by tools/kube/go.mod and tools/etcd/go.mod. Binaries are
# cached in $FEASTFLOW_CACHE (default ~/.cache/feastflow) under a directory named
# after those versions, so only the first run pays for the build. When
# KUBEBUILDER_ASSETS is set and holds kube-apiserver and etcd, it wins and
# nothing is built.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
go_bin="${GO:-go}"

want=(kube-apiserver etcd kubectl)
if [[ "${1:-}" == "--cluster" ]]; then
	want+=(kube-controller-manager kube-scheduler)
fi

if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/kube-apiserver" && -x "$KUBEBUILDER_ASSETS/etcd" ]]; then
	echo "$KUBEBUILDER_ASSETS"
	exit 0
fi

module_version() { # module_version DIR MODULE
	(cd "$1" && "$go_bin" list -m -f '{{.Version}}' "$2")
}

kube_version="$(module_version "$here/kube" k8s.io/kubernetes)"
etcd_version="$(module_version "$here/etcd" go.etcd.io/etcd/server/v3)"
cache="${FEASTFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/feastflow}"
dir="$cache/controlplane/k8s-${kube_version}_etcd-${etcd_version}"
mkdir -p "$dir"

minor="${kube_version#v1.}"
minor="${minor%%.*}"
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
	kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
etcd_ldflags="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${etcd_version}"

minutes_for() {
	case "$1" in
	kube-apiserver | kube-controller-manager) echo "about 9 minutes" ;;
	etcd | kube-scheduler | kubectl) echo "about 1 to 3 minutes" ;;
	esac
}

build() { # build NAME MODULE_DIR PACKAGE LDFLAGS
	local name="$1" module_dir="$2" pkg="$3" ldflags="$4"
	[[ -x "$dir/$name" ]] && return 0
	echo "controlplane: building $name ($pkg) for the integration tests;" \
		"$(minutes_for "$name") cold on 2 cores, cached afterwards in $dir" >&2
	local start=$SECONDS
	(cd "$module_dir" && CGO_ENABLED=0 "$go_bin" build -trimpath -ldflags "$ldflags" -o "$dir/.$name.tmp" "$pkg")
	mv "$dir/.$name.tmp" "$dir/$name"
	echo "controlplane: built $name in $((SECONDS - start))s" >&2
}

for name in "${want[@]}"; do
	case "$name" in
	etcd) build etcd "$here/etcd" go.etcd.io/etcd/server/v3 "$etcd_ldflags" ;;
	*) build "$name" "$here/kube" "k8s.io/kubernetes/cmd/$name" "$kube_ldflags" ;;
	esac
done

echo "$dir"
