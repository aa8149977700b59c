#!/usr/bin/env bash
# make screenshots: every screen of the real window (production build tags, WebKitGTK)
# at 1366×768 and 1920×1080, in Japanese and English, light and dark, on a fresh demo
# shop: build/bin/screens/<lang>-<theme>-<size>-<screen>.png.
#
# No browser driver: each screen is one start of the app on a copy of the demo folder,
# told where to open by its start options (app/start.go: KESSAIDESK_START_VIEW,
# KESSAIDESK_LANG); a selection is made with xdotool keys, a dialog closed with Esc.
# Under Xvfb with openbox as the window manager: at 1366×768 the app maximises itself
# (its own fit to a small screen); at 1920×1080 (where it would open at 1280×820) openbox
# maximises it, as an operator on a large monitor would. The theme is GTK's: GTK_THEME
# Adwaita or Adwaita:dark, which WebKitGTK passes to the page as prefers-color-scheme —
# checked on every shot by the colour of the page's corner.
#
# Narrow a run with SCREENS_SIZES="1366x768", SCREENS_LANGS="en", SCREENS_THEMES="dark",
# SCREENS_ONLY="home orders" (screen names below); SCREENS_WAIT: the longest wait for a
# screen to settle (15 s).
set -euo pipefail
cd "$(dirname "$0")/../.."

# name|start view|keys after the start (xdotool key names)|name of a second shot after Esc
screens=(
  "home|home||"
  "orders|orders||"
  "orders-search|orders:100080~100140|j x j j x j x j|"
  "order-card-capture|order:100089:capture||order-card"
  "order-konbini|order:100008||"
  "import|import||"
  "work|work||"
  "reports|reports||"
  "reports-outstanding|reports:outstanding||"
  "settings-gateways|settings:gateways||"
  "settings-sync|settings:sync||"
  "settings-operator|settings:operator||"
  "settings-display|settings:display||"
  "settings-backup|settings:backup||"
  "settings-shared|settings:shared||"
  "settings-advanced|settings:advanced||"
)

# --inside W H LANG THEME BIN DEMO OUT: the screens of one size, language and theme, run
# by xvfb-run (the display is set).
if [ "${1:-}" = --inside ]; then
  w=$2 h=$3 lang=$4 theme=$5 bin=$6 demo=$7 out=$8
  tmp=$(mktemp -d)
  rc="$tmp/openbox.xml"
  if [ "$w" -ge 1920 ]; then
    printf '%s\n' '<openbox_config xmlns="http://openbox.org/3.4/rc"><applications>' \
      '<application class="*"><maximized>true</maximized></application></applications></openbox_config>' >"$rc"
  else
    printf '%s\n' '<openbox_config xmlns="http://openbox.org/3.4/rc"></openbox_config>' >"$rc"
  fi
  openbox --config-file "$rc" >/dev/null 2>&1 &
  wm=$!
  # settle: waits until the screen has not changed for 1.5 s (the page has drawn what it
  # reads at start; on a busy machine that takes from 2 to 10 s), at most SCREENS_WAIT s.
  settle() {
    local last="" same=0 sum end=$((SECONDS + ${SCREENS_WAIT:-15}))
    sleep 1.5
    while [ $SECONDS -lt $end ]; do
      sum=$(import -window root rgb:- 2>/dev/null | md5sum)
      if [ "$sum" = "$last" ]; then
        same=$((same + 1))
        [ $same -ge 3 ] && return 0
      else
        same=0 last=$sum
      fi
      sleep 0.5
    done
    echo "screens: $name did not settle in ${SCREENS_WAIT:-15} s ($lang $theme ${w}x$h)"
  }
  gtk=Adwaita
  [ "$theme" = dark ] && gtk=Adwaita:dark
  status=0
  for entry in "${screens[@]}"; do
    IFS='|' read -r name view keys then <<<"$entry"
    [ -z "${SCREENS_ONLY:-}" ] || [[ " $SCREENS_ONLY " == *" $name "* ]] || continue
    data="$tmp/data-$name"
    rm -rf "$data"; cp -r "$demo" "$data"
    GTK_THEME=$gtk KESSAIDESK_LANG=$lang KESSAIDESK_START_VIEW=$view "$bin" -data "$data" >"$tmp/app.log" 2>&1 &
    app=$!
    # The window, looked for every half second (xdotool's own --sync dies of an X error
    # when a window it is looking at goes away meanwhile).
    win=""
    for _ in $(seq 1 120); do
      win=$(xdotool search --onlyvisible --name 'Kessai Desk' 2>/dev/null | head -1) || true
      [ -n "$win" ] || ! kill -0 "$app" 2>/dev/null && break
      sleep 0.5
    done
    if [ -z "$win" ]; then
      echo "screens: the window did not appear ($name $lang $theme ${w}x$h)"; tail -n 5 "$tmp/app.log"
      kill "$app" 2>/dev/null; status=1; continue
    fi
    settle
    # Keys through XTEST to the active window (GTK ignores keys sent to a window directly).
    xdotool windowactivate --sync "$win" 2>/dev/null || true
    if [ -n "$keys" ]; then
      # shellcheck disable=SC2086 # one key name per word
      xdotool key --delay 120 $keys
      settle
    fi
    base="$out/$lang-$theme-${w}x$h"
    import -window root "$base-$name.png"
    if [ -n "$then" ]; then
      xdotool key Escape
      settle
      import -window root "$base-$then.png"
    fi
    kill "$app" 2>/dev/null; wait "$app" 2>/dev/null || true
    # The page's bottom-right corner is its background (dimmed under a dialog): light in
    # light, dark in dark.
    level=$(convert "$base-$name.png" -crop "1x1+$((w - 3))+$((h - 3))" -format '%[fx:int(255*luminance)]' info:)
    if { [ "$theme" = dark ] && [ "$level" -gt 90 ]; } || { [ "$theme" = light ] && [ "$level" -lt 110 ]; }; then
      echo "screens: $base-$name.png is not $theme (background luminance $level): prefers-color-scheme did not follow GTK_THEME"
      status=1
    fi
  done
  kill "$wm" 2>/dev/null || true
  rm -rf "$tmp"
  exit $status
fi

bin=$PWD/build/bin/kessaidesk-shots
out=${SCREENS_OUT:-build/bin/screens}
case $out in /*) ;; *) out=$PWD/$out ;; esac
echo "==> screens: building the window ($bin)"
go build -tags desktop,production,webkit2_41,sqlite_fts5 -o "$bin" .
command -v xdotool >/dev/null && command -v openbox >/dev/null || {
  echo "screens needs xdotool and openbox: build/scripts/deps.sh screens" >&2
  exit 1
}

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM -- -"$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# One demo shop, synced once with its sandbox; every start gets a fresh copy.
"$bin" -data "$work/demo" -demo sync >/dev/null
rm -f "$work/demo/kessaidesk.lock"
rm -rf "$out"; mkdir -p "$out"

# Two at a time, each on its own display (two cores: more only waits).
status=0
n=0
for size in ${SCREENS_SIZES:-1366x768 1920x1080}; do
  for lang in ${SCREENS_LANGS:-ja en}; do
    for theme in ${SCREENS_THEMES:-light dark}; do
      n=$((n + 1))
      w=${size%x*} h=${size#*x}
      echo "==> screens: $lang $theme $size"
      setsid xvfb-run -n $((140 + n)) -s "-screen 0 ${w}x${h}x24" "$0" --inside "$w" "$h" "$lang" "$theme" "$bin" "$work/demo" "$out" &
      pids+=($!)
      if [ ${#pids[@]} -ge 2 ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
      fi
    done
  done
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
pids=()
echo "==> screens: $(ls "$out" | wc -l) screenshots in ${out#"$PWD"/}"
exit $status
