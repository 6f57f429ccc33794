#!/bin/sh
# Makes the image's AppCDS archive <image>/lib/pgdeck.jsa (a dynamic archive on top of the image's base CDS archive,
# which jlink --generate-cds-archive made) from one training run of the image's own launcher, so the class path
# recorded in the archive is exactly the one the launcher uses.
#
#   train-cds.sh <image> <work-dir>
#
# Training run: the console under an X display (DISPLAY if set, else a private Xvfb through xvfb-run), stopped with
# SIGTERM once its window is mapped (the JVM writes the archive on exit). With no display at all it trains on the
# headless `status --json` instead. It never fails the build: if anything goes wrong the image has no archive and the
# launcher runs without it. PGDECK_CDS=off skips it.
set -u

# The console starts a local PostgreSQL sandbox when no host is configured: stop those the training run started
# (their postmaster.pid files are under the training home) so no server outlives the build.
stop_sandboxes() {
  [ -d "$1" ] || return 0
  find "$1" -name postmaster.pid 2>/dev/null | while read -r f; do
    pid=$(head -n 1 "$f" 2>/dev/null)
    case $pid in ''|*[!0-9]*) continue ;; esac
    kill -INT "$pid" 2>/dev/null || continue
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  done
}

if [ "${1:-}" = --gui-run ]; then
  # Inside the display: start the console, wait for its window, give it time to paint, stop it.
  image=$2; work=$3
  "$image/bin/pgdeck" >>"$work/cds-training.log" 2>&1 &
  pid=$!
  if command -v xwininfo >/dev/null 2>&1; then
    i=0
    while [ $i -lt 300 ] && ! xwininfo -root -tree 2>/dev/null | grep -q '"pgdeck"'; do
      kill -0 $pid 2>/dev/null || break
      sleep 0.1; i=$((i + 1))
    done
    sleep 2
  else
    sleep 10
  fi
  kill -TERM $pid 2>/dev/null
  wait $pid
  exit 0
fi

image=$(cd "$1" && pwd -P)
work=$(mkdir -p "$2" && cd "$2" && pwd -P)
jsa=$image/lib/pgdeck.jsa
tmp=$work/pgdeck.jsa
rm -f "$jsa" "$jsa.path" "$tmp"
: >"$work/cds-training.log"

if [ "${PGDECK_CDS:-on}" = off ]; then echo "[cds] PGDECK_CDS=off: no AppCDS archive"; exit 0; fi
if [ ! -f "$image/lib/server/classes.jsa" ]; then echo "[cds] the image has no base CDS archive: no AppCDS archive"; exit 0; fi

# A private home: the training run must not touch the builder's settings, nor start anything outside the build dir.
stop_sandboxes "$work/home"
rm -rf "$work/home"
mkdir -p "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
       XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.local/state"
unset PGDECK_SANDBOX_ROOT                                   # the sandbox goes under the private HOME
export PGDECK_SANDBOX_EVENTS="${PGDECK_SANDBOX_EVENTS:-2000}"  # a small one: only the first window matters here
export JDK_JAVA_OPTIONS="-XX:ArchiveClassesAtExit=$tmp"

if [ -n "${DISPLAY:-}" ]; then
  echo "[cds] training on the console (DISPLAY=$DISPLAY)"
  sh "$0" --gui-run "$image" "$work"
elif command -v xvfb-run >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1; then
  echo "[cds] training on the console under xvfb-run"
  xvfb-run -a -s "-screen 0 1600x1000x24" sh "$0" --gui-run "$image" "$work"
else
  echo "[cds] no X display and no xvfb-run: training on the headless 'status --json' only"
  "$image/bin/pgdeck" status --json >>"$work/cds-training.log" 2>&1
fi
unset JDK_JAVA_OPTIONS
stop_sandboxes "$work/home"

if [ ! -s "$tmp" ]; then
  echo "[cds] WARNING: no archive was written (see $work/cds-training.log): the image runs without AppCDS"
  exit 0
fi
mv "$tmp" "$jsa"
printf '%s\n' "$image" >"$jsa.path"   # the launcher uses the archive only at this path (JDK 17 CDS is not relocatable)
# Check the launcher really maps it (class path and jar checks pass); otherwise drop it.
if JDK_JAVA_OPTIONS=-Xlog:class+load=info "$image/bin/pgdeck" --help 2>/dev/null | grep -q 'shared objects file (top)'; then
  echo "[cds] AppCDS archive $(du -h "$jsa" | cut -f1) in $jsa"
else
  echo "[cds] WARNING: the launcher does not use the new archive: removed, the image runs without AppCDS"
  rm -f "$jsa" "$jsa.path"
fi
exit 0
