#!/usr/bin/env bash
# CLI smoke tests: bad data rows and unusable input files (exit 1).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# make_bad_csv: ./bad.csv, the sample's header and first 15 data rows (file lines 1-16) with
# line 7 ragged, 'abc' in column 'high' on line 10 and 'nan' in column 'y-bar' on line 13.
make_bad_csv() {
  awk -F, 'BEGIN { OFS = "," }
           NR == 7 { print "Q,1,2,3"; next }
           NR == 10 { $5 = "abc" } NR == 13 { $8 = "nan" }
           NR <= 16 { print }' "$SAMPLE" >bad.csv
  if ! grep -q ',abc,' bad.csv || ! grep -q ',nan,' bad.csv; then fail "could not build bad.csv"; fi
}

expect_bad_rows_reported() {
  expect_stderr_has "bad.csv:7: expected 17 fields, got 4"
  expect_stderr_has "bad.csv:10: column 'high': not a number: 'abc'"
  expect_stderr_has "bad.csv:13: column 'y-bar': NaN and infinity are not accepted, got 'nan'"
}

case_bad_rows() {
  fit_example
  make_bad_csv
  run_cli run --pipeline fitted.json --input bad.csv --output out.csv --seed 7
  expect_rc 1
  expect_bad_rows_reported
  expect_stderr_has "15 rows read, 12 written, 3 failed"
  expect_stderr_lines 4 # one per bad row, then the summary
  grep -c '^augment run: bad.csv:[0-9]*: ' stderr.txt | grep -qx 3 || fail "expected 3 FILE:LINE lines"
  expect_file out.csv
  expect_no_temp_files
  expect_lines out.csv 13
  # The good rows are written exactly as a run over the clean sample writes them (rows are keyed
  # by their row number, which the bad rows keep).
  run_cli run --pipeline fitted.json --input "$SAMPLE" --output clean.csv --seed 7 --quiet
  expect_rc 0
  awk 'NR <= 16 && NR != 7 && NR != 10 && NR != 13' clean.csv >want.csv
  cmp want.csv out.csv >&2 || fail "the good rows differ from the same rows of a clean run"
}

case_fit_bad_rows() {
  make_bad_csv
  run_cli fit --pipeline "$EXAMPLE" --input bad.csv --output fitted.json
  expect_rc 1
  expect_bad_rows_reported
  expect_stderr_has "15 rows read, 3 bad"
  expect_stderr_lines 4
  expect_file fitted.json # fitted on the 12 good rows
  grep -q '"count": 12' fitted.json || fail "expected the state fitted on 12 rows"
}

case_fail_fast() {
  fit_example
  make_bad_csv
  run_cli run --pipeline fitted.json --input bad.csv --output out.csv --params params.jsonl --fail-fast
  expect_rc 1
  expect_stderr_has "bad.csv:7: expected 17 fields, got 4"
  expect_stderr_lacks "bad.csv:10:"
  expect_stderr_lacks "written" # no summary line
  expect_no_file out.csv
  expect_no_file params.jsonl
  expect_no_temp_files

  run_cli fit --pipeline "$EXAMPLE" --input bad.csv --output refitted.json --fail-fast
  expect_rc 1
  expect_stderr_has "bad.csv:7: expected 17 fields, got 4"
  expect_stderr_lacks "bad.csv:10:"
  expect_no_file refitted.json
  expect_no_temp_files
}

# Registered DISABLED: today the first bad row is printed twice (once as a reported row, once
# as the error that stops the run).
case_fail_fast_reports_once() {
  fit_example
  make_bad_csv
  run_cli run --pipeline fitted.json --input bad.csv --output out.csv --fail-fast
  expect_rc 1
  expect_stderr_lines 1
}

case_missing_input() {
  fit_example
  run_cli run --pipeline fitted.json --input no-such.csv --output out.csv
  expect_rc 1
  expect_stderr_has "no-such.csv: cannot open"
  expect_no_file out.csv
  run_cli fit --pipeline "$EXAMPLE" --input no-such.csv --output refitted.json
  expect_rc 1
  expect_stderr_has "no-such.csv: cannot open"
  expect_no_file refitted.json
  expect_no_temp_files
}

case_empty_input() {
  fit_example
  : >empty.csv
  run_cli run --pipeline fitted.json --input empty.csv --output out.csv
  expect_rc 1
  expect_stderr_has "empty.csv: empty file"
  expect_no_file out.csv
  run_cli fit --pipeline "$EXAMPLE" --input empty.csv --output refitted.json
  expect_rc 1
  expect_stderr_has "empty.csv: empty file"
  expect_no_file refitted.json
  expect_no_temp_files
}

cli_init "$@"
