#!/usr/bin/env bash
# Real-browser end-to-end tests: builds the app with the dev tag, runs it under Xvfb with
# the Wails dev server on 127.0.0.1, and drives it with playwright-core and Debian's
# Chromium (frontend/e2e/*.mjs).
#   - the demo scripts (capture, work-and-settings) share one app on a fresh data folder
#     and choose 「デモショップで試す」 on its first window;
#   - own-shop.mjs gets its own app on another fresh folder ("start with my shop") and a
#     sandbox (`kessaidesk sandbox -json -shop DIR` in a third folder) whose sample
#     back-office CSV it imports, links and captures;
#   - shared-db.mjs (only under build/scripts/pg.sh, which sets KESSAIDESK_TEST_PG) gets its
#     own app on a fresh folder, moves it to the test server, then the app is started
#     again on the server (shared-db-after.mjs, E2E_PHASE=shared) and once more with the
#     server out of reach (E2E_PHASE=offline: the last copy, read-only).
set -euo pipefail
cd "$(dirname "$0")/../.."

# E2E_BIN: another path for the dev binary (runs side by side must not share one);
# E2E_ASSETS: the built frontend to serve (a private copy of frontend/dist);
# E2E_ONLY: the scripts to run ("frontend/e2e/a.mjs frontend/e2e/b.mjs"), all when unset.
bin=${E2E_BIN:-build/bin/kessaidesk-dev}
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac # absolute: the app runs from another folder
mkdir -p "$(dirname "$bin")"
mkdir -p build/bin
echo "==> e2e: building $bin"
go build -tags dev,webkit2_41,sqlite_fts5 -o "$bin" .

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM -- -"$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -KILL -- -"$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

freeport() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# start_app NAME: runs the app on $work/NAME-data; sets $url and $log.
start_app() {
  local name=$1 port
  port=$(freeport)
  url="http://127.0.0.1:$port"
  log="$work/$name.log"
  # The Wails dev build reads its dev-server settings from the environment. The app
  # keeps gateway secrets in the OS keychain: a private D-Bus session with a throwaway
  # gnome-keyring (never the user's) in its own HOME.
  local home="$work/$name-home"
  mkdir -p "$home/run" && chmod 700 "$home/run"
  setsid env devserver="127.0.0.1:$port" assetdir="${E2E_ASSETS:-$PWD/frontend/dist}" KESSAIDESK_DATA="$work/$name-data" \
    HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run" \
    dbus-run-session -- sh -c 'echo -n kessai-e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec xvfb-run -a -s "-screen 0 1400x900x24" "$0"' "$bin" >"$log" 2>&1 &
  local app=$!
  pids+=("$app")
  last_app=$app
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$url/"; then return 0; fi
    if ! kill -0 "$app" 2>/dev/null; then echo "the app exited:"; cat "$log"; exit 1; fi
    sleep 0.5
  done
  echo "the app did not come up:"; cat "$log"; exit 1
}

# stop_app: stops the app start_app started last and waits until it is gone (it
# releases the data folder's lock).
stop_app() {
  kill -TERM -- -"$last_app" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$last_app" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL -- -"$last_app" 2>/dev/null || true
  sleep 0.5
}

shots=${E2E_SHOTS:-build/bin/e2e-shots}
rm -rf "$shots"; mkdir -p "$shots"
status=0
run_script() { # run_script FILE [ENV=VALUE...]
  local t=$1; shift
  echo "==> e2e: $t"
  if ! env E2E_URL="$url" E2E_SHOTS="$shots" "$@" node "$t"; then
    status=1
    echo "---- app log ----"; tail -n 50 "$log"
  fi
}

selected() { [ -z "${E2E_ONLY:-}" ] || [[ " $E2E_ONLY " == *" $1 "* ]]; }

demo_scripts=()
for t in frontend/e2e/*.mjs; do
  case $(basename "$t") in own-shop.mjs | shared-db*.mjs) continue ;; esac
  selected "$t" && demo_scripts+=("$t")
done
if [ ${#demo_scripts[@]} -gt 0 ]; then
  start_app demo
  for t in "${demo_scripts[@]}"; do run_script "$t"; done
fi

if selected frontend/e2e/own-shop.mjs; then
  # The sandbox the shop's profile points at, with a sample shop (CSV files whose
  # transactions exist at the simulators).
  sbjson="$work/sandbox.json"
  setsid "$bin" -data "$work/sandbox-data" -json sandbox -shop "$work/shop" >"$sbjson" 2>"$work/sandbox.log" &
  pids+=("$!")
  for _ in $(seq 1 60); do
    if node -e "JSON.parse(require('fs').readFileSync('$sbjson','utf8'))" 2>/dev/null; then break; fi
    sleep 0.5
  done
  node -e "JSON.parse(require('fs').readFileSync('$sbjson','utf8'))" || { echo "the sandbox did not start:"; cat "$work/sandbox.log"; exit 1; }
  start_app own
  mkdir -p "$work/export"
  run_script frontend/e2e/own-shop.mjs E2E_SANDBOX_JSON="$sbjson" E2E_EXPORT_DIR="$work/export"
fi
if selected frontend/e2e/shared-db.mjs && [ -n "${KESSAIDESK_TEST_PG:-}" ]; then
  start_app shared
  run_script frontend/e2e/shared-db.mjs
  stop_app
  start_app shared # on the server now
  run_script frontend/e2e/shared-db-after.mjs E2E_PHASE=shared
  stop_app
  # The server out of reach: the folder's settings point at a port nobody listens on.
  node -e "const f=process.argv[1],fs=require('fs'),c=JSON.parse(fs.readFileSync(f,'utf8'));c.port=1;fs.writeFileSync(f,JSON.stringify(c))" "$work/shared-data/shared-db.json"
  start_app shared
  run_script frontend/e2e/shared-db-after.mjs E2E_PHASE=offline
fi
exit $status
