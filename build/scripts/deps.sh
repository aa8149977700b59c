#!/usr/bin/env bash
# Installs what Kessai Desk needs on Debian/Ubuntu, skipping what is already there.
#   deps.sh run   — to build and run the app
#   deps.sh test  — to run every test (adds Xvfb, Chromium, fonts, gnome-keyring)
#   deps.sh screens — for make screenshots (the test set, xdotool and the openbox window manager)
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=${1:-run}
pkgs=(gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
if [ "$mode" = test ] || [ "$mode" = screens ]; then
  pkgs+=(xvfb xauth chromium fonts-noto-cjk gnome-keyring dbus-x11 libsecret-tools imagemagick procps)
fi
[ "$mode" = screens ] && pkgs+=(xdotool openbox)

# Go and Node.js from apt when absent: an older Go fetches the toolchain go.mod asks for
# by itself (GOTOOLCHAIN=auto, through the module proxy).
command -v go >/dev/null || pkgs+=(golang-go)
command -v npm >/dev/null || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v go >/dev/null || { echo "Go could not be installed; see https://go.dev/dl/" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ with npm could not be installed" >&2; exit 1; }

# The Wails CLI, pinned (the module proxy's @latest resolves to an old release).
WAILS_VERSION=v2.16.0
GOBIN=$(go env GOPATH)/bin
if ! "$GOBIN/wails" version 2>/dev/null | grep -q "${WAILS_VERSION}"; then
  echo "==> installing the wails CLI ${WAILS_VERSION}"
  go install github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}
fi

# Frontend packages, exactly as locked.
if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi
