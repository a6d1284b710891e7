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

cli_init "$@"
