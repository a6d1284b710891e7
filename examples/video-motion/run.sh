#!/usr/bin/env bash
# Which way does a square move? A clip classifier trained on synthetic videos, with and without
# augmentation drawn per clip and epoch.
#   examples/video-motion/run.sh [--quick] [AUGMENT_BINARY] [OUTPUT_DIR]
# Writes the clips (make-moving-squares, built beside augment) into OUTPUT_DIR/clips, trains the
# variants none, affine and hflip (a label-breaking augmentation, on purpose) with seeds 1-5, and
# writes OUTPUT_DIR/results.md (mean ± sd of test accuracy and wall time per variant) with each
# run's metrics.csv and curves.png. --quick: none and affine, seed 1, 8 epochs, fewer clips, and a
# loose bound (test accuracy >= 0.7 for both; chance is 0.25): the CTest "example: video-motion".
# Defaults: build/bin/augment, examples/video-motion/out.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
quick=0
if [[ ${1:-} == --quick ]]; then quick=1; shift; fi
augment=${1:-$here/../../build/bin/augment}
out=$(mkdir -p "${2:-$here/out}" && cd "${2:-$here/out}" && pwd)

if (( quick )); then
  seeds=(1); extra=(--epochs 8); clips=(30 20); variants=(none affine)
else
  seeds=(1 2 3 4 5); extra=(); clips=(60 40); variants=(none affine hflip)
fi

rm -rf "$out/clips"
"$(dirname "$augment")/make-moving-squares" "$out/clips" "${clips[@]}"

# The config with its data and pipeline paths made absolute: the clips live in OUTPUT_DIR.
localized_config() {
  python3 - "$here/$1.json" "$out" "$out/$1.json" <<'PY'
import json, os, sys
source, out, target = sys.argv[1:]
config = json.load(open(source))
config["data"]["file"] = os.path.join(out, "clips", "train")
config["data"]["test"]["file"] = os.path.join(out, "clips", "test")
config["pipeline"] = os.path.normpath(os.path.join(os.path.dirname(source), config["pipeline"]))
json.dump(config, open(target, "w"), indent=2, ensure_ascii=False)
PY
}

# test_accuracy and seconds of one run, from its summary.json.
read_summary() { python3 "$here/../results_table.py" summary "$1"; }

rows=()
for variant in "${variants[@]}"; do
  localized_config "$variant"
  accuracies=() seconds=()
  for seed in "${seeds[@]}"; do
    run="$out/$variant/seed-$seed"
    "$augment" train "$out/$variant.json" --seed "$seed" --output "$run" --quiet "${extra[@]}"
    read -r accuracy time < <(read_summary "$run")
    accuracies+=("$accuracy") seconds+=("$time")
    echo "video-motion: $variant seed $seed: test accuracy $accuracy ($time s)"
  done
  rows+=("$variant ${accuracies[*]} | ${seconds[*]}")
done

python3 "$here/../results_table.py" "$out/results.md" "${#seeds[@]}" "${rows[@]}"

if (( quick )); then
  for variant in "${variants[@]}"; do
    read -r accuracy _ < <(read_summary "$out/$variant/seed-1")
    awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.7) }' || { echo "video-motion: $variant test accuracy $accuracy < 0.7" >&2; exit 1; }
  done
fi
