#!/usr/bin/env bash
# CLI smoke tests: help, command dispatch and option parsing (exit 0 / 2).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case_help() {
  run_cli --help
  expect_rc 0
  expect_stdout_has "usage: augment <command>"
  local c
  for c in list fit run; do
    grep -qE "^  $c " stdout.txt || fail "--help does not list command '$c'"
  done
}

case_command_help() {
  local c
  for c in list fit run; do
    run_cli "$c" --help
    expect_rc 0
    expect_stdout_has "usage: augment $c"
  done
  run_cli list --help
  expect_stdout_has "--format"
  run_cli run --help
  expect_stdout_has "--copies"
  expect_stdout_has "--fail-fast"
}

case_no_command() {
  run_cli
  expect_rc 2
  expect_stderr_has "usage: augment"
}

case_unknown_command() {
  run_cli frobnicate
  expect_rc 2
  expect_stderr_has "unknown command 'frobnicate'"
  expect_stderr_lines 1
}

case_unknown_option() {
  run_cli run --bogus
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "--bogus"
  expect_stdout_empty
}

case_missing_pipeline() {
  run_cli run
  expect_rc 2
  run_cli run --input in.csv --output out.csv
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "'--pipeline' is required"
  expect_no_file out.csv
  run_cli fit --input in.csv --output fitted.json
  expect_rc 2
  expect_stderr_has "'--pipeline' is required"
}

case_bad_option_values() {
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv --copies 0
  expect_rc 2
  expect_stderr_has "--copies must be >= 1"
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv --copies many
  expect_rc 2
  expect_stderr_has "copies"
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv --jobs -1
  expect_rc 2
  expect_stderr_has "--jobs must be >= 0"
  expect_no_file out.csv
}

cli_init "$@"
