#!/usr/bin/env bash
# Time to first window of a planner executable on a virtual X display (the README's numbers).
#
#   installers/linux/measure_startup.sh [PLANNER] [RUNS]
#       PLANNER  the executable (default /opt/outsourcing-planner/planner, the installed .deb)
#       RUNS     how many starts to time (default 5); prints each, then the median
#
# Needs Xvfb, xdotool and bc (apt-get install xvfb xdotool bc). Each start uses a new empty
# store and a throw-away HOME, so the user's settings and data are not touched. The clock stops
# when the main window is mapped (xdotool sees it visible), i.e. after the store was opened and
# migrated.
set -euo pipefail
planner="${1:-/opt/outsourcing-planner/planner}"
runs="${2:-5}"
display=":$(( 90 + RANDOM % 100 ))"
scratch="$(mktemp -d)"
# -noreset: by default the server resets when its last client leaves, failing the next start.
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "$xvfb" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    DISPLAY="$display" xdotool getdisplaygeometry >/dev/null 2>&1 && break
    sleep 0.05
done
times=()
for run in $(seq 1 "$runs"); do
    home="$scratch/home-$run"
    mkdir -p "$home"
    start=$(date +%s.%N)
    DISPLAY="$display" HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
        QT_QPA_PLATFORM=xcb "$planner" --db "$home/planner.db" >"$home/output.txt" 2>&1 &
    app=$!
    # Poll every 20 ms: xdotool's own --sync waits in 0.5 s steps, too coarse for this.
    deadline=$(( $(date +%s) + 60 ))
    until DISPLAY="$display" xdotool search --onlyvisible --pid "$app" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "no window within 60 s:" >&2
            cat "$home/output.txt" >&2
            exit 1
        fi
        sleep 0.02
    done
    end=$(date +%s.%N)
    kill -TERM "$app"
    wait "$app" || true
    seconds=$(echo "$end - $start" | bc)
    times+=("$seconds")
    printf 'run %d: %.2f s to first window\n' "$run" "$seconds"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
printf 'median of %d: %.2f s\n' "$runs" "$median"
