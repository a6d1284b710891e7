#!/usr/bin/env bash
# The feeding side of training: while the digits CNN trains with affine augmentation drawn per
# digit and epoch (examples/digits-cnn/affine.json), how long does the training loop wait for
# batches? Runs the same training with the batches made on the training thread (--prefetch 0:
# every batch is waited for), then with 1 and 2 producer threads, and prints for each the wall
# time, the loop's wait (summary.json's data_wait_seconds) and its share of the run. The
# checkpoints are compared: they must be the same bytes.
#   bench/feeding_bench.sh [AUGMENT_BINARY] [EPOCHS]     (defaults: build/bin/augment, 5)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
augment=${1:-$here/../build/bin/augment}
epochs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

config="$here/../examples/digits-cnn/affine.json"
run() {  # NAME OPTIONS...
  local name=$1
  shift
  "$augment" train "$config" --output "$work/$name" --epochs "$epochs" --quiet "$@"
  python3 -c 'import json, sys
s = json.load(open(sys.argv[1])); m = s["members"][0]
print("  %-24s %6.2f s  waited %6.2f s  (%4.1f%% of the training loop)" % (sys.argv[2], m["seconds"], m["data_wait_seconds"], 100 * m["data_wait_seconds"] / m["seconds"]))' \
    "$work/$name/summary.json" "$name"
}

echo "feeding (digits-cnn affine, $epochs epochs of 500 digits, batch 32; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores):"
run "no producer (prefetch 0)" --prefetch 0
run "1 producer" --prefetch 4 --producers 1
run "2 producers" --prefetch 4 --producers 2
for name in "1 producer" "2 producers"; do
  cmp -s "$work/no producer (prefetch 0)/model.ckpt" "$work/$name/model.ckpt" || { echo "feeding: $name changed the checkpoint" >&2; exit 1; }
done
echo "  (same checkpoint bytes in all three)"
