#!/usr/bin/env bash
# Checks the Windows build windows.sh made, from Linux, without running it:
#   windows-check.sh EXE INSTALLER VERSION NUMERIC SIGNED(yes|no) MAKENSIS-LOG
# - the exe: a PE32+ x86-64 GUI program (subsystem 2, so no console window opens), cgo on
#   and go-sqlite3 linked (go version -m), main.version from the git tag, an icon and a
#   version resource with the tag's number;
# - the installer: NSIS, per user (no administrator rights: RequestExecutionLevel user,
#   installed under %LOCALAPPDATA%\Programs, its uninstall entry in HKCU), pages in
#   Japanese, the exe and the WebView2 bootstrapper inside, a Start-menu shortcut, an
#   uninstaller and its entry with the version; signed, or named -unsigned.
set -euo pipefail
exe=$1 installer=$2 version=$3 numeric=$4 signed=$5 nsislog=$6
SZ=$(command -v 7zz || command -v 7z)
fails=0
ok() { echo "    ok: $1"; }
bad() { echo "    FAIL: $1"; fails=$((fails + 1)); }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}
echo "==> windows: checking $exe and $installer"

# The program.
check "exe is PE32+ x86-64 for the Windows GUI" grep -q "PE32+ executable (GUI) x86-64" <(file -b "$exe")
check "PE subsystem 2 (Windows GUI)" grep -qE "^Subsystem[[:space:]]+0*2[[:space:]]" <(x86_64-w64-mingw32-objdump -p "$exe")
info=$(go version -m "$exe")
check "built with cgo (CGO_ENABLED=1)" grep -qE "build[[:space:]]+CGO_ENABLED=1" <<<"$info"
check "go-sqlite3 linked" grep -qE "dep[[:space:]]+github.com/mattn/go-sqlite3" <<<"$info"
check "GOOS=windows GOARCH=amd64" grep -qE "build[[:space:]]+GOOS=windows" <<<"$info"
check "release tags (desktop,production)" grep -qE "build[[:space:]]+-tags=.*production" <<<"$info"
check "main.version is the git tag ($version)" grep -qF -- "-X main.version=$version" <<<"$info"
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
check "exe has an icon" grep -q "ICON" <("$SZ" l "$exe")
check "exe has a version resource" grep -q "version.txt" <("$SZ" l "$exe")
check "exe version resource is the tag's $numeric" grep -qxE "$numeric(\.0)?" <(strings -el "$exe")

# The installer: what makensis compiled (its -V4 log) and what the file holds (7-Zip).
check "installer is an NSIS installer" grep -qi "nullsoft" <(file -b "$installer")
check "per-user: no administrator rights asked (RequestExecutionLevel user)" grep -qF '"REQUEST_EXECUTION_LEVEL=user"' "$nsislog"
check "per-user: installs under %LOCALAPPDATA%\\Programs" grep -qF 'InstallDir: "$LOCALAPPDATA\Programs\' "$nsislog"
check "per-user: uninstall entry in HKCU" grep -qF 'WriteRegStr: HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\' "$nsislog"
check "uninstall entry carries the version $numeric" grep -qE "DisplayVersion=$numeric\$" "$nsislog"
check "uninstaller written" grep -qF 'WriteUninstaller: "$INSTDIR\uninstall.exe"' "$nsislog"
check "Start-menu shortcut to kessaidesk.exe" grep -qE 'CreateShortcut: "\$SMPROGRAMS\\.*->"\$INSTDIR\\kessaidesk.exe"' "$nsislog"
check "pages in Japanese (LANG_JAPANESE 1041)" grep -qF "installer language: 1041" "$nsislog"
check "installer icon (MUI_ICON)" grep -qF '"MUI_ICON"=' "$nsislog"
"$SZ" x -y -o"$res/inst" "$installer" >/dev/null
check "the app inside as kessaidesk.exe" test -f "$res/inst/kessaidesk.exe"
check "the WebView2 bootstrapper inside (Wails -webview2 embed)" test -n "$(find "$res/inst" -iname 'MicrosoftEdgeWebview2Setup.exe' | head -1)"

# Signing: a signed build verifies; an unsigned one says so in its name.
if [ "$signed" = yes ]; then
  check "exe carries an Authenticode signature" grep -q "Signature" <(osslsigncode verify -in "$exe" 2>&1)
  check "installer carries an Authenticode signature" grep -q "Signature" <(osslsigncode verify -in "$installer" 2>&1)
else
  check "unsigned build named -unsigned" grep -q -- "-unsigned.exe$" <<<"$installer"
fi
if [ $fails -gt 0 ]; then
  echo "==> windows: $fails check(s) failed"
  exit 1
fi
echo "==> windows: all checks passed"
