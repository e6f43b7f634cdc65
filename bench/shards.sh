#!/usr/bin/env bash
# Shards side by side (issue 12): the same six pairs as bench/suite.sh, run as one unsharded
# run (--jobs 2, the machine's default) and as 1, 2 and 4 shards started together (each --jobs 1,
# as a CI matrix or a Kubernetes Indexed Job would run them, here on one machine), then merged.
# One JSON object per line; BENCHMARKS.md records them.
#   bench/shards.sh [REPEATS]   REPEATS: runs of each setting, the median is reported (default 2)
repeats=${1:-2}
source "$(dirname "$0")/pairs.sh"

now() { date +%s%N; }

walls=()
for i in $(seq 1 "$repeats"); do
  start=$(now)
  "$bin" suite --out "$work/whole-$i" "${plan[@]}" --jobs 2 >/dev/null || true
  walls+=("$(( ($(now) - start) / 1000000 ))")
done
w=$(median "${walls[@]}")
python3 -c "import json; print(json.dumps({'name': 'shards_unsharded_jobs2', 'pairs': $pairs, 'runs': $repeats, 'median_wall_ms': $w, 'walls_ms': [$(list "${walls[@]}")], 'evaluations_per_minute': round($pairs / ($w / 60000), 2)}))"

for n in 1 2 4; do
  walls=(); merges=()
  for i in $(seq 1 "$repeats"); do
    start=$(now)
    pids=()
    for k in $(seq 1 "$n"); do
      "$bin" suite --out "$work/s$n-$i-$k" "${plan[@]}" --jobs 1 --shard "$k/$n" >/dev/null &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    walls+=("$(( ($(now) - start) / 1000000 ))")
    start=$(now)
    "$bin" merge --out "$work/m$n-$i" $(for k in $(seq 1 "$n"); do echo "$work/s$n-$i-$k"; done) >/dev/null || true
    merges+=("$(( ($(now) - start) / 1000000 ))")
    # Every pair's verdicts are the unsharded run's.
    python3 - "$work/whole-1" "$work/m$n-$i" <<'PY'
import json, sys, pathlib
def verdicts(run):
    out = {}
    for f in sorted(pathlib.Path(run, "pairs").glob("*/*/result.json")):
        r = json.loads(f.read_text())
        out[f"{r['generator']}/{r['task']}"] = (r["outcome"], [(c["id"], c["verdict"]) for c in r["cases"]])
    return out
a, b = verdicts(sys.argv[1]), verdicts(sys.argv[2])
if a != b:
    sys.exit(f"merged shards differ from the unsharded run: {sorted(k for k in a if a.get(k) != b.get(k))}")
PY
  done
  w=$(median "${walls[@]}")
  python3 -c "import json; print(json.dumps({'name': 'shards_side_by_side', 'shards': $n, 'jobs_per_shard': 1, 'pairs': $pairs, 'runs': $repeats, 'median_wall_ms': $w, 'walls_ms': [$(list "${walls[@]}")], 'evaluations_per_minute': round($pairs / ($w / 60000), 2), 'merge_median_ms': $(median "${merges[@]}"), 'merge_ms': [$(list "${merges[@]}")]}))"
done
