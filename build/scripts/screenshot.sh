#!/usr/bin/env bash
# Takes a screenshot of the real window (production build tags) under Xvfb, on a fresh
# demo data folder, so anyone can look at the app on a headless machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=build/bin/kessaidesk-shot
out=${1:-build/bin/screenshot.png}
mkdir -p build/bin
go build -tags desktop,production,webkit2_41,sqlite_fts5 -o "$bin" .

work=$(mktemp -d)
trap 'kill -TERM -- -"${app:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
# Start Xvfb on a free display, then the app on it.
setsid xvfb-run -a -s "-screen 0 1400x900x24" sh -c "
  KESSAIDESK_DATA='$work/data' '$PWD/$bin' &
  pid=\$!
  sleep \${SCREENSHOT_WAIT:-8}
  import -window root '$PWD/$out'
  kill \$pid
" &
app=$!
wait "$app" || true
test -s "$out" && echo "==> screenshot: $out"
