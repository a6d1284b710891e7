#!/usr/bin/env bash
# CLI smoke tests: bad pipeline specs and unsafe output paths (exit 2).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# expect_spec_error SPEC_TEXT PHRASE...: `run` with SPEC_TEXT as ./spec.json exits 2, writes
# nothing, and prints one line holding every PHRASE.
expect_spec_error() {
  printf '%s\n' "$1" >spec.json
  shift
  run_cli run --pipeline spec.json --input "$SAMPLE" --output out.csv
  expect_rc 2
  expect_stderr_lines 1
  local phrase
  for phrase in "$@"; do expect_stderr_has "$phrase"; done
  expect_no_file out.csv
  expect_no_temp_files
}

case_invalid_json() {
  expect_spec_error '{"kind": "features", "stages": [' "augment run: spec.json: " "not valid JSON"
}

case_unknown_op() {
  expect_spec_error '{"kind": "features", "stages": [{"op": "frobnicate"}]}' \
    "spec.json: " "stage 0: unknown op 'frobnicate'"
}

# A slip in an op's or a parameter's name names the nearest ones.
case_did_you_mean() {
  expect_spec_error '{"kind": "audio", "stages": [{"op": "mell"}]}' \
    "stage 0: unknown op 'mell' (did you mean 'mel'?)"
  expect_spec_error '{"kind": "features", "stages": [{"op": "gaussian_noise", "sigmaa": 1}]}' \
    "stage 0 (gaussian_noise): unknown parameter 'sigmaa' (did you mean 'sigma'?; known: sigma, mean)"
}

case_bad_param() {
  expect_spec_error '{"kind": "features", "stages": [{"op": "gaussian_noise", "sigma": -1}]}' \
    "stage 0 (gaussian_noise): sigma must be in [0, inf], got -1"
}

case_unfitted() {
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "stage 0 (standardize): not fitted"
  expect_no_file out.csv
  expect_no_temp_files
}

case_missing_spec() {
  run_cli run --pipeline no-such.json --input "$SAMPLE" --output out.csv
  expect_rc 2
  expect_stderr_has "no-such.json: cannot open"
  expect_no_file out.csv
}

case_output_is_input() {
  fit_example
  cp "$SAMPLE" in.csv
  local form
  for form in in.csv ./in.csv "../$(basename "$WORK")/in.csv" "$WORK/in.csv"; do
    run_cli run --pipeline fitted.json --input in.csv --output "$form"
    expect_rc 2
    expect_stderr_has "the output would overwrite the input"
    cmp -s "$SAMPLE" in.csv || fail "--output $form changed the input"
  done
  expect_no_temp_files
}

# Registered DISABLED: today these overwrite the input (exit 0); only `run --output` is checked.
case_other_outputs_are_input() {
  fit_example
  cp "$SAMPLE" in.csv
  run_cli run --pipeline fitted.json --input in.csv --output out.csv --params in.csv
  cmp -s "$SAMPLE" in.csv || fail "run --params equal to --input overwrote the input"
  expect_rc 2
  run_cli fit --pipeline "$EXAMPLE" --input in.csv --output in.csv
  cmp -s "$SAMPLE" in.csv || fail "fit --output equal to --input overwrote the input"
  expect_rc 2
  run_cli run --pipeline fitted.json --input in.csv --output out.csv --params out.csv
  expect_rc 2
}

cli_init "$@"
