#!/usr/bin/env bash
# Builds the seed corpora under fuzz/corpus/<target>/ from files in the repo
# (scenarios, tests/fixtures, docs/csv.md layouts). Optional: with a built
# `vroster` binary in $VROSTER (default: `vroster` on PATH), also adds a
# solved roster and generated changes for tiny.json and tiny.json exported
# as CSV. Run from anywhere; it only writes under fuzz/corpus/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
c=$here/corpus
mkdir -p "$c/scenario" "$c/roster_changes" "$c/checker" "$c/csv_import" "$c/resolve"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scenario: every JSON scenario at most 64 KiB (the target's cap).
for f in "$repo"/scenarios/*.json "$repo"/tests/fixtures/invalid/*.json; do
    [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$c/scenario/$(basename "$f")"
done

# scenario: tiny.json with pins, exclusions (rule 8) and the extra_load
# weight, and one that pins an excluded shift (a validation error).
sed -e 's/"group": "U1", "min_shifts": 2 }/"group": "U1", "min_shifts": 2, "pinned": ["A1"], "excluded": ["B1"] }/' \
    -e 's/"max_minutes_per_day": 300,/"max_minutes_per_day": 300, "excluded": ["A2"],/' \
    -e 's/^  "volunteers": \[/  "weights": { "extra_load": 2.5, "change": 100 },\n  "volunteers": [/' \
    "$repo/scenarios/tiny.json" > "$c/scenario/tiny-pins-extra-load.json"
sed -e 's/"group": "U1", "min_shifts": 2 }/"group": "U1", "min_shifts": 2, "pinned": ["A1"], "excluded": ["A1"] }/' \
    "$repo/scenarios/tiny.json" > "$c/scenario/tiny-pin-excluded.json"

# roster_changes: roster \0 changes [\0 previous roster].
empty_roster='{"format":"volunteer-roster/1","scenario":"tiny","assignments":{}}'
roster='{"format":"volunteer-roster/1","scenario":"tiny","assignments":{"A1":["V1","V3"],"B1":["V2"],"A2":["V1"]},"objective":{"total":10,"uncovered":0,"quota_shortfall":0,"under_commitment":0,"preference_miss":0,"travel":0,"group_split":0,"volunteer_used":0,"change":0},"bound":10}'
changes='{"format":"volunteer-changes/1","now":"2026-02-04T12:00","dropouts":[{"volunteer":"V2","from":"2026-02-04T12:00","until":"2026-02-05T00:00"}],"cancelled_shifts":["A2"],"shift_updates":[{"shift":"B1","min":0,"max":1}],"new_shifts":[{"id":"B2","venue":"B","start":"2026-02-05T15:00","end":"2026-02-05T21:00","min":1,"max":1}],"new_volunteers":[{"id":"V9","home":"H"}]}'
printf '%s\0%s' "$roster" "$changes" > "$c/roster_changes/handmade"
printf '%s\0%s\0%s' "$empty_roster" "$changes" "$roster" > "$c/roster_changes/handmade-prev"
for f in "$repo"/tests/fixtures/invalid/changes_*.json; do
    printf '%s\0' "$roster" | cat - "$f" > "$c/roster_changes/$(basename "$f")"
done
cp "$repo/tests/fixtures/invalid/roster_bad.json" "$c/roster_changes/roster_bad"

# csv_import: volunteers \0 shifts \0 sites \0 links \0 rules.
join() { local first=1; for f in "$@"; do [ $first = 1 ] || printf '\0'; cat "$f"; first=0; done; }
p=$repo/tests/fixtures/planner
join "$p/volunteers.csv" "$p/shifts.csv" "$p/sites.csv" "$p/links.csv" "$p/rules.json" > "$c/csv_import/planner"
join "$p/volunteers.csv" "$p/shifts.csv" > "$c/csv_import/planner-min"

# With the binary: a solved roster, generated changes, tiny as CSV.
vroster=${VROSTER:-vroster}
if command -v "$vroster" > /dev/null; then
    for s in tiny small; do
        "$vroster" solve "$repo/scenarios/$s.json" -q --time-limit 2 --threads 1 -o "$tmp/$s-roster.json"
    done
    "$vroster" generate-changes "$repo/scenarios/tiny.json" "$tmp/tiny-roster.json" \
        --now 2026-02-04T10:00 --dropout-rate 0.5 -o "$tmp/tiny-changes.json" > /dev/null 2>&1 || true
    if [ -f "$tmp/tiny-changes.json" ]; then
        join "$tmp/tiny-roster.json" "$tmp/tiny-changes.json" > "$c/roster_changes/solved-generated"
    fi
    join "$tmp/tiny-roster.json" /dev/null > "$c/roster_changes/solved"
    "$vroster" export "$repo/scenarios/tiny.json" --scenario-csv "$tmp/csv" > /dev/null 2>&1 || true
    if [ -d "$tmp/csv" ]; then
        join "$tmp/csv/volunteers.csv" "$tmp/csv/shifts.csv" "$tmp/csv/sites.csv" "$tmp/csv/links.csv" "$tmp/csv/rules.json" > "$c/csv_import/tiny-export"
    fi
fi
# resolve: structured (arbitrary) input; a few byte strings to start from.
for n in 1 2 3 4; do printf "%0*d" $((64 * n)) "$n" > "$c/resolve/start-$n"; done

echo "seeds: $(for t in scenario roster_changes checker csv_import resolve; do printf '%s=%s ' $t "$(ls "$c/$t" | wc -l)"; done)"
