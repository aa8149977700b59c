#!/usr/bin/env bash
# Cross-builds the Windows app and its per-user NSIS installer from Linux.
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
for p in gcc-mingw-w64-x86-64 nsis; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# cgo must be on for go-sqlite3; the CLI does not set it for a windows target.
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc wails build -nocolour -nosyncgomod -platform windows/amd64 \
  -nsis -installscope user -webview2 embed -o kessaidesk.exe
ls -l build/bin/*installer*.exe
