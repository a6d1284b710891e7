#!/usr/bin/env bash
# CLI smoke tests: `augment fit` learns the standardize state of the example pipeline.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case_letters() {
  need_python
  run_cli fit --pipeline "$EXAMPLE" --input "$SAMPLE" --output fitted.json
  expect_rc 0
  expect_file fitted.json
  expect_no_temp_files
  expect_stderr_has "200 rows read, 0 bad"
  expect_stderr_has "passed through: lettr"

  # Column means computed independently, "name mean" per line, for every numeric column.
  awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) name[i] = $i; next }
           { for (i = 2; i <= NF; ++i) sum[i] += $i; ++n }
           END { for (i = 2; i <= NF; ++i) printf "%s %.17g\n", name[i], sum[i] / n }' \
    "$SAMPLE" >awk-means.txt
  grep -q '^x-box ' awk-means.txt || fail "awk found no x-box column"

  "$PYTHON" - fitted.json awk-means.txt <<'EOF' || fail "fitted standardize state is wrong"
import json, sys
spec = json.load(open(sys.argv[1]))
expected = dict((n, float(v)) for n, v in (line.split() for line in open(sys.argv[2])))
ok = True
stage = spec["stages"][0]
if stage["op"] != "standardize" or "state" not in stage:
    sys.exit(f"stage 0 is not a fitted standardize: {stage}")
state = stage["state"]
if state.get("count") != 200:
    print(f"count {state.get('count')}, expected 200"); ok = False
if len(state["mean"]) != 16 or len(state["std"]) != 16:
    print(f"{len(state['mean'])} means / {len(state['std'])} stds, expected 16"); ok = False
columns = spec["columns"]
for name in ["x-box"] + columns:  # x-box named first so its failure is reported first
    got = state["mean"][columns.index(name)]
    if abs(got - expected[name]) > 1e-9:
        print(f"mean of {name}: state {got!r}, awk {expected[name]!r}"); ok = False
if any(s <= 0 for s in state["std"]):
    print(f"non-positive std: {state['std']}"); ok = False
# the unfitted gaussian_noise stage keeps its params (defaults may be filled in)
noise = spec["stages"][1]
if (noise["op"], noise.get("sigma"), noise.get("p")) != ("gaussian_noise", [0.05, 0.2], 0.5):
    print(f"stage 1 changed: {spec['stages'][1]}"); ok = False
sys.exit(0 if ok else 1)
EOF
}

# A fitted pipeline fits again to the same state (the state is recomputed, not accumulated).
case_refit() {
  fit_example
  run_cli fit --pipeline fitted.json --input "$SAMPLE" --output refitted.json --quiet
  expect_rc 0
  expect_stderr_lines 0
  cmp -s fitted.json refitted.json || fail "refitting a fitted pipeline changed it"
}

cli_init "$@"
