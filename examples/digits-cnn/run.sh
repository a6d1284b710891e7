#!/usr/bin/env bash
# Handwritten digits, 50 per class, a small CNN: what augmentation, dropout and batch norm change.
#   examples/digits-cnn/run.sh [--quick] [AUGMENT_BINARY] [OUTPUT_DIR]
# Full: every variant (none, affine, dropout, batch-norm, all) with seeds 1-5; writes
# OUTPUT_DIR/results.md (mean ± sd of test accuracy and wall time per variant) and each run's
# metrics.csv and curves.png. --quick: variants none and affine, seed 1, 15 epochs, and checks
# a loose bound (test accuracy >= 0.80 for both): the CTest "example: digits-cnn".
# Defaults: build/bin/augment, examples/digits-cnn/out.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
quick=0
if [[ ${1:-} == --quick ]]; then quick=1; shift; fi
augment=${1:-$here/../../build/bin/augment}
out=${2:-$here/out}
mkdir -p "$out"

if (( quick )); then
  variants=(none affine); seeds=(1); extra=(--epochs 15)
else
  variants=(none affine dropout batch-norm all); seeds=(1 2 3 4 5); extra=()
fi

# test_accuracy and seconds of one run, from its summary.json.
read_summary() { python3 "$here/../results_table.py" summary "$1"; }

rows=()
for variant in "${variants[@]}"; do
  accuracies=() seconds=()
  for seed in "${seeds[@]}"; do
    run="$out/$variant/seed-$seed"
    "$augment" train "$here/$variant.json" --seed "$seed" --output "$run" --quiet "${extra[@]}"
    read -r accuracy time < <(read_summary "$run")
    accuracies+=("$accuracy") seconds+=("$time")
    echo "digits-cnn: $variant seed $seed: test accuracy $accuracy ($time s)"
  done
  rows+=("$variant ${accuracies[*]} | ${seconds[*]}")
done

python3 "$here/../results_table.py" "$out/results.md" "${#seeds[@]}" "${rows[@]}"

if (( quick )); then
  for variant in none affine; do
    read -r accuracy _ < <(read_summary "$out/$variant/seed-1")
    awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.80) }' || { echo "digits-cnn: $variant test accuracy $accuracy < 0.80" >&2; exit 1; }
  done
fi
