#!/usr/bin/env bash
# A day of successive re-solves at games scale (issue: event day under
# pressure). Generates the games preset (or takes a scenario), solves it,
# then through one event day generates changes at advancing `now` (about
# 30 files), re-solves each from the previous result and the scenario the
# previous changes left (`resolve --scenario-out`), checks every step with
# `vroster check --prev --changes`, and prints one row per step: time,
# changes, forced removals, coverage, peak memory.
#
# Usage: scripts/event-day.sh [SCENARIO] [STEPS]
#   VROSTER   binary (default: target/release/vroster)
#   OUT       work folder (default: a new temporary folder, kept)
#   DAY       the event day (default: 2026-02-08, day 5 of the games preset)
#   RATE      dropout rate per step (default: 0.002)
#   SOLVE_S   time limit of the first solve (default: 60)
#   THREADS   threads (default: 2)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
vroster=${VROSTER:-$repo/target/release/vroster}
out=${OUT:-$(mktemp -d)}
steps=${2:-30}
day=${DAY:-2026-02-08}
rate=${RATE:-0.002}
threads=${THREADS:-2}
mkdir -p "$out"
scenario=${1:-}
if [ -z "$scenario" ]; then
    scenario=$out/games.json
    "$vroster" generate --preset games --seed 1 -o "$scenario" > /dev/null
fi
"$vroster" solve "$scenario" -q --threads "$threads" --time-limit "${SOLVE_S:-60}" \
    -o "$out/roster-0.json"
cp "$scenario" "$out/scenario-0.json"

# `now` from 06:00 to 23:00 of the day, evenly over the steps.
minute_of() { echo $(( 6 * 60 + (17 * 60) * ($1 - 1) / (steps > 1 ? steps - 1 : 1) )); }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

printf '%-4s %-16s %7s %7s %7s %8s %8s %9s %7s %s\n' step now seconds forced changes coverage below mem_MiB check phases
for i in $(seq 1 "$steps"); do
    m=$(minute_of "$i")
    now=$(printf '%sT%02d:%02d' "$day" $((m / 60)) $((m % 60)))
    prev=$((i - 1))
    "$vroster" generate-changes "$out/scenario-$prev.json" "$out/roster-$prev.json" \
        --now "$now" --dropout-rate "$rate" --seed "$i" -o "$out/changes-$i.json" > /dev/null
    /usr/bin/time -f '%e %M' -o "$out/time-$i.txt" \
        "$vroster" resolve "$out/scenario-$prev.json" --roster "$out/roster-$prev.json" \
        --changes "$out/changes-$i.json" -q --threads "$threads" -o "$out/roster-$i.json" \
        --summary-json "$out/summary-$i.json" --scenario-out "$out/scenario-$i.json"
    if "$vroster" check "$out/scenario-$prev.json" "$out/roster-$i.json" \
        --prev "$out/roster-$prev.json" --changes "$out/changes-$i.json" > "$out/check-$i.txt" 2>&1; then
        verdict=pass
    else
        verdict=FAIL
    fi
    read -r secs rss < "$out/time-$i.txt"
    s=$out/summary-$i.json
    printf '%-4s %-16s %7s %7s %7s %7.2f%% %8s %9.0f %7s %s\n' "$i" "$now" "$secs" \
        "$(json "$s" "d['repair']['forced_removals']")" \
        "$(json "$s" "d['repair']['changes']")" \
        "$(json "$s" "100*d['run']['coverage']['coverage']")" \
        "$(json "$s" "d['run']['coverage']['volunteers_below_commitment']")" \
        "$(echo "$rss / 1024" | bc -l)" "$verdict" \
        "$(json "$s" "' '.join('%s=%.2f' % (p['phase'], p['seconds']) for p in d['run']['phases'])")"
done
echo "files in $out"
