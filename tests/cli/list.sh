#!/usr/bin/env bash
# CLI smoke tests: `augment list` (the transform catalogue) in its three formats.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case_json() {
  need_python
  run_cli list --format json
  expect_rc 0
  "$PYTHON" - stdout.txt <<'EOF' || fail "list --format json: bad JSON or catalogue"
import json, sys
# Ops of different kinds may share a name: key them by (name, input kind).
ops = {(op["name"], op["input"]): op for op in json.load(open(sys.argv[1]))}
want = {
    ("rescale", "features"): ["min", "max", "clip"],
    ("standardize", "features"): ["with_mean", "with_std"],
    ("unit_norm", "features"): ["norm", "over"],
    ("gaussian_noise", "features"): ["sigma", "mean"],
}
ok = True
for key, params in want.items():
    if key not in ops:
        print(f"missing op {key}"); ok = False; continue
    got = [p["name"] for p in ops[key]["params"]]
    if got != params:
        print(f"{key}: params {got}, expected {params}"); ok = False
for key, op in ops.items():
    if op["output"] not in ("features", "image", "audio", "spectrogram", "text", "tokens", "video", "tensor"):
        print(f"{key}: output kind {op['output']}"); ok = False
    for p in op["params"]:
        for field in ("type", "doc", "required"):
            if field not in p:
                print(f"{key}.{p['name']}: no '{field}'"); ok = False
for name in ("rotate", "hflip", "resize_longest", "brightness_contrast", "gaussian_noise", "standardize"):
    if (name, "image") not in ops:
        print(f"missing image op {name}"); ok = False
sigma = [p for p in ops[("gaussian_noise", "features")]["params"] if p["name"] == "sigma"][0]
if sigma.get("minimum") != 0 or not sigma.get("drawable"):
    print(f"gaussian_noise.sigma: {sigma}"); ok = False
sys.exit(0 if ok else 1)
EOF
}

case_markdown() {
  run_cli list --format markdown
  expect_rc 0
  grep -qx "### \`rescale\`" stdout.txt || fail "no '### \`rescale\`' heading"
  grep -qx "### \`gaussian_noise\`" stdout.txt || fail "no '### \`gaussian_noise\`' heading"
  expect_stdout_has "| \`sigma\` |"
}

case_text() {
  run_cli list
  expect_rc 0
  local op
  for op in rescale standardize unit_norm gaussian_noise; do
    grep -q "^$op " stdout.txt || fail "text listing lacks $op"
  done
}

case_kind_filter() {
  run_cli list --kind image
  expect_rc 0
  expect_stdout_has "rotate"
  grep -q "over:" stdout.txt && fail "list --kind image shows the features unit_norm"
  run_cli list --kind video
  expect_rc 0
  expect_stdout_has "sample_uniform"
  expect_stdout_has "optical_flow"
  expect_stdout_has "per_frame"
  grep -q "^== image" stdout.txt && fail "list --kind video shows the image section"
  run_cli list --kind features
  expect_rc 0
  expect_stdout_has "standardize"
}

case_kind_bogus() {
  run_cli list --kind bogus
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "unknown kind 'bogus'"
  expect_stdout_empty
}

case_format_xml() {
  run_cli list --format xml
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "--format"
  expect_stderr_has "'xml'"
  expect_stdout_empty
}

cli_init "$@"
