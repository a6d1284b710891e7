#!/usr/bin/env bash
# CLI smoke tests for `augment train`: a small MLP on the letter sample writes its metrics, curves,
# checkpoint and summary; the same config gives the same bytes (with or without the augmentation
# thread); transfer learning from its checkpoint; clear errors for bad configs, missing data and
# corrupt or truncated checkpoints.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# letters_config FILE [EXTRA]: 150 training rows of the sample, 30 validation (held out), 50 test;
# standardize + noise on inputs; 16-32-26; EXTRA is spliced into the top-level object.
letters_config() {
  cat >"$1" <<EOF
{
  "name": "sample",
  "seed": 5,
  "data": {"file": "$SAMPLE", "targets": ["lettr"], "train": {"rows": [1, 150]},
           "validation": {"fraction": 0.2}, "test": {"rows": [151, 200]}},
  "pipeline": "$EXAMPLE",
  "model": {"trunk": [{"type": "dense", "units": 32, "init": "he_normal"}, {"type": "relu"}],
            "heads": [{"name": "letter", "layers": [{"type": "dense"}]}]},
  "optimizer": {"type": "adam", "lr": 0.01},
  "epochs": 4,
  "batch_size": 16${2:+,
  $2}
}
EOF
}

case_writes_outputs() {
  letters_config config.json '"checkpoint_every": 2'
  run_cli train config.json --output out
  expect_rc 0
  expect_stderr_has "epoch 4/4  loss "
  expect_stderr_has "val_accuracy"
  expect_stderr_has "120 training rows, 30 validation, 50 test"
  expect_stderr_has "test_accuracy"
  expect_lines out/metrics.csv 5
  head -1 out/metrics.csv | grep -qx 'epoch,loss,accuracy,val_loss,val_accuracy,lr' ||
    fail "metrics.csv header: $(head -1 out/metrics.csv)"
  [[ $(png_info out/curves.png) == "1120 434 8 2" ]] || fail "curves.png: $(png_info out/curves.png)"
  [[ $(head -c 8 out/model.ckpt | tr '\n' '|') == "AUGCKPT|" ]] || fail "model.ckpt lacks the signature"
  expect_file out/checkpoints/epoch-0002.ckpt
  cmp out/checkpoints/epoch-0004.ckpt out/model.ckpt >/dev/null && fail "the final checkpoint records how training went"
  expect_file out/pipeline.json
  grep -q '"mean"' out/pipeline.json || fail "the pipeline was not fitted"
  expect_file out/config.json
  expect_file out/summary.json
  grep -q '"test_accuracy"' out/summary.json || fail "summary.json lacks the test accuracy"
  expect_no_temp_files_under out
}

case_deterministic() {
  letters_config config.json
  run_cli train config.json --output a --quiet
  expect_rc 0
  [[ ! -s stderr.txt ]] || fail "--quiet printed something"
  run_cli train config.json --output b --prefetch 0 --quiet
  expect_rc 0
  cmp a/model.ckpt b/model.ckpt >&2 || fail "the augmentation thread changed the checkpoint"
  cmp a/metrics.csv b/metrics.csv >&2 || fail "the augmentation thread changed the metrics"
  run_cli train config.json --output c --seed 6 --quiet
  expect_rc 0
  ! cmp -s a/model.ckpt c/model.ckpt || fail "another seed gave the same checkpoint"
}

case_transfer() {
  letters_config config.json
  run_cli train config.json --output base --quiet
  expect_rc 0
  cat >tune.json <<EOF
{"data": {"file": "$SAMPLE", "targets": ["lettr"]},
 "transfer": {"from": "base/model.ckpt", "freeze": ["trunk"],
              "heads": [{"name": "again", "layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense"}]}]},
 "optimizer": {"type": "adam", "lr": 0.01}, "epochs": 2, "output": "tuned"}
EOF
  run_cli train tune.json
  expect_rc 0
  expect_file tuned/model.ckpt
  expect_stderr_has "200 training rows, 0 validation, 0 test"
}

# Training has no resume: SIGTERM stops it at once; checkpoints already written stay, nothing
# half-written is left, and no final model claims a finished run.
case_interrupted() {
  letters_config config.json '"checkpoint_every": 1, "epochs": 100000'
  interrupt_when_exists TERM 'out/checkpoints/epoch-0003.ckpt' train config.json --output out
  expect_rc 143
  expect_stderr_has "augment train: interrupted; unfinished outputs removed, nothing half-written left"
  expect_file out/checkpoints/epoch-0003.ckpt
  expect_no_file out/model.ckpt
  expect_no_temp_files_under out
}

case_bad_config() {
  run_cli train
  expect_rc 2
  expect_stderr_has "give the training config"
  printf '{"data": ' >broken.json
  run_cli train broken.json --output out
  expect_rc 2
  expect_stderr_has "broken.json: not valid JSON"
  letters_config typo.json '"epochz": 3'
  run_cli train typo.json --output out
  expect_rc 2
  expect_stderr_has "typo.json: epochz: unknown field"
  letters_config lr.json '"schedule": {"type": "cosine", "period": 0}'
  run_cli train lr.json --output out
  expect_rc 2
  expect_stderr_has "lr.json: schedule"
  letters_config stop.json '"regularizers": {"early_stopping": {"monitor": "val_f1"}}'
  run_cli train stop.json --output out
  expect_rc 2
  expect_stderr_has "early_stopping.mode: cannot tell"
  run_cli train --epochs 0 typo.json
  expect_rc 2
  sed "s#$SAMPLE#missing.csv#" typo.json | sed 's/"epochz": 3/"epochs": 1/' >missing.json
  run_cli train missing.json --output out
  expect_rc 1
  expect_stderr_has "missing.csv"
  expect_stderr_lines 1
}

case_corrupt_checkpoint() {
  letters_config config.json
  run_cli train config.json --output base --quiet
  expect_rc 0
  letters_config tune.json '"transfer": {"from": "bad.ckpt", "freeze": ["trunk.0"]}'
  sed -i '/"model"/,/heads/d' tune.json
  head -c 500 base/model.ckpt >bad.ckpt
  run_cli train tune.json --output out
  expect_rc 1
  expect_stderr_has "bad.ckpt: truncated"
  expect_stderr_lines 1
  cp base/model.ckpt bad.ckpt
  printf '\x55' | dd of=bad.ckpt bs=1 seek=2000 conv=notrunc status=none
  run_cli train tune.json --output out
  expect_rc 1
  expect_stderr_has "bad.ckpt: corrupt"
  run_cli train --help
  expect_rc 0
  expect_stdout_has "usage: augment train CONFIG.json"
}

# regression_config FILE DATA [EXTRA]: a linear fit of `width` from x-box and y-box by mse, no
# pipeline (so a value in DATA reaches the loss as it is), 4 epochs of batches of 16.
regression_config() {
  cat >"$1" <<EOF
{
  "data": {"file": "$2", "features": ["x-box", "y-box"], "targets": [{"column": "width", "type": "value"}]},
  "model": {"heads": [{"loss": "mse", "layers": [{"type": "dense", "units": 1}]}]},
  "optimizer": {"type": "sgd", "lr": 0.001},
  "epochs": 4,
  "batch_size": 16${3:+,
  $3}
}
EOF
}

case_non_finite() {
  # Epoch 1 at lr 0.001; from epoch 2 at 1000, where a least-squares fit on inputs of 0-15 diverges.
  regression_config diverge.json "$SAMPLE" '"schedule": {"type": "step", "every": 1, "gamma": 1e6, "unit": "epoch"},
  "checkpoint_every": 1'
  run_cli train diverge.json --output out --quiet
  expect_rc 1
  expect_stderr_has "training stopped at epoch 2, batch "
  expect_stderr_has " is not finite"
  expect_stderr_has "a lower optimizer.lr or a clip.norm may help"
  expect_stderr_lines 1
  expect_lines out/metrics.csv 2
  expect_file out/checkpoints/epoch-0001.ckpt
  expect_no_file out/checkpoints/epoch-0002.ckpt
  expect_no_file out/model.ckpt
  expect_no_file out/summary.json
  expect_no_temp_files_under out

  # A NaN from the data: one value finite as float, whose squared error is not.
  sed '3s/^I,5,/I,1e38,/' "$SAMPLE" >huge.csv
  regression_config stop.json huge.csv
  run_cli train stop.json --output stop --quiet
  expect_rc 1
  expect_stderr_has "training stopped at epoch 1, batch "
  expect_stderr_has "not finite"
  expect_stderr_lines 1
  regression_config skip.json huge.csv '"on_non_finite": "skip_batch"'
  run_cli train skip.json --output skip
  expect_rc 0
  expect_stderr_has "epoch 1, batch "
  expect_stderr_has " skipped: "
  expect_stderr_has "4 epochs, 4 batches skipped (not finite)"
  expect_file skip/model.ckpt
  grep -q '"skipped_batches": 4' skip/summary.json || fail "summary.json: $(grep skipped skip/summary.json)"
  regression_config bad.json huge.csv '"on_non_finite": "ignore"'
  run_cli train bad.json --output bad
  expect_rc 2
  expect_stderr_has 'bad.json: on_non_finite: must be one of stop, skip_batch, got "ignore"'
}

case_config_numbers() {
  letters_config big.json
  sed -i 's/"lr": 0.01/"lr": 1e999/' big.json
  run_cli train big.json --output out
  expect_rc 2
  expect_stderr_has "big.json: not valid JSON: "
  expect_stderr_lines 1
  mkdir folder.json
  run_cli train folder.json --output out
  expect_rc 2
  expect_stderr_has "folder.json: is a folder, not a training config"
  { head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } >deep.json
  run_cli train deep.json --output out
  expect_rc 2
  expect_stderr_has "deep.json: JSON nested deeper than 512 levels"
  expect_stderr_lines 1
  letters_config plain.json  # the same nesting as a field of a valid config
  { printf '{"deep": '; cat deep.json; printf ','; tail -c +2 plain.json; } >deep_model.json
  run_cli train deep_model.json --output out
  expect_rc 2
  expect_stderr_has "deep_model.json: JSON nested deeper than 512 levels"
}

case_huge_layer() {
  letters_config huge.json
  sed -i 's/"units": 32/"units": 1000000000/' huge.json
  run_cli train huge.json --output out
  expect_rc 2
  expect_stderr_has "huge.json"
  expect_stderr_has "model.trunk.0.units: the weights of 1000000000 units × 16 inputs, in bytes: 64000000000 is over the allocation_bytes limit"
  expect_stderr_lines 1
  # Weights that fit, but a batch of activations over a lowered limit: named with the layer.
  letters_config wide.json
  sed -i 's/"units": 32/"units": 4000/' wide.json
  run_cli train wide.json --output out --limit allocation_bytes=1M
  expect_rc 2
  # 120 training rows (30 held out), evaluated at once: 120 × 4000 × 4 bytes.
  expect_stderr_has "model.trunk.0 (dense): a batch of 120 rows × 4000 outputs (batch_size), in bytes: 1920000 is over the allocation_bytes limit of 1048576"
  expect_stderr_lines 1
}

case_output_over_input() {
  letters_config config.json
  run_cli train config.json --output base --quiet
  expect_rc 0
  cp base/model.ckpt before.ckpt
  cat >tune.json <<EOF
{"data": {"file": "$SAMPLE", "targets": ["lettr"]},
 "transfer": {"from": "base/model.ckpt", "freeze": ["trunk"]},
 "optimizer": {"type": "adam", "lr": 0.01}, "epochs": 1}
EOF
  run_cli train tune.json --output base
  expect_rc 2
  expect_stderr_has "base/model.ckpt: the output would overwrite transfer.from"
  expect_stderr_lines 1
  cmp before.ckpt base/model.ckpt >/dev/null || fail "the transfer source was changed"
  # The data file under the name of an output; a file as the output folder.
  mkdir data && cp "$SAMPLE" data/metrics.csv
  sed "s#$SAMPLE#metrics.csv#" config.json >data/config.json
  run_cli train data/config.json --output data
  expect_rc 2
  expect_stderr_has "the output would overwrite"
  expect_stderr_lines 1
  run_cli train config.json --output config.json
  expect_rc 2
  expect_stderr_has "config.json: exists and is not a folder"
  expect_stderr_lines 1
}

# A full disk: a 64 KiB tmpfs (needs root and mount; skipped otherwise). The write that fails
# names its file and the system's reason, and leaves no temporary file behind.
case_full_disk() {
  mkdir small
  mount -t tmpfs -o size=64k tmpfs small 2>/dev/null || { echo "skip [$CASE]: cannot mount a tmpfs"; exit 77; }
  trap 'umount small 2>/dev/null; rm -rf -- "$WORK"' EXIT
  letters_config config.json
  sed -i 's/"units": 32/"units": 512/' config.json  # a checkpoint of about 90 KB
  run_cli train config.json --output small/out --quiet
  expect_rc 1
  expect_stderr_has "small/out/"
  expect_stderr_has "No space left on device"
  expect_stderr_lines 1
  expect_no_temp_files_under small/out
}

# predict and evaluate against the training run's own scores: evaluate's metrics on the test
# file are the test_* of summary.json, and predict's argmax agrees with the labels as often as
# that accuracy says.
case_predict_evaluate() {
  need_python
  (head -n 1 "$SAMPLE" && tail -n 50 "$SAMPLE") >test.csv
  letters_config config.json
  sed -i 's|"test": {"rows": \[151, 200\]}|"test": {"file": "test.csv"}|' config.json
  run_cli train config.json --output out --quiet
  expect_rc 0
  run_cli evaluate --checkpoint out/model.ckpt --input test.csv --output metrics.json
  expect_rc 0
  expect_stdout_has "accuracy "
  expect_stderr_has "50 rows of test.csv"
  run_cli predict --checkpoint out/model.ckpt --input test.csv --output pred.csv --quiet
  expect_rc 0
  expect_lines pred.csv 51
  [[ $(head -n 1 pred.csv | cut -d, -f1-3) == "key,p_A,p_B" && $(head -n 1 pred.csv | awk -F, '{ print $NF }') == lettr ]] ||
    fail "predictions header: $(head -n 1 pred.csv | cut -c 1-80)"
  "$PYTHON" - out/summary.json metrics.json pred.csv test.csv <<'EOF' || fail "predict/evaluate disagree with the training's test scores"
import csv, json, math, sys
summary, metrics = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
test = summary["members"][0]["test"]
assert metrics["rows"] == 50, metrics
assert math.isclose(metrics["accuracy"], test["test_accuracy"], rel_tol=1e-12), (metrics, test)
assert math.isclose(metrics["loss"], test["test_loss"], rel_tol=1e-6), (metrics, test)
pred = list(csv.DictReader(open(sys.argv[3])))
truth = list(csv.DictReader(open(sys.argv[4])))
labels = [k[2:] for k in pred[0] if k.startswith("p_")]
hits = 0
for p, t, key in zip(pred, truth, range(1, 51)):
    probs = [float(p["p_" + l]) for l in labels]
    assert abs(sum(probs) - 1) < 1e-4, p
    assert p["lettr"] == labels[probs.index(max(probs))], p
    assert p["key"] == str(key), p
    hits += p["lettr"] == t["lettr"]
assert math.isclose(hits / 50, test["test_accuracy"]), (hits, test)
EOF
  # Unlabelled rows predict too; evaluate needs the labels; a table refuses --root.
  cut -d, -f2- test.csv >unlabelled.csv
  run_cli predict --checkpoint out/model.ckpt --input unlabelled.csv --output pred2.csv --quiet
  expect_rc 0
  cmp pred.csv pred2.csv >&2 || fail "the label column changed the predictions"
  run_cli evaluate --checkpoint out/model.ckpt --input unlabelled.csv
  expect_rc 1
  expect_stderr_has "lettr"
  run_cli predict --checkpoint out/model.ckpt --input test.csv --output p.csv --root .
  expect_rc 2
  run_cli predict --checkpoint config.json --input test.csv --output p.csv
  expect_rc 1
  expect_stderr_has "config.json: "
}

# The same on files: a CNN-free model on digit images from a manifest; evaluate on the test
# manifest equals the run's test scores; predict over a folder without class subfolders.
case_predict_evaluate_files() {
  need_python
  local digits=$SRC/corpora/digits
  cat >config.json <<EOF
{"seed": 2,
 "data": {"file": "$digits/train-0to4-10.csv", "targets": ["label"], "test": {"file": "$digits/test-0to4.csv"}},
 "pipeline": {"kind": "image", "stages": [{"op": "to_tensor"}]},
 "model": {"trunk": [{"type": "flatten"}], "heads": [{"name": "digit", "layers": [{"type": "dense"}]}]},
 "optimizer": {"type": "adam", "lr": 0.01}, "epochs": 3, "batch_size": 10}
EOF
  run_cli train config.json --output out --quiet
  expect_rc 0
  run_cli evaluate --checkpoint out/model.ckpt --input "$digits/test-0to4.csv" --output metrics.json --quiet
  expect_rc 0
  run_cli predict --checkpoint out/model.ckpt --input "$digits/test-0to4.csv" --output pred.csv --quiet
  expect_rc 0
  run_cli predict --checkpoint out/model.ckpt --input "$digits/test/3" --output three.csv --quiet
  expect_rc 0
  expect_lines three.csv "$(( $(find "$digits/test/3" -name '*.png' | wc -l) + 1 ))"
  sed -n 2p three.csv | grep -q '^3-001\.png,' || fail "keys are not paths under the folder: $(sed -n 2p three.csv)"
  "$PYTHON" - out/summary.json metrics.json pred.csv "$digits/test-0to4.csv" <<'EOF' || fail "predict/evaluate disagree with the training's test scores"
import csv, json, math, sys
test = json.load(open(sys.argv[1]))["members"][0]["test"]
metrics = json.load(open(sys.argv[2]))
assert math.isclose(metrics["accuracy"], test["test_accuracy"], rel_tol=1e-12), (metrics, test)
pred = list(csv.DictReader(open(sys.argv[3])))
truth = list(csv.DictReader(open(sys.argv[4])))
assert [p["key"] for p in pred] == [t["path"] for t in truth]
hits = sum(p["label"] == t["label"] for p, t in zip(pred, truth))
assert math.isclose(hits / len(truth), test["test_accuracy"]), (hits, test)
EOF
}

cli_init "$@"
