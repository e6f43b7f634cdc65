# The six pairs bench/suite.sh and bench/shards.sh measure, and their helpers; sourced by both.
# Sets bin (the release appjudge), work (a temporary folder removed on exit), ids, pairs, plan.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)/appjudge
export OMP_THREAD_LIMIT=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Two generators, six pairs: references of four tasks (web and desktop) and two broken variants.
mkdir -p "$work/gen/ref" "$work/gen/broken"
for t in todo-list calculator link-tree business-card; do cp -r "tasks/$t/reference" "$work/gen/ref/$t"; done
cp -r tasks/todo-list/broken/no-persist "$work/gen/broken/todo-list"
cp -r tasks/calculator/broken/float-results "$work/gen/broken/calculator"
ids=todo-list,calculator,link-tree,business-card
pairs=6
plan=(--tasks tasks --task-ids $ids --repos "$work/gen/ref" --repos "$work/gen/broken")

median() { python3 -c 'import statistics,sys; print(int(statistics.median(int(x) for x in sys.argv[1:])))' "$@"; }
list() { local IFS=,; echo "$*"; }
