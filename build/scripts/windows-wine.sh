#!/usr/bin/env bash
# Runs the Windows build under Wine (Debian's wine64) in a throwaway prefix:
#   windows-wine.sh EXE INSTALLER
# 1. the command line of kessaidesk.exe: a demo shop's orders exported to CSV, imported
#    into a fresh data folder, `status` of one of them, exported again (the same rows),
#    and the log file written — SQLite, CP932/UTF-8 CSV and the folder lock on Windows;
# 2. the installer, silently (/S): the app under %LOCALAPPDATA%\Programs, the
#    Start-menu shortcut, the uninstall entry in HKCU; then the uninstaller removes them.
# The window itself needs WebView2, which Wine does not have: it is not started.
set -euo pipefail
exe=$(realpath "$1") installer=$(realpath "$2")
W=/usr/lib/wine/wine64
[ -x "$W" ] || W=$(command -v wine64 || command -v wine)
WS=$(dirname "$W")/wineserver
[ -x "$WS" ] || WS=$(dirname "$W")/wineserver64
t0=$(date +%s)
root=$(mktemp -d)
export WINEPREFIX="$root/pfx" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
cleanup() { "$WS" -k >/dev/null 2>&1 || true; rm -rf "$root"; }
trap cleanup EXIT
echo "==> wine: preparing a prefix"
timeout 300 "$W" wineboot --init >/dev/null 2>&1
c="$WINEPREFIX/drive_c"
fails=0
step() { # step DESCRIPTION EXPECTED-EXIT COMMAND...: runs kessaidesk.exe under Wine
  local what=$1 want=$2; shift 2
  local rc=0
  timeout 180 "$W" "$exe" "$@" >"$root/out.txt" 2>"$root/err.txt" || rc=$?
  if [ "$rc" = "$want" ]; then
    echo "    ok: $what (exit $rc)"
  else
    echo "    FAIL: $what: exit $rc, wanted $want"; sed 's/^/      /' "$root/out.txt" "$root/err.txt" | tail -20
    fails=$((fails + 1))
  fi
}

echo "==> wine: the command line"
# Go 1.22 and later call ProcessPrng in bcryptprimitives.dll at start, which Wine gained
# after 8.0 (Debian 12's): there the Go program cannot start at all, and only the
# installer (NSIS, not Go) can be run.
probe=0
timeout 60 "$W" "$exe" help >"$root/out.txt" 2>"$root/err.txt" || probe=$?
if grep -q "bcryptprimitives.dll not found" "$root/err.txt"; then
  echo "    SKIPPED: this Wine ($("$W" --version 2>/dev/null)) cannot start Go $(go version -m "$exe" | head -1 | awk '{print $2}') programs"
  echo "    (no bcryptprimitives.dll/ProcessPrng): the command line is not run under Wine here"
  cli=no
else
  cli=yes
fi
if [ $cli = yes ]; then
step "export a new demo shop's orders" 0 -data 'C:\kd-demo' -demo export -o 'C:\orders.csv'
rows=$(($(wc -l <"$c/orders.csv") - 1))
echo "    $rows orders in C:\\orders.csv"
order=$(sed -n 2p "$c/orders.csv" | cut -d, -f1 | tr -d '"\r')
step "import them into a fresh data folder" 0 -data 'C:\kd' -json import 'C:\orders.csv'
grep -q '"new"' "$root/out.txt" || grep -q 'new' "$root/out.txt" || true
step "status of order $order" 0 -data 'C:\kd' -json status "$order"
if grep -qF "\"$order\"" "$root/out.txt"; then echo "    ok: status names the order"; else echo "    FAIL: status output lacks $order"; fails=$((fails + 1)); fi
step "export again (Shift_JIS for Excel)" 0 -data 'C:\kd' export -sjis -o 'C:\again.csv'
again=$(($(wc -l <"$c/again.csv") - 1))
if [ "$again" = "$rows" ]; then echo "    ok: the same $rows orders came back"; else echo "    FAIL: $again orders exported, $rows imported"; fails=$((fails + 1)); fi
step "a bad command line exits 2" 2 -data 'C:\kd' status
if [ -s "$c/kd/logs/kessaidesk.log" ]; then echo "    ok: C:\\kd\\logs\\kessaidesk.log written"; else echo "    FAIL: no log file"; fails=$((fails + 1)); fi
fi

echo "==> wine: the installer (silent)"
# WebView2 counts as installed (Wine has none to offer): the installer skips its bootstrapper.
"$W" reg add 'HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' /v pv /d 120.0.0.0 /f >/dev/null 2>&1 || true
timeout 300 "$W" "$installer" /S >/dev/null 2>&1 || true
timeout 120 "$WS" -w >/dev/null 2>&1 || true
user_dir=$(find "$c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -1)
app=$(find "$user_dir" -path '*Local/Programs*' -name kessaidesk.exe 2>/dev/null | head -1 || true)
if [ -z "$app" ] && ! file -b "$installer" | grep -q "PE32+" && [ ! -e /usr/lib/wine/wine ] && [ ! -e /usr/lib/i386-linux-gnu/wine ]; then
  # NSIS installers are 32-bit programs: a Wine without its 32-bit half (Debian's wine32,
  # an i386 package) cannot start them.
  echo "    SKIPPED: the installer is a 32-bit program and this Wine has no 32-bit support (wine32): not installed under Wine here"
else
  if [ -n "$app" ]; then echo "    ok: installed per user: ${app#"$c"/}"; else echo "    FAIL: kessaidesk.exe not under AppData\\Local\\Programs"; fails=$((fails + 1)); fi
  lnk=$(find "$user_dir" -path '*Start Menu*' -name '*.lnk' 2>/dev/null | head -1 || true)
  if [ -n "$lnk" ]; then echo "    ok: Start-menu shortcut: $(basename "$lnk")"; else echo "    FAIL: no Start-menu shortcut"; fails=$((fails + 1)); fi
  if "$W" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | tr -d '\r' | grep -q "UninstallString"; then
    echo "    ok: uninstall entry in HKCU"
  else
    echo "    FAIL: no uninstall entry in HKCU"; fails=$((fails + 1))
  fi
  if [ -n "$app" ]; then
    timeout 300 "$W" "$(dirname "$app")/uninstall.exe" /S >/dev/null 2>&1 || true
    timeout 120 "$WS" -w >/dev/null 2>&1 || true # the uninstaller runs on from a copy in TEMP
    if [ ! -e "$app" ]; then echo "    ok: the uninstaller removed the app"; else echo "    FAIL: the app is still there after uninstalling"; fails=$((fails + 1)); fi
  fi
fi
echo "==> wine: done in $(( $(date +%s) - t0 )) s"
[ $fails -eq 0 ] || { echo "==> wine: $fails step(s) failed"; exit 1; }
