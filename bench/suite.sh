#!/usr/bin/env bash
# Suite throughput (issue 11): evaluations per minute at --jobs 1, 2 and 4, peak memory per job
# (the RSS of appjudge and everything below it, sampled every 0.2 s), and what a kill -9 and
# --resume cost against an uninterrupted run. One JSON object per line; BENCHMARKS.md records them.
#   bench/suite.sh [REPEATS]   REPEATS: runs of each setting, the median is reported (default 3)
repeats=${1:-3}
source "$(dirname "$0")/pairs.sh"

# Runs the suite once; prints "<wall ms> <peak tree PSS kB> <peak tree RSS kB>". PSS shares each
# page among the processes mapping it (Chromium's processes share most of theirs), so it is the
# memory a job really takes; RSS, summed, counts shared pages once per process.
measure() {
  local out=$1; shift
  python3 - "$bin" "$out" "$@" <<'PY'
import os, subprocess, sys, time
bin, out, *extra = sys.argv[1:]
args = [bin, "suite", "--out", out] + extra
def tree_rss(root):
    children = {}
    for p in os.listdir("/proc"):
        if not p.isdigit(): continue
        try:
            stat = open(f"/proc/{p}/stat").read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(p))
        except (OSError, ValueError): pass
    pss = rss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        own = 0
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"): rss += int(line.split()[1]); own = int(line.split()[1])
        except OSError: continue
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"): own = int(line.split()[1])
        except OSError: pass  # not readable (another user namespace): its RSS stands in
        pss += own
    return pss, rss
start = time.monotonic()
proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak_pss = peak_rss = 0
while proc.poll() is None:
    pss, rss = tree_rss(proc.pid)
    peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
    time.sleep(0.2)
print(int((time.monotonic() - start) * 1000), peak_pss, peak_rss)
PY
}

# JOBS=none measures the resume alone.
for jobs in ${JOBS:-1 2 4}; do
  [ "$jobs" = none ] && continue
  walls=(); psss=(); rsss=()
  for i in $(seq 1 "$repeats"); do
    read -r wall pss rss < <(measure "$work/j$jobs-$i" "${plan[@]}" --jobs "$jobs")
    walls+=("$wall"); psss+=("$pss"); rsss+=("$rss")
  done
  w=$(median "${walls[@]}"); p=$(median "${psss[@]}"); r=$(median "${rsss[@]}")
  python3 -c "import json; print(json.dumps({'name': 'suite_throughput', 'jobs': $jobs, 'pairs': $pairs, 'runs': $repeats, 'median_wall_ms': $w, 'walls_ms': [$(list "${walls[@]}")], 'evaluations_per_minute': round($pairs / ($w / 60000), 2), 'peak_tree_pss_mb': round($p / 1024), 'peak_pss_mb_per_job': round($p / 1024 / min($jobs, $pairs)), 'peak_tree_rss_sum_mb': round($r / 1024)}))"
done

# Resume: a run at --jobs 2 killed with SIGKILL once its first pair has a result, then resumed;
# against the uninterrupted median above. Also a resume of a finished run (outputs only).
killed_total=(); resume_only=()
for i in $(seq 1 "$repeats"); do
  out="$work/k$i"
  start=$(date +%s%N)
  "$bin" suite --out "$out" "${plan[@]}" --jobs 2 >/dev/null 2>&1 &
  pid=$!
  until ls "$out"/pairs/*/*/result.json >/dev/null 2>&1; do sleep 0.1; done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  "$bin" suite --resume "$out" >/dev/null  # must succeed (exit 0: no gate)
  end=$(date +%s%N)
  killed_total+=("$(( (end - start) / 1000000 ))")
  start=$(date +%s%N)
  "$bin" suite --resume "$out" >/dev/null
  end=$(date +%s%N)
  resume_only+=("$(( (end - start) / 1000000 ))")
done
python3 -c "import json; print(json.dumps({'name': 'suite_resume', 'jobs': 2, 'pairs': $pairs, 'runs': $repeats, 'killed_then_resumed_median_ms': $(median "${killed_total[@]}"), 'killed_then_resumed_ms': [$(list "${killed_total[@]}")], 'resume_of_finished_run_median_ms': $(median "${resume_only[@]}")}))"
