#!/usr/bin/env bash
# Transfer learning at small scale (Yosinski et al. 2014): a CNN learns digits 0-4 (50 per
# class); a network for digits 5-9, trained on only 10 per class, takes the base network's first
# n trunk layers — frozen, or fine-tuned — for n = 0 (from scratch), 3 (first conv block),
# 6 (both conv blocks) and 9 (and the dense layer), the rest freshly initialized.
#   examples/digits-transfer/run.sh [--quick] [AUGMENT_BINARY] [OUTPUT_DIR]
# Full: seeds 1-5 for the target runs; writes OUTPUT_DIR/results.md (test accuracy on the 1,000
# test digits 5-9, mean ± sd) and OUTPUT_DIR/transfer.svg (that curve against n). --quick: seed
# 1, n = 0 and 6 fine-tuned, fewer epochs, and checks a loose bound (test accuracy >= 0.75 for
# both; the CTest "example: digits-transfer").
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
quick=0
if [[ ${1:-} == --quick ]]; then quick=1; shift; fi
augment=${1:-$here/../../build/bin/augment}
out=$(mkdir -p "${2:-$here/out}" && cd "${2:-$here/out}" && pwd)

if (( quick )); then
  seeds=(1); layers=(0 6); modes=(fine-tuned); base_epochs=(--epochs 15); target_epochs=(--epochs 25)
else
  seeds=(1 2 3 4 5); layers=(0 3 6 9); modes=(frozen fine-tuned); base_epochs=(); target_epochs=()
fi

"$augment" train "$here/base.json" --output "$out/base" --quiet "${base_epochs[@]}"

# A target config for (n, mode): target.json with transfer.layers = n and, when frozen, the
# first n trunk layers' weights frozen; its paths made absolute, since it is written in OUT.
config_for() {
  python3 - "$here/target.json" "$out/base/model.ckpt" "$1" "$2" <<'PY'
import json, os, sys
config = json.load(open(sys.argv[1]))
n, mode = int(sys.argv[3]), sys.argv[4]
here = os.path.dirname(os.path.abspath(sys.argv[1]))
config["pipeline"] = os.path.join(here, config["pipeline"])
for split in (config["data"], config["data"]["test"]):
    split["file"] = os.path.join(here, split["file"])
config["transfer"] = {"from": sys.argv[2], "layers": n,
                      "freeze": ["trunk.%d" % i for i in range(n)
                                 if mode == "frozen" and config["model"]["trunk"][i]["type"] in ("conv2d", "dense")]}
print(json.dumps(config, indent=2))
PY
}

read_accuracy() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["members"][0]["test"]["test_accuracy"])' "$1/summary.json"
}

rows=()
for n in "${layers[@]}"; do
  for mode in "${modes[@]}"; do
    (( n == 0 )) && [[ $mode == frozen ]] && continue  # nothing to freeze
    config="$out/target-$n-$mode.json"
    config_for "$n" "$mode" >"$config"
    accuracies=()
    for seed in "${seeds[@]}"; do
      run="$out/n$n-$mode/seed-$seed"
      "$augment" train "$config" --seed "$seed" --output "$run" --quiet "${target_epochs[@]}"
      accuracies+=("$(read_accuracy "$run")")
      echo "digits-transfer: n=$n $mode seed $seed: test accuracy ${accuracies[-1]}"
    done
    rows+=("$n $mode ${accuracies[*]}")
  done
done

python3 - "$out/results.md" "${rows[@]}" <<'PY'
import statistics, sys
path, rows = sys.argv[1], sys.argv[2:]
lines = ["| layers transferred (n) | trunk layers 0..n-1 | test accuracy, digits 5-9, mean ± sd |", "|---|---|---|"]
for row in rows:
    n, mode, *acc = row.split()
    acc = [float(a) for a in acc]
    sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
    lines.append("| %s | %s | %.1f%% ± %.1f (%d seeds) |" % (n, "from scratch" if n == "0" else mode,
                                                         100 * statistics.mean(acc), 100 * sd, len(acc)))
open(path, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

python3 "$here/plot.py" "$out/transfer.svg" "${rows[@]}"  # the curve against n

if (( quick )); then
  for run in n0-fine-tuned n6-fine-tuned; do
    accuracy=$(read_accuracy "$out/$run/seed-1")
    awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.75) }' || { echo "digits-transfer: $run test accuracy $accuracy < 0.75" >&2; exit 1; }
  done
fi
