#!/usr/bin/env bash
# Renders the HTML report of a bundled scenario to a PNG with headless
# chromium (Debian's `chromium` package). Usage:
#   scripts/report-screenshot.sh [SCENARIO] [PNG]
# Defaults: scenarios/medium.json and docs/report.png. The roster is solved
# with a short time limit on one thread (TIME_LIMIT seconds, 10 by default;
# seed 1; the deadline may cut the search, so figures can vary a little
# between runs), exported with `vroster export --html`, and rendered at
# WINDOW (width,height in pixels; 1400,2200 by default: the summary, the
# charts and the objective). Roster and report go to a temporary directory
# removed at the end. Tests and CI do not run this.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/medium.json}"
png="${2:-docs/report.png}"
limit="${TIME_LIMIT:-10}"
window="${WINDOW:-1400,2200}"

browser=""
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then
    browser="$b"
    break
  fi
done
if [ -z "$browser" ]; then
  echo "error: chromium not found; on Debian install it with:" >&2
  echo "  apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vroster"
work=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$work" "$profile"' EXIT

"$bin" solve "$scenario" --time-limit "$limit" --threads 1 --seed 1 -q -o "$work/roster.json"
"$bin" export "$scenario" "$work/roster.json" --html "$work/report.html"
echo "report: $(wc -c < "$work/report.html") bytes"

mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run \
  --user-data-dir="$profile" --hide-scrollbars --window-size="$window" \
  --screenshot="$work/shot.png" "file://$work/report.html" >/dev/null 2>&1
if [ ! -s "$work/shot.png" ]; then
  echo "error: $browser wrote no screenshot" >&2
  exit 1
fi
mv "$work/shot.png" "$png"
echo "$png: $(wc -c < "$png") bytes"
