#!/usr/bin/env bash
# Cross-builds the Windows app and its per-user NSIS installer from Linux, checks them,
# signs them when signing secrets are given, and runs them under Wine when Wine is
# installed (build/scripts/windows-wine.sh).
#
#   windows.sh        build (+ sign) the installer, check it; Wine smoke test if Wine is there
#
# Wine is not installed by this script: Debian 12's Wine 8.0 cannot start Go 1.22+
# programs (no bcryptprimitives.dll/ProcessPrng) and, without the i386 wine32, not the
# 32-bit NSIS installer either; windows-wine.sh says so and skips what it cannot run.
#
# Output: build/bin/KessaiDesk-<version>-windows-amd64-setup.exe, or …-setup-unsigned.exe
# when no signing secrets were given (the file name says so).
#
# Authenticode signing (osslsigncode), from the environment — never from the repository:
#   KESSAIDESK_SIGN_PFX_BASE64  the code-signing certificate and key, PKCS#12, base64
#   KESSAIDESK_SIGN_PASSWORD    its password
#   KESSAIDESK_SIGN_TIMESTAMP   an RFC 3161 timestamp server URL (optional; without one a
#                               signature stops verifying when the certificate expires)
# The exe is signed before NSIS packs it, then the installer itself.
#
# The version comes from one place, the git tag: `git describe --tags` is main.version
# (shown in About and the log) and the installer's name; its numeric part (v1.2.3 →
# 1.2.3, 0.0.0 without a tag) is the exe's and the installer's Windows version resource
# and the uninstall entry's DisplayVersion.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)

pkgs=(gcc-mingw-w64-x86-64 nsis osslsigncode file binutils-mingw-w64-x86-64 7zip)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> windows: apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "==> windows: tools ready in $(( $(date +%s) - start )) s"

version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
numeric=$(git describe --tags --abbrev=0 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)
numeric=${numeric:-0.0.0}
builddate=$(date -u +%Y-%m-%dT%H:%M:%SZ)
work_log=$(mktemp)

# The licences shown in About, generated from what this build ships.
go run ./build/licenses

# wails.json's productVersion is the Windows version resource: set from the tag for this
# build only, restored afterwards.
cp wails.json build/bin/.wails.json.orig 2>/dev/null || { mkdir -p build/bin; cp wails.json build/bin/.wails.json.orig; }
restore() { cp build/bin/.wails.json.orig wails.json && rm -f build/bin/.wails.json.orig; }
trap restore EXIT
node -e '
  const fs = require("fs"); const j = JSON.parse(fs.readFileSync("wails.json", "utf8"));
  j.info.productVersion = process.argv[1]; fs.writeFileSync("wails.json", JSON.stringify(j, null, 2) + "\n");' "$numeric"

# cgo must be on for go-sqlite3; the CLI does not set it for a windows target. The tags
# are wails.json's build:tags (the CLI adds them), the WebView2 strategy Wails' "embed":
# the exe carries the WebView2 bootstrapper and the installer runs it when the runtime
# is missing.
rm -f build/bin/*installer*.exe build/bin/KessaiDesk-*-setup*.exe
t0=$(date +%s)
# The frontend is built here, not by the CLI: wails build would run wails.json's
# frontend:install (npm ci) first, replacing node_modules under anyone using it.
# KESSAIDESK_FRONTEND_BUILT=1: frontend/dist is already built from this tree (CI's
# frontend-test just built it) and is used as is.
wails generate module >"$work_log" 2>&1 || { cat "$work_log"; exit 1; }
if [ "${KESSAIDESK_FRONTEND_BUILT:-}" != 1 ]; then
  (cd frontend && npm run build) >"$work_log" 2>&1 || { cat "$work_log"; exit 1; }
fi
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc wails build -nocolour -nosyncgomod -s -skipbindings -platform windows/amd64 \
  -nsis -installscope user -webview2 embed -o kessaidesk.exe \
  -ldflags "-X main.version=$version -X main.buildDate=$builddate"
echo "==> windows: wails build in $(( $(date +%s) - t0 )) s"
restore
trap - EXIT

exe=build/bin/kessaidesk.exe
installer=$(ls build/bin/*-amd64-installer.exe)

# The installer is made again by makensis here, with its log kept for the checks (what
# it installs where, in which language), around the exe signed first when the signing
# secrets are there; then the installer itself is signed.
signed=no
sign() { :; }
if [ -n "${KESSAIDESK_SIGN_PFX_BASE64:-}" ]; then
  keydir=$(mktemp -d)
  trap 'rm -rf "$keydir"' EXIT
  echo "$KESSAIDESK_SIGN_PFX_BASE64" | base64 -d >"$keydir/sign.pfx"
  sign() { # sign FILE
    local ts=()
    [ -n "${KESSAIDESK_SIGN_TIMESTAMP:-}" ] && ts=(-ts "$KESSAIDESK_SIGN_TIMESTAMP")
    osslsigncode sign -pkcs12 "$keydir/sign.pfx" -pass "${KESSAIDESK_SIGN_PASSWORD:-}" -h sha256 \
      -n "決済デスク Kessai Desk" "${ts[@]}" -in "$1" -out "$1.signed" >/dev/null
    mv "$1.signed" "$1"
  }
  signed=yes
fi
sign "$exe"
nsislog=build/bin/windows-installer.log
(cd build/windows/installer && makensis -V4 -DARG_WAILS_AMD64_BINARY="$PWD/../../bin/kessaidesk.exe" \
  -DWAILS_INSTALL_SCOPE=user -DREQUEST_EXECUTION_LEVEL=user project.nsi) >"$nsislog" 2>&1 || { tail -30 "$nsislog"; exit 1; }
sign "$installer"
suffix=""
[ $signed = yes ] || suffix="-unsigned"
out="build/bin/KessaiDesk-${version}-windows-amd64-setup${suffix}.exe"
mv "$installer" "$out"
echo "==> windows: $out ($(du -h "$out" | cut -f1))"

build/scripts/windows-check.sh "$exe" "$out" "$version" "$numeric" "$signed" "$nsislog"

if [ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1; then
  build/scripts/windows-wine.sh "$exe" "$out"
else
  echo "==> windows: Wine is not installed: nothing was run under Wine (see windows-wine.sh)"
fi
echo "==> windows: done in $(( $(date +%s) - start )) s"
