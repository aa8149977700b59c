#!/usr/bin/env bash
# Real-browser end-to-end test: builds the app with the dev tag, runs it under Xvfb on a
# fresh demo data folder with the Wails dev server on 127.0.0.1, and drives it with
# playwright-core and Debian's Chromium (frontend/e2e/*.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=build/bin/kessaidesk-dev
mkdir -p build/bin
echo "==> e2e: building $bin"
go build -tags dev,webkit2_41 -o "$bin" .

work=$(mktemp -d)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
url="http://127.0.0.1:$port"
log="$work/app.log"

# The Wails dev build reads its dev-server settings from the environment.
setsid env devserver="127.0.0.1:$port" assetdir="$PWD/frontend/dist" KESSAIDESK_DATA="$work/data" \
  xvfb-run -a -s "-screen 0 1400x900x24" "$bin" >"$log" 2>&1 &
app=$!
cleanup() {
  kill -TERM -- -"$app" 2>/dev/null || true
  sleep 1
  kill -KILL -- -"$app" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for i in $(seq 1 120); do
  if curl -fsS -o /dev/null "$url/"; then break; fi
  if ! kill -0 "$app" 2>/dev/null; then echo "the app exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS -o /dev/null "$url/" || { echo "the app did not come up:"; cat "$log"; exit 1; }

shots=${E2E_SHOTS:-build/bin/e2e-shots}
rm -rf "$shots"; mkdir -p "$shots"
status=0
for t in ${E2E_ONLY:-frontend/e2e/*.mjs}; do
  echo "==> e2e: $t"
  if ! E2E_URL="$url" E2E_SHOTS="$shots" node "$t"; then
    status=1
    echo "---- app log ----"; tail -n 50 "$log"
  fi
done
exit $status
