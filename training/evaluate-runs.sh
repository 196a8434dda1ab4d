#!/usr/bin/env bash
# ILC val figures of every trained regime, through the runtime the node uses, then the table of
# models/README.md:
#
#   bash training/evaluate-runs.sh [data folder] [runs folder]
#
# The val faces are those the runs' own data manifest marks `val` (the ILC val split).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
runs=${2:-training/runs}
python=${MASKWATCH_PYTHON:-python3}
npm run build --silent
modes=()
for mode in after20 head full scratch; do
  [ -f "$runs/$mode/mask-classifier.onnx" ] && modes+=("$mode")
done
[ "${#modes[@]}" -gt 0 ] || { echo "no trained runs under $runs" >&2; exit 1; }
val="$runs/ilc-val"
[ -d "$val" ] || "$python" training/face_subset.py "$runs/${modes[0]}/data-manifest.csv" val "$val" --data "$data"
for mode in "${modes[@]}"; do
  for classes in 2 3; do
    nice -n 10 node bin/maskwatch.js evaluate "$val" --json --classes "$classes" \
      --model "$runs/$mode/mask-classifier.onnx" > "$runs/$mode/val-native-$classes.json"
    nice -n 10 node bin/maskwatch.js evaluate "$val" --json --classes "$classes" --size 24 \
      --model "$runs/$mode/mask-classifier.onnx" > "$runs/$mode/val-24px-$classes.json"
  done
done
node dist/training/replication-table.js "$runs" "${modes[@]}"
