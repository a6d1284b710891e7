#!/usr/bin/env bash
# The feeding side of training: how long does the training loop wait for augmented batches?
# Two examples: the digits CNN with affine augmentation drawn per digit and epoch
# (examples/digits-cnn/affine.json: a cheap warp of 20x20 pixels), and the spoken-digits CNN
# with noise at a drawn SNR and SpecAugment (examples/spoken-digits/noise-specaugment.json: the
# noise, the spectrogram, the mel bands and the masks are made again for every clip and epoch).
# Each trains with the batches made on the training thread (--prefetch 0: every batch is waited
# for), then with 1 and 2 producer threads; printed: the wall time, the loop's wait
# (summary.json's data_wait_seconds) and its share of the run. The checkpoints must be the same
# bytes.
#   bench/feeding_bench.sh [AUGMENT_BINARY] [EPOCHS]     (defaults: build/bin/augment, 5)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
augment=${1:-$here/../build/bin/augment}
epochs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # NAME OPTIONS...
  local name=$1
  shift
  "$augment" train "$config" --output "$work/$name" --epochs "$epochs" --quiet "$@"
  python3 -c 'import json, sys
s = json.load(open(sys.argv[1])); m = s["members"][0]
print("  %-24s %6.2f s  waited %6.2f s  (%4.1f%% of the training loop)" % (sys.argv[2], m["seconds"], m["data_wait_seconds"], 100 * m["data_wait_seconds"] / m["seconds"]))' \
    "$work/$name/summary.json" "$name"
}

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
for example in digits-cnn/affine spoken-digits/noise-specaugment; do
  config="$here/../examples/$example.json"
  rm -rf "${work:?}"/*
  echo "feeding ($example, $epochs epochs; $cpu):"
  run "no producer (prefetch 0)" --prefetch 0
  run "1 producer" --prefetch 4 --producers 1
  run "2 producers" --prefetch 4 --producers 2
  for name in "1 producer" "2 producers"; do
    cmp -s "$work/no producer (prefetch 0)/model.ckpt" "$work/$name/model.ckpt" ||
      { echo "feeding: $example: $name changed the checkpoint" >&2; exit 1; }
  done
  echo "  (same checkpoint bytes in all three)"
done
