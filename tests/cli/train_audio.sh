#!/usr/bin/env bash
# CLI smoke tests for `augment train` on audio files (corpora/spoken-digits): a folder with one
# subfolder per class and a manifest both train a small CNN on log-mel spectrograms; noise and
# SpecAugment drawn per (seed, clip, epoch) give the same checkpoint with or without the
# augmentation thread, and another seed another one.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

corpus() { echo "$SRC/corpora/spoken-digits"; }

# audio_config FILE DATA PIPELINE [EXTRA]: a small CNN over 1×40×71 log-mel maps; DATA is the
# body of "data"; EXTRA is spliced into the top-level object.
audio_config() {
  cat >"$1" <<EOF
{
  "name": "spoken digits",
  "seed": 3,
  "data": {$2},
  "pipeline": "$SRC/examples/pipelines/$3.json",
  "model": {"trunk": [{"type": "batch_norm2d"},
                      {"type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "init": "he_normal"},
                      {"type": "relu"}, {"type": "max_pool2d", "kernel": 4},
                      {"type": "flatten"}],
            "heads": [{"name": "digit", "targets": ["label"], "layers": [{"type": "dense"}]}]},
  "optimizer": {"type": "adam", "lr": 0.003},
  "epochs": 4,
  "batch_size": 16${4:+,
  $4}
}
EOF
}

# test_accuracy DIR: the test accuracy in DIR/summary.json.
test_accuracy() {
  "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["members"][0]["test"]["test_accuracy"])' "$1/summary.json"
}

# A folder of classes: the training voices' clips under digits/<label>/, one test voice's under
# test/<label>/ (the class is the subfolder, "label").
case_folder() {
  need_python
  local path label voice
  while IFS=, read -r path label voice _; do
    [[ $path == path ]] && continue
    mkdir -p "digits/$label" && cp "$(corpus)/$path" "digits/$label/${voice//+/_}-${path##*/}"
  done <"$(corpus)/train.csv"
  grep ',en-us+m3,' "$(corpus)/test.csv" | while IFS=, read -r path label _; do
    mkdir -p "test/$label" && cp "$(corpus)/$path" "test/$label/${path##*/}"
  done
  audio_config config.json '"file": "digits", "targets": ["label"], "test": {"file": "test"}' spoken-digits-none
  run_cli train config.json --output out
  expect_rc 0
  expect_stderr_has "270 training rows, 0 validation, 30 test"
  expect_stderr_has "epoch 4/4  loss "
  expect_lines out/metrics.csv 5
  expect_file out/model.ckpt
  local accuracy
  accuracy=$(test_accuracy out)
  echo "folder: test accuracy $accuracy"
  awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.5) }' || fail "test accuracy $accuracy < 0.5 (chance is 0.1)"
}

# The manifests, with noise and SpecAugment drawn afresh per epoch: learns, and the augmentation
# thread does not change a byte.
case_manifest_augmented() {
  need_python
  local data='"file": "'"$(corpus)"'/train.csv", "targets": ["label"],
    "validation": {"file": "'"$(corpus)"'/val.csv"}, "test": {"file": "'"$(corpus)"'/test.csv"}'
  audio_config config.json "$data" spoken-digits-noise-specaugment
  run_cli train config.json --output a --quiet
  expect_rc 0
  expect_lines a/metrics.csv 5
  head -1 a/metrics.csv | grep -qx 'epoch,loss,accuracy,val_loss,val_accuracy,lr' ||
    fail "metrics.csv header: $(head -1 a/metrics.csv)"
  local accuracy
  accuracy=$(test_accuracy a)
  echo "manifest: test accuracy $accuracy"
  awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.5) }' || fail "test accuracy $accuracy < 0.5 (chance is 0.1)"
  run_cli train config.json --output b --prefetch 0 --quiet
  expect_rc 0
  cmp a/model.ckpt b/model.ckpt >&2 || fail "the augmentation thread changed the checkpoint"
  run_cli train config.json --output c --seed 4 --quiet
  expect_rc 0
  ! cmp -s a/metrics.csv c/metrics.csv || fail "another seed drew the same augmentation and weights"
}

cli_init "$@"
