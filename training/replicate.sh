#!/usr/bin/env bash
# The paper's comparison of training regimes, on one budget each (the ILC val figures of each
# exported model are then training/evaluate-runs.sh's job):
#
#   bash training/replicate.sh [data folder] [runs folder]
#
# Every regime gets the same input size, seed, steps and schedule; only what is trained differs.
# The four run side by side, each one thread at nice 10: on a shared machine a niced job gets
# little CPU, and four single-thread jobs finish sooner than four in a row.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
runs=${2:-training/runs}
python=${MASKWATCH_PYTHON:-python3}
budget=(--size 96 --epochs 2 --max-steps 90 --batch 32 --seed 1)
mkdir -p "$runs"
for mode in after20 full head scratch; do
  factor=0.3
  # From scratch there is nothing pretrained to protect: the whole network learns at full rate.
  [ "$mode" = scratch ] && factor=1
  nice -n 10 "$python" training/train.py --data "$data" --mode "$mode" --out "$runs/$mode" \
    --backbone-lr-factor "$factor" "${budget[@]}" > "$runs/$mode.out" 2>&1 &
done
wait
