#!/usr/bin/env bash
# `make pulumi`: make a working Pulumi CLI available; the LAST line printed is the absolute path of its `pulumi`.
#
# Order: a `pulumi` on PATH at or above the pinned version; else a previous build in .pulumi-cli/bin (same
# version); else build the pinned version from the Go module proxy (tools/pulumi_cli/go.mod pins it, the release
# build's flags); else, with no Go, say how to install Pulumi and exit 1. Nothing is downloaded at run time.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${PULUMI_CLI_DIR:-$ROOT/.pulumi-cli}"
BIN="$OUT/bin"
PINNED="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$HERE/go.mod")"
[ -n "$PINNED" ] || { echo "make pulumi: no pkg/v3 version in $HERE/go.mod" >&2; exit 2; }

version_of() { "$1" version 2>/dev/null | head -n1 | tr -d '[:space:]'; }
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }   # $1 >= $2

# 1. A pulumi on PATH (not our own build) that is new enough.
if [ -z "${PULUMI_CLI_FORCE_BUILD:-}" ] && on_path="$(command -v pulumi 2>/dev/null)" \
   && [ "$(cd "$(dirname "$on_path")" && pwd)" != "$BIN" ]; then
  found="$(version_of "$on_path")"
  if [ -n "$found" ] && at_least "${found#v}" "${PINNED#v}"; then
    echo "make pulumi: using $found from PATH"
    echo "$(cd "$(dirname "$on_path")" && pwd)/$(basename "$on_path")"
    exit 0
  fi
  echo "make pulumi: ignoring $on_path ($found is older than $PINNED)"
fi

install_launcher() {
  install -m 0755 "$HERE/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
}

# 2. A previous build of the pinned version.
if [ -x "$BIN/pulumi" ] && [ "$(version_of "$BIN/pulumi")" = "$PINNED" ]; then
  install_launcher
  echo "make pulumi: $PINNED already built"
  echo "$BIN/pulumi"
  exit 0
fi

# 3. Build it from Go modules.
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<EOF
make pulumi: no Pulumi CLI $PINNED or newer on PATH, and no Go toolchain to build it from source.
  Install the CLI (any of):  curl -fsSL https://get.pulumi.com | sh      (then add ~/.pulumi/bin to PATH)
                             brew install pulumi/tap/pulumi                 (macOS)
                             winget install pulumi                          (Windows)
  or install Go ($(awk '$1 == "go" { print $2; exit }' "$HERE/go.mod") or newer) and run 'make pulumi' again.
EOF
  exit 1
fi
echo "make pulumi: building the Pulumi CLI $PINNED from Go modules into $BIN (cold: several minutes)" >&2
mkdir -p "$BIN"
started=$SECONDS
(
  cd "$HERE"
  # The release build's flags (pulumi's .goreleaser.yml): static, trimmed, stripped, version stamped.
  CGO_ENABLED=0 go build -mod=mod -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PINNED" \
    -o "$BIN/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)
mv "$BIN/pulumi.partial" "$BIN/pulumi"
install_launcher
built="$(version_of "$BIN/pulumi")"
[ "$built" = "$PINNED" ] || { echo "make pulumi: built CLI reports '$built', expected $PINNED" >&2; exit 1; }
echo "make pulumi: built $PINNED in $((SECONDS - started)) s" >&2
echo "$BIN/pulumi"
