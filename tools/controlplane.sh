#!/usr/bin/env bash
# controlplane.sh builds the pinned control-plane binaries that the integration
# tests (envtest) and `make cluster` run, and prints the directory that holds them.
#
#   tools/controlplane.sh            kube-apiserver, etcd, kubectl (what envtest needs)
#   tools/controlplane.sh --cluster  also kube-controller-manager, kube-scheduler
#                                    and KWOK (kwok-VERSION/kwok plus its stage
#                                    files in kwok-VERSION/stages/)
#
# Versions are pinned by tools/kube/go.mod, tools/etcd/go.mod and
# tools/kwok/go.mod. Binaries are cached in $FEASTFLOW_CACHE (default
# ~/.cache/feastflow) under a directory named after the Kubernetes and etcd
# versions (KWOK in a kwok-VERSION subdirectory of it), so only the first run
# pays for the build. When KUBEBUILDER_ASSETS is set and holds everything asked
# for, it wins and nothing is built.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
go_bin="${GO:-go}"

module_version() { # module_version DIR MODULE
	(cd "$1" && "$go_bin" list -m -f '{{.Version}}' "$2")
}

want=(kube-apiserver etcd kubectl)
if [[ "${1:-}" == "--cluster" ]]; then
	kwok_version="$(module_version "$here/kwok" sigs.k8s.io/kwok)"
	want+=(kube-controller-manager kube-scheduler "kwok-$kwok_version/kwok")
fi

has_all() { # has_all DIR
	local name
	for name in "${want[@]}"; do
		[[ -x "$1/$name" ]] || return 1
	done
	[[ -z "${kwok_version:-}" || -s "$1/kwok-$kwok_version/stages/volume-fast.yaml" ]]
}

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]] && has_all "$KUBEBUILDER_ASSETS"; then
	echo "$KUBEBUILDER_ASSETS"
	exit 0
fi

kube_version="$(module_version "$here/kube" k8s.io/kubernetes)"
etcd_version="$(module_version "$here/etcd" go.etcd.io/etcd/server/v3)"
cache="${FEASTFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/feastflow}"
dir="$cache/controlplane/k8s-${kube_version}_etcd-${etcd_version}"
mkdir -p "$dir"

# One build at a time per cache directory: a second run (another test suite,
# another checkout) waits for the first instead of compiling everything twice.
if command -v flock >/dev/null 2>&1 && ! has_all "$dir"; then
	exec 9>"$dir/.lock"
	if ! flock -n 9; then
		echo "controlplane: another build into $dir is running; waiting for it" >&2
		flock 9
	fi
fi

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
	etcd | kube-scheduler | kubectl | kwok*) echo "about 1 to 3 minutes" ;;
	esac
}

build() { # build NAME MODULE_DIR PACKAGE LDFLAGS
	local name="$1" module_dir="$2" pkg="$3" ldflags="$4"
	[[ -x "$dir/$name" ]] && return 0
	mkdir -p "$(dirname "$dir/$name")"
	echo "controlplane: building $name ($pkg) for the integration tests;" \
		"$(minutes_for "$name") cold on 2 cores, cached afterwards in $dir" >&2
	local start=$SECONDS
	(cd "$module_dir" && CGO_ENABLED=0 "$go_bin" build -trimpath -ldflags "$ldflags" -o "$dir/$name.tmp" "$pkg")
	mv "$dir/$name.tmp" "$dir/$name"
	echo "controlplane: built $name in $((SECONDS - start))s" >&2
}

# copy_kwok_stages copies the stage files kwok needs at run time (node/fast,
# node/heartbeat, pod/fast, volume/fast without its StorageClass, which is a
# cluster object) out of the module cache, one file per set, so running the
# cluster never depends on the module cache.
copy_kwok_stages() { # copy_kwok_stages DEST
	local dest="$1" src stage
	[[ -s "$dest/volume-fast.yaml" ]] && return 0
	src="$(cd "$here/kwok" && "$go_bin" mod download -json sigs.k8s.io/kwok | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	mkdir -p "$dest"
	for stage in node/fast node/heartbeat pod/fast volume/fast; do
		local out="$dest/${stage//\//-}.yaml" file first=1
		: >"$out.tmp"
		for file in "$src/kustomize/stage/$stage"/*.yaml; do
			case "$(basename "$file")" in kustomization.yaml | storage-class.yaml) continue ;; esac
			((first)) || echo "---" >>"$out.tmp"
			first=0
			cat "$file" >>"$out.tmp"
		done
		mv "$out.tmp" "$out"
	done
}

# build_kube NAME... builds the missing Kubernetes binaries with one go build:
# one process compiles each shared package once and keeps both cores busy
# through the links, where one build per binary would run one link at a time.
build_kube() {
	local names=() pkgs=() name
	for name in "$@"; do
		[[ -x "$dir/$name" ]] && continue
		names+=("$name")
		pkgs+=("k8s.io/kubernetes/cmd/$name")
	done
	((${#names[@]})) || return 0
	echo "controlplane: building ${names[*]} (k8s.io/kubernetes/cmd/...) for the integration tests;" \
		"$(minutes_for "${names[0]}") cold on 2 cores, cached afterwards in $dir" >&2
	local start=$SECONDS out="$dir/.build.$$"
	mkdir -p "$out"
	# Explicit returns: the caller runs this under ||, where set -e is off.
	(cd "$here/kube" && CGO_ENABLED=0 "$go_bin" build -trimpath -ldflags "$kube_ldflags" -o "$out/" "${pkgs[@]}") || return 1
	for name in "${names[@]}"; do mv "$out/$name" "$dir/$name" || return 1; done
	rmdir "$out"
	echo "controlplane: built ${names[*]} in $((SECONDS - start))s" >&2
}

# etcd and KWOK (their own modules) build in the background while the
# Kubernetes binaries build: their links and downloads fill the cores the
# larger build leaves idle.
kube=()
(
	for name in "${want[@]}"; do
		case "$name" in
		etcd) build etcd "$here/etcd" go.etcd.io/etcd/server/v3 "$etcd_ldflags" ;;
		kwok-*)
			copy_kwok_stages "$dir/kwok-$kwok_version/stages"
			build "$name" "$here/kwok" sigs.k8s.io/kwok/cmd/kwok \
				"-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}"
			;;
		esac
	done
) &
others=$!
for name in "${want[@]}"; do
	case "$name" in
	etcd | kwok-*) ;;
	*) kube+=("$name") ;;
	esac
done
failed=0
build_kube "${kube[@]}" || failed=1
wait "$others" || failed=1
((failed == 0)) || exit 1

echo "$dir"
