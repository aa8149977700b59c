#!/usr/bin/env bash
# Checks the Windows build windows.sh made, from Linux, without running it:
#   windows-check.sh EXE INSTALLER VERSION NUMERIC SIGNED(yes|no)
# - the exe: a PE32+ x86-64 GUI program (subsystem 2, so no console window opens), cgo on
#   and go-sqlite3 linked (go version -m), main.version from the git tag, an icon and a
#   version resource with the tag's number;
# - the installer: NSIS, per user (no administrator rights: RequestExecutionLevel user,
#   installed under %LOCALAPPDATA%\Programs, its uninstall entry in HKCU), pages in
#   Japanese, the exe and the WebView2 bootstrapper inside, a Start-menu shortcut, an
#   uninstaller and its entry with the version; signed, or named -unsigned.
set -euo pipefail
exe=$1 installer=$2 version=$3 numeric=$4 signed=$5
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
7z x -y -o"$res/exe" "$exe" .rsrc >/dev/null 2>&1 || true
check "exe has an icon" test -n "$(find "$res/exe/.rsrc" -ipath '*icon*' -type f 2>/dev/null | head -1)"
check "exe version resource $numeric" grep -rqa "$(printf '%s' "$numeric" | sed 's/./&\x00/g')" "$res/exe/.rsrc"

# The installer: 7-Zip unpacks NSIS installers and writes their script as [NSIS].nsi.
check "installer is an NSIS installer" grep -qi "nullsoft" <(file -b "$installer")
7z x -y -o"$res/inst" "$installer" >/dev/null
nsi="$res/inst/[NSIS].nsi"
check "installer script recovered" test -s "$nsi"
check "per-user: no administrator rights asked" grep -qiE "RequestExecutionLevel user" "$nsi"
check "per-user: installs under %LOCALAPPDATA%\\Programs" grep -qF 'LOCALAPPDATA\Programs' "$nsi"
check "per-user: uninstall entry in HKCU" grep -qE 'WriteRegStr HKCU Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\' "$nsi"
check "uninstall entry carries the version $numeric" grep -qE "DisplayVersion $numeric" "$nsi"
check "uninstaller written" grep -qE 'WriteUninstaller .*uninstall.exe' "$nsi"
check "Start-menu shortcut" grep -qE 'CreateShortCut .*SMPROGRAMS' "$nsi"
check "pages in Japanese" grep -qE "LangString|^; Language: 1041|1041" "$nsi"
check "the app inside" test -f "$(find "$res/inst" -name kessaidesk.exe | head -1)"
check "the WebView2 bootstrapper inside (Wails -webview2 embed)" test -n "$(find "$res/inst" -iname 'MicrosoftEdgeWebview2Setup.exe' | head -1)"
check "installer icon" test -n "$(find "$res/inst" -iname '*.ico' | head -1)$(grep -l 'Icon' "$nsi")"

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
