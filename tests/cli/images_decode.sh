#!/usr/bin/env bash
# CLI smoke tests: `augment run` decodes JPEGs at reduced size when the pipeline's first stage is
# a resize that shrinks them (augment/image/reduced_decode.hpp), and --full-decode turns it off.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# large_photos DIR: home.jpg enlarged to 3001×2000 (JPEG quality 95), twice, in DIR.
large_photos() {
  mkdir -p src
  cp "$SRC/corpora/images/home.jpg" src/
  echo '{"kind": "image", "stages": [{"op": "resize", "width": 3001, "height": 2000, "interpolation": "cubic"}]}' \
    >enlarge.json
  run_cli run --pipeline enlarge.json --input src --output "$1" --quiet
  expect_rc 0
  cp "$1/home.jpg" "$1/other.jpg"
  rm "$1/manifest.csv" "$1"/.augment-*
}

case_reduced_and_full() {
  large_photos in
  echo '{"kind": "image", "stages": [{"op": "resize_longest", "size": 375}]}' >p.json
  # The same resize behind a stage that may be skipped (p 0): never reduced, so a full decode.
  echo '{"kind": "image", "stages": [{"op": "vflip", "p": 0}, {"op": "resize_longest", "size": 375}]}' >p_full.json
  run_cli run --pipeline p.json --input in --output fast --quiet
  expect_rc 0
  grep -qF '"read":["reduced JPEG decode"]' fast/.augment-run.json || fail "the run state lacks the reduced decode"
  run_cli run --pipeline p.json --input in --output full --quiet --full-decode
  expect_rc 0
  ! grep -qF '"read"' full/.augment-run.json || fail "a full decode records read settings"
  run_cli run --pipeline p_full.json --input in --output reference --quiet
  expect_rc 0
  local f
  for f in home.jpg other.jpg; do
    # 3001×2000 at 1/8 is 376×250, whose own aspect would give 375×249.
    [[ $(jpeg_size "fast/$f") == "375 250" ]] || fail "fast/$f is $(jpeg_size "fast/$f"), not 375 250"
    [[ $(jpeg_size "full/$f") == "375 250" ]] || fail "full/$f is $(jpeg_size "full/$f"), not 375 250"
    cmp -s "full/$f" "reference/$f" || fail "--full-decode differs from a full decode: $f"
    ! cmp -s "fast/$f" "full/$f" || fail "the reduced decode gave the full decode's bytes: $f"
  done
}

case_resume_keeps_the_decode() {
  large_photos in
  echo '{"kind": "image", "stages": [{"op": "resize_longest", "size": 512}]}' >p.json
  run_cli run --pipeline p.json --input in --output out --quiet
  expect_rc 0
  run_cli run --pipeline p.json --input in --output out --quiet --resume --full-decode
  expect_rc 2
  expect_stderr_has "--resume: the earlier run used other settings (read)"
  run_cli run --pipeline p.json --input in --output out --quiet --resume
  expect_rc 0
}

case_refused_without_images() {
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv --full-decode
  expect_rc 2
  expect_stderr_has "--full-decode is for pipelines that read images; this one takes features"
}

cli_init "$@"
