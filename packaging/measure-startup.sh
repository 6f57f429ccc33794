#!/bin/sh
# Measures the start of the console from the runtime image: milliseconds from exec to the moment its top-level
# window "pgdeck" is mapped on an X display (polled with xwininfo every ~10 ms), per variant, under a private Xvfb.
#
#   packaging/measure-startup.sh [image-dir] [runs]          (default packaging/target/pgdeck, 5 runs)
#
# Variants: launcher = bin/pgdeck as shipped (AppCDS archive when present); appcds = same java command spelled out;
# basecds = JDK+JavaFX base CDS archive only (lib/server/classes.jsa); nocds = -Xshare:off.
# One untimed warm-up run first; the OS page cache stays warm (these are "new JVM" starts, not cold boots).
# Needs: Xvfb, xwininfo (x11-utils), libgtk-3-0. Runs with a throw-away HOME.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
image=$(cd "${1:-$here/target/pgdeck}" && pwd -P)
runs=${2:-5}
variants=${VARIANTS:-launcher appcds basecds nocds}
for tool in Xvfb xwininfo; do
  command -v $tool >/dev/null 2>&1 || { echo "measure-startup: $tool is missing (apt-get install xvfb x11-utils)" >&2; exit 2; }
done

work=$(mktemp -d)
disp=:$(( $$ % 200 + 300 ))
Xvfb "$disp" -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
stop_sandboxes() { # PostgreSQL sandboxes the console started under the throw-away HOME
  find "$work" -name postmaster.pid 2>/dev/null | while read -r f; do
    pid=$(head -n 1 "$f" 2>/dev/null); case $pid in ''|*[!0-9]*) continue ;; esac
    kill -INT "$pid" 2>/dev/null || continue
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  done
}
trap 'stop_sandboxes; kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT INT TERM
export DISPLAY=$disp HOME=$work/home
mkdir -p "$HOME"
i=0; until xwininfo -root >/dev/null 2>&1; do sleep 0.1; i=$((i+1)); [ $i -lt 100 ] || { echo "Xvfb did not start" >&2; exit 2; }; done

cp=$(LC_ALL=C; for jar in "$image"/app/*.jar; do printf '%s:' "$jar"; done); cp=${cp%:}
now_ms() { date +%s%3N; }

start_variant() {
  case $1 in
    launcher) exec "$image/bin/pgdeck" ;;
    appcds) exec "$image/bin/java" "-XX:SharedArchiveFile=$image/lib/pgdeck.jsa" -Xshare:auto -cp "$cp" dev.pgdeck.app.Main ;;
    basecds) exec "$image/bin/java" -Xshare:auto -cp "$cp" dev.pgdeck.app.Main ;;
    nocds) exec "$image/bin/java" -Xshare:off -cp "$cp" dev.pgdeck.app.Main ;;
  esac
}

one_run() { # prints ms to the mapped window, or "fail"
  t0=$(now_ms)
  start_variant "$1" >"$work/app.log" 2>&1 &
  pid=$!
  ms=fail
  while kill -0 $pid 2>/dev/null; do
    if xwininfo -root -tree 2>/dev/null | grep -q '"pgdeck"'; then ms=$(( $(now_ms) - t0 )); break; fi
    sleep 0.01
  done
  kill -TERM $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  echo $ms
}

echo "image: $image ($(du -sh "$image" | cut -f1)); AppCDS archive: $( [ -f "$image/lib/pgdeck.jsa" ] && du -h "$image/lib/pgdeck.jsa" | cut -f1 || echo none)"
one_run launcher >/dev/null
for v in $variants; do
  if [ "$v" = appcds ] && [ ! -f "$image/lib/pgdeck.jsa" ]; then echo "appcds: no archive in the image"; continue; fi
  all=""
  n=0; while [ $n -lt "$runs" ]; do all="$all $(one_run "$v")"; n=$((n+1)); done
  sorted=$(echo $all | tr ' ' '\n' | grep -v fail | sort -n)
  median=$(echo "$sorted" | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')
  printf '%-9s median %5s ms   runs(ms):%s\n' "$v" "$median" "$all"
done
