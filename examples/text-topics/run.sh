#!/usr/bin/env bash
# Spanish fortunes by topic, words as binary features, an MLP: does training on slipped text
# (keyboard, OCR and character slips drawn per epoch) make the classifier robust to slips?
#   examples/text-topics/run.sh [--quick] [AUGMENT_BINARY] [OUTPUT_DIR]
# Writes OUTPUT_DIR/test-slips.csv (the test records with keyboard slips and OCR errors, drawn
# once with seed 1 by `augment run`), trains each config (none, slips, words, chars, chars-slips) with seeds 1-5, scores
# each model on the clean and on the slipped test set, and writes OUTPUT_DIR/results.md (mean ±
# sd over seeds, wall time per training) and each run's metrics.csv and curves.png.
# --quick: none and slips, seed 1, and checks a loose bound (the CTest "example: text-topics").
# Defaults: build/bin/augment, examples/text-topics/out.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
quick=0
if [[ ${1:-} == --quick ]]; then quick=1; shift; fi
augment=${1:-$here/../../build/bin/augment}
out=${2:-$here/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
corpus=$(cd "$here/../../corpora/fortunes-es" && pwd)

if (( quick )); then seeds=(1); else seeds=(1 2 3 4 5); fi
if (( quick )); then variants=(none slips); else variants=(none slips words chars chars-slips); fi

# The slipped test set: the same records, each with keyboard slips then OCR confusions.
"$augment" run --pipeline "$here/test-slips.json" --input "$corpus/test.csv" --output "$out/test-slips.csv" \
  --seed 1 --language es --quiet

# A config that scores a trained run's model on another test file: the run's config with its
# fitted pipeline, the model's weights all frozen (transfer.freeze) and one epoch, so the network
# is the trained one bit for bit; only the test scores are new.
score_config() {  # RUN_FOLDER TEST_FILE OUTPUT_CONFIG
  python3 - "$@" <<'PY'
import json, os, sys
run, test, path = sys.argv[1:]
c = json.load(open(os.path.join(run, "config.json")))
base = os.environ["CONFIG_DIR"]
c["data"]["file"] = os.path.normpath(os.path.join(base, c["data"]["file"]))
c["data"].pop("validation", None)
c["data"]["test"] = {"file": test}
c["pipeline"] = os.path.join(run, "pipeline.json")
c.pop("model")
c.pop("output", None)
c["transfer"] = {"from": os.path.join(run, "model.ckpt"), "freeze": ["trunk", "heads"]}
c["epochs"] = 1
json.dump(c, open(path, "w"), indent=2, ensure_ascii=False)
PY
}

# test_accuracy and seconds of one run, from its summary.json.
read_summary() {
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); m = s["members"][0]
print(m["test"]["test_accuracy"], s["seconds"])' "$1/summary.json"
}

rows=()
for variant in "${variants[@]}"; do
  clean=() slipped=() seconds=()
  for seed in "${seeds[@]}"; do
    run="$out/$variant/seed-$seed"
    "$augment" train "$here/$variant.json" --seed "$seed" --output "$run" --quiet
    read -r accuracy time < <(read_summary "$run")
    CONFIG_DIR="$here" score_config "$run" "$out/test-slips.csv" "$run/score-slips.json"
    "$augment" train "$run/score-slips.json" --output "$run/score-slips" --quiet
    read -r slipped_accuracy _ < <(read_summary "$run/score-slips")
    clean+=("$accuracy") slipped+=("$slipped_accuracy") seconds+=("$time")
    echo "text-topics: $variant seed $seed: test accuracy $accuracy clean, $slipped_accuracy with slips ($time s)"
  done
  rows+=("$variant ${clean[*]} | ${slipped[*]} | ${seconds[*]}")
done

python3 - "$out/results.md" "${#seeds[@]}" "${rows[@]}" <<'PY'
import statistics, sys
path, n, rows = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def cell(values):
    values = [float(v) for v in values.split()]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return "%.1f%% ± %.1f" % (100 * statistics.mean(values), 100 * sd)
lines = ["| variant | clean test, mean ± sd over %d seed(s) | test with slips | wall time per training (s) |" % n,
         "|---|---|---|---|"]
for row in rows:
    left, slipped, seconds = row.split(" | ")
    name, clean = left.split(" ", 1)
    lines.append("| %s | %s | %s | %.1f |" % (name, cell(clean), cell(slipped),
                                              statistics.mean(float(s) for s in seconds.split())))
open(path, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

if (( quick )); then
  for variant in "${variants[@]}"; do
    read -r clean _ < <(read_summary "$out/$variant/seed-1")
    read -r slipped _ < <(read_summary "$out/$variant/seed-1/score-slips")
    awk -v c="$clean" -v s="$slipped" 'BEGIN { exit !(c >= 0.50 && s >= 0.40) }' ||
      { echo "text-topics: $variant test accuracy $clean clean, $slipped with slips (bounds 0.50, 0.40)" >&2; exit 1; }
  done
fi
