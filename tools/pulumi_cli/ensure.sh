#!/usr/bin/env bash
# `make pulumi`: make a working Pulumi CLI available; the LAST line printed is the absolute path of its `pulumi`.
#
# Order: a `pulumi` on PATH at or above the pinned version (an official install, with its Python language host);
# else a previous build in .pulumi-cli/bin; else build from the Go module proxy (tools/pulumi_cli/go.mod pins the
# version): the CLI with the release build's flags, our Python language host (language-python/, since the proxy
# does not serve Pulumi's), and the SDK's dynamic-provider script from the sdk/v3 module; else, with no Go, say how
# to install Pulumi and exit 1. Nothing is downloaded at run time.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${PULUMI_CLI_DIR:-$ROOT/.pulumi-cli}"
BIN="$OUT/bin"
PINNED="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$HERE/go.mod")"
[ -n "$PINNED" ] || { echo "make pulumi: no pkg/v3 version in $HERE/go.mod" >&2; exit 2; }
SDK=github.com/pulumi/pulumi/sdk/v3

version_of() { "$1" version 2>/dev/null | head -n1 | tr -d '[:space:]'; }
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }   # $1 >= $2
# What the language host is built from: a change to any of these files rebuilds it.
host_stamp() { cat "$HERE/go.mod" "$HERE"/language-python/* | sha256sum | cut -c1-16; }

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

cli_ready() { [ -x "$BIN/pulumi" ] && [ "$(version_of "$BIN/pulumi")" = "$PINNED" ]; }
host_ready() {
  [ -x "$BIN/pulumi-language-python" ] && [ -x "$BIN/pulumi-resource-pulumi-python" ] \
    && [ "$(cat "$BIN/.language-python-stamp" 2>/dev/null)" = "$(host_stamp)" ]
}

# 2. A previous build of the pinned version (used as it is where there is no Go to rebuild the host).
if cli_ready && { host_ready || { [ -x "$BIN/pulumi-language-python" ] && ! command -v go >/dev/null 2>&1; }; }; then
  echo "make pulumi: $PINNED already built"
  echo "$BIN/pulumi"
  exit 0
fi

# 3. Build what is missing from Go modules.
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
make pulumi: no Pulumi CLI $PINNED or newer on PATH, and no Go toolchain to build it from source.
  Install the CLI (any of):  curl -fsSL https://get.pulumi.com | sh      (then add ~/.pulumi/bin to PATH)
                             brew install pulumi/tap/pulumi                 (macOS)
                             winget install pulumi                          (Windows)
  or install Go ($(awk '$1 == "go" { print $2; exit }' "$HERE/go.mod") or newer) and run 'make pulumi' again.
MSG
  exit 1
fi
mkdir -p "$BIN"
started=$SECONDS
cd "$HERE"
# The release build's flags (pulumi's .goreleaser.yml): static, trimmed, stripped, version stamped.
FLAGS=(-mod=mod -trimpath -tags osusergo,grpcnotrace)
if ! cli_ready; then
  echo "make pulumi: building the Pulumi CLI $PINNED from Go modules into $BIN (cold: several minutes)" >&2
  CGO_ENABLED=0 go build "${FLAGS[@]}" \
    -ldflags "-w -s -X $SDK/go/common/version.Version=$PINNED" \
    -o "$BIN/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$BIN/pulumi.partial" "$BIN/pulumi"
  built="$(version_of "$BIN/pulumi")"
  [ "$built" = "$PINNED" ] || { echo "make pulumi: built CLI reports '$built', expected $PINNED" >&2; exit 1; }
fi
echo "make pulumi: building the Python language host (tools/pulumi_cli/language-python)" >&2
CGO_ENABLED=0 go build "${FLAGS[@]}" -ldflags "-w -s -X main.version=${PINNED#v}" \
  -o "$BIN/pulumi-language-python.partial" ./language-python
mv "$BIN/pulumi-language-python.partial" "$BIN/pulumi-language-python"
# The dynamic-provider plugin's launcher, as every official install ships it: from the sdk/v3 module itself.
sdk_dir="$(go list -mod=mod -m -f '{{.Dir}}' "$SDK")"
install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
rm -f "$BIN/pulumi-analyzer-policy-python"
host_stamp > "$BIN/.language-python-stamp"
echo "make pulumi: ready in $((SECONDS - started)) s" >&2
echo "$BIN/pulumi"
