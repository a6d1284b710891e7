#!/usr/bin/env bash
# Spoken digits (corpora/spoken-digits: 15 espeak-ng voices, test voices never heard in
# training), a small CNN on log-mel spectrograms: what noise at an SNR and SpecAugment change,
# on the clean test clips and on the same clips with pink noise at 10 dB and 0 dB SNR.
#   examples/spoken-digits/run.sh [--quick] [AUGMENT_BINARY] [OUTPUT_DIR]
# Full: variants none, noise, specaugment and noise-specaugment with seeds 1-5; writes
# OUTPUT_DIR/results.md (mean ± sd of each test accuracy and the wall time per training) and each
# run's metrics.csv and curves.png. --quick: none and noise-specaugment, seed 1, 15 epochs, and
# checks loose bounds (the CTest "example: spoken-digits").
# Defaults: build/bin/augment, examples/spoken-digits/out.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
quick=0
if [[ ${1:-} == --quick ]]; then quick=1; shift; fi
augment=${1:-$root/build/bin/augment}
out=$(mkdir -p "${2:-$here/out}" && cd "${2:-$here/out}" && pwd)

if (( quick )); then
  variants=(none noise-specaugment); seeds=(1); extra=(--epochs 15)
else
  variants=(none noise specaugment noise-specaugment); seeds=(1 2 3 4 5); extra=()
fi
noisy=(pink-10db pink-0db)

# The noisy test sets: every test clip once, with pink noise drawn from a fixed seed.
for set in "${noisy[@]}"; do
  rm -rf "$out/test-$set"
  "$augment" run --pipeline "$root/examples/pipelines/spoken-digits-test-$set.json" \
    --input "$root/corpora/spoken-digits/test.csv" --output "$out/test-$set" --seed 2026 --quiet
done

# A trained model scored on another test set. The trainer has no evaluate-only mode, so this is
# a training run that cannot change the model: transfer.from the checkpoint with every parameter
# frozen (batch norm statistics are put back after each step too), one epoch over the validation
# clips, the set to score as data.test. It scores the clean test set exactly as the training run
# did (checked by --quick).
evaluate() {  # model.ckpt test-manifest output-dir
  python3 - "$root" "$1" "$2" >"$3.json" <<'PY'
import json, sys
root, checkpoint, test = sys.argv[1:]
print(json.dumps({
    "name": "spoken-digits: score " + checkpoint + " on " + test,
    "seed": 1,
    "data": {"file": root + "/corpora/spoken-digits/val.csv", "targets": ["label"], "test": {"file": test}},
    "pipeline": root + "/examples/pipelines/spoken-digits-none.json",
    "transfer": {"from": checkpoint, "freeze": ["trunk", "heads"]},
    "optimizer": {"type": "adam", "lr": 0.001},
    "epochs": 1,
    "batch_size": 32,
}, indent=2))
PY
  "$augment" train "$3.json" --output "$3" --quiet
}

# test_accuracy (and seconds) from a summary.json.
read_summary() { python3 "$here/../results_table.py" summary "$1"; }

for variant in "${variants[@]}"; do
  for seed in "${seeds[@]}"; do
    run="$out/$variant/seed-$seed"
    "$augment" train "$here/$variant.json" --seed "$seed" --output "$run" --quiet "${extra[@]}"
    read -r accuracy time < <(read_summary "$run")
    line="spoken-digits: $variant seed $seed: clean $accuracy"
    for set in "${noisy[@]}"; do
      evaluate "$run/model.ckpt" "$out/test-$set/manifest.csv" "$run/eval-$set"
      read -r score _ < <(read_summary "$run/eval-$set")
      line+=", $set $score"
    done
    echo "$line ($time s)"
  done
  cp "$out/$variant/seed-1/curves.png" "$out/curves-$variant.png"
done

# results.md from the runs' summary.json files.
python3 - "$out" "${#seeds[@]}" "${variants[*]}" "${noisy[*]}" <<'PY'
import json, statistics, sys
out, n, variants, noisy = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
def summary(path):
    s = json.load(open(path + "/summary.json"))
    return s["members"][0]["test"]["test_accuracy"], s["seconds"]
def validation(path):
    return json.load(open(path + "/summary.json"))["members"][0]["validation"]["val_accuracy"]
def cell(values):
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return "%.1f%% ± %.1f" % (100 * statistics.mean(values), 100 * sd)
lines = ["Accuracy after the last epoch, mean ± sd over %d seed(s): on the 120 clips of the 4 test voices, "
         "the same clips with pink noise at 10 and 0 dB SNR, and the 60 clips of the 2 validation voices "
         "(never used to choose anything)." % n, "",
         "| variant | test, clean | " + " | ".join("test, pink " + s.split("-")[1].replace("db", " dB") for s in noisy) +
         " | validation, clean | wall time per training (s) |",
         "|---|" + "---|" * (len(noisy) + 3)]
for v in variants:
    runs = ["%s/%s/seed-%d" % (out, v, seed) for seed in range(1, n + 1)]
    clean = [summary(r) for r in runs]
    cells = [cell([a for a, _ in clean])] + [cell([summary(r + "/eval-" + s)[0] for r in runs]) for s in noisy]
    cells.append(cell([validation(r) for r in runs]))
    lines.append("| %s | %s | %.1f |" % (v, " | ".join(cells), statistics.mean(t for _, t in clean)))
lines += ["", "Curves (seed 1): " + ", ".join("`curves-%s.png`" % v for v in variants) + "."]
open(out + "/results.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

if (( quick )); then
  check() {  # run test-set bound what
    read -r accuracy _ < <(read_summary "$out/$1")
    awk -v a="$accuracy" -v b="$2" 'BEGIN { exit !(a >= b) }' ||
      { echo "spoken-digits: $3: test accuracy $accuracy < $2" >&2; exit 1; }
  }
  check none/seed-1 0.80 "none, clean"
  check noise-specaugment/seed-1 0.80 "noise-specaugment, clean"
  check noise-specaugment/seed-1/eval-pink-10db 0.75 "noise-specaugment, pink noise at 10 dB"
  # The frozen evaluation scores the clean test set as the training run did.
  run="$out/none/seed-1"
  evaluate "$run/model.ckpt" "$root/corpora/spoken-digits/test.csv" "$run/eval-clean"
  python3 - "$run" <<'PY' || { echo "spoken-digits: the frozen evaluation does not reproduce the training run's test scores" >&2; exit 1; }
import json, sys
scores = [json.load(open(sys.argv[1] + p + "/summary.json"))["members"][0]["test"] for p in ("", "/eval-clean")]
sys.exit(scores[0] != scores[1])
PY
fi
