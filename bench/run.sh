#!/usr/bin/env bash
# AppJudge benchmarks (release build). Prints one JSON object per line; BENCHMARKS.md records them.
#   bench/run.sh [RUNS]   RUNS: whole-task runs for the wall-time median (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)/appjudge

# Capture + encode against ImageMagick's import and xwd|convert, OCR per frame, small-text recall.
"$bin" bench capture --frames 100

# The sandbox: a jailed start against a bare one, the install network, build and launch of each stack.
"$bin" bench sandbox --runs "$runs"

# Perception: 300 seeded pages in Chromium and 100 Tk windows, truth from the DOM and from Tk
# (about 10 minutes), and what the LLM judge adds per step besides the model.
"$bin" bench perception
"$bin" bench agent --runs 20

# Whole-task wall time: the 8 todo-list cases on the reference, median of $runs runs.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" run --task tasks/todo-list --repo tasks/todo-list/reference --out "$out/$i" >/dev/null
  end=$(date +%s%N)
  times+=("$(( (end - start) / 1000000 ))")
done
python3 - "${times[@]}" <<'PY'
import json, statistics, sys
t = sorted(int(x) for x in sys.argv[1:])
print(json.dumps({"name": "todo_task_8_cases_wall", "median_ms": statistics.median(t), "runs": len(t), "min_ms": t[0], "max_ms": t[-1]}))
PY
