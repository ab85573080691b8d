#!/usr/bin/env bash
# install.sh installs a kubectl-feastflow release for the feastflow GitHub
# Action (action.yml) or any CI: it downloads the archive for this runner's
# OS and architecture and checksums.txt, verifies the sha256, unpacks
# kubectl-feastflow into DEST and adds DEST to GITHUB_PATH when set.
#
#   FEASTFLOW_VERSION   release tag (v0.1.0) or "latest" (default)
#   FEASTFLOW_RELEASES  base URL of the releases (default: the GitHub releases);
#                       a file:// URL works too (the action's test uses one)
#   FEASTFLOW_DEST      where to install (default: $RUNNER_TEMP/feastflow or ./.feastflow)
set -euo pipefail

repo="https://github.com/feastflow/kubectl-feastflow"
version="${FEASTFLOW_VERSION:-latest}"
releases="${FEASTFLOW_RELEASES:-$repo/releases}"
dest="${FEASTFLOW_DEST:-${RUNNER_TEMP:-$PWD}/feastflow}"

fail() { echo "feastflow install: $*" >&2; exit 1; }

if [[ "$version" == latest ]]; then
	# The releases/latest page redirects to releases/tag/vX.Y.Z.
	url="$(curl -fsSLI -o /dev/null -w '%{url_effective}' "$releases/latest")" ||
		fail "cannot resolve the latest release at $releases/latest"
	version="${url##*/}"
fi
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "version $version is not a release tag like v0.1.0"

case "$(uname -s)" in
Linux) os=linux ;;
Darwin) os=darwin ;;
MINGW* | MSYS* | CYGWIN*) os=windows ;;
*) fail "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) fail "unsupported architecture $(uname -m)" ;;
esac
ext=tar.gz exe=kubectl-feastflow
[[ "$os" == windows ]] && ext=zip exe=kubectl-feastflow.exe
archive="kubectl-feastflow_${version}_${os}_${arch}.${ext}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
curl -fsSL -o "$tmp/$archive" "$releases/download/$version/$archive" || fail "download $archive of $version failed"
curl -fsSL -o "$tmp/checksums.txt" "$releases/download/$version/checksums.txt" || fail "download checksums.txt of $version failed"
want="$(awk -v f="$archive" '$2 == f { print $1 }' "$tmp/checksums.txt")"
[[ -n "$want" ]] || fail "checksums.txt of $version does not list $archive"
if command -v sha256sum >/dev/null; then
	got="$(sha256sum "$tmp/$archive" | cut -d' ' -f1)"
else
	got="$(shasum -a 256 "$tmp/$archive" | cut -d' ' -f1)"
fi
[[ "$got" == "$want" ]] || fail "$archive: sha256 $got, checksums.txt says $want"

mkdir -p "$dest"
if [[ "$ext" == zip ]]; then
	unzip -o -q "$tmp/$archive" -d "$dest"
else
	tar -xzf "$tmp/$archive" -C "$dest"
fi
[[ -x "$dest/$exe" ]] || fail "$archive holds no $exe"
[[ -n "${GITHUB_PATH:-}" ]] && echo "$dest" >>"$GITHUB_PATH"
echo "feastflow install: $("$dest/$exe" version)"
