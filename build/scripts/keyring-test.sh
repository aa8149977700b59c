#!/usr/bin/env bash
# Runs the keychain integration tests against the real Secret Service: a private D-Bus
# session with gnome-keyring unlocked in a throwaway HOME (never the user's keyring).
set -euo pipefail
cd "$(dirname "$0")/../.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/run" && chmod 700 "$T/run"
echo "==> keyring integration tests (gnome-keyring under dbus-run-session)"
HOME=$T XDG_DATA_HOME=$T/.local/share XDG_RUNTIME_DIR=$T/run \
GOENV=$(go env GOENV) GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH) \
  dbus-run-session -- sh -c 'echo -n kessai-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; go test -count=1 -tags keyring_integration,sqlite_fts5 -run Keyring ./backend/...'
