#!/usr/bin/env bash
# CLI smoke tests: the dataset runner's outputs stay safe when things go wrong — merge-manifests
# refuses an incomplete or mixed set of shards, --resume refuses a damaged run state, unusable
# output folders and pipelines are usage errors, a full disk stops the run naming the output,
# SIGINT/SIGTERM stop it cleanly for --resume, and a table never gets a non-finite value.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- helpers ------------------------------------------------------------------------------

images_dir() { echo "$SRC/corpora/images"; }

# small_images DIR N: N copies of home.jpg in two subfolders of DIR.
small_images() {
  local d=$1 n=$2 i
  mkdir -p "$d/p" "$d/q"
  for ((i = 0; i < n; ++i)); do
    cp "$(images_dir)/home.jpg" "$d/$([[ $((i % 2)) -eq 0 ]] && echo p || echo q)/h$i.jpg"
  done
}

small_pipeline() {
  echo '{"kind": "image", "stages": [{"op": "resize_longest", "size": 32}, {"op": "rotate", "degrees": [-20, 20]}]}' \
    >small.json
}

# Mounts a tmpfs with OPTIONS on DIR, or skips the case (exit 77) when mounting is not allowed.
mount_tmpfs_or_skip() {
  mkdir -p "$2"
  mount -t tmpfs -o "$1" tmpfs "$2" 2>/dev/null || { echo "skip [$CASE]: cannot mount a tmpfs here"; exit 77; }
  MOUNTED=$2
  trap 'umount "$MOUNTED" 2>/dev/null; rm -rf -- "$WORK"' EXIT
}

# --- merge-manifests ------------------------------------------------------------------------

sharded_run() {
  small_images in 12
  small_pipeline
  local k
  for k in 0 1 2; do
    run_cli run --pipeline small.json --input in --output "$1" --copies 2 --seed 3 --shard "$k/3" --quiet
    expect_rc 0
  done
}

case_merge_missing_shard() {
  sharded_run out
  rm out/manifest-1-of-3.csv
  run_cli merge-manifests --output out
  expect_rc 1
  expect_stderr_lines 1
  expect_stderr_has "augment merge-manifests: out: cannot merge an incomplete or mixed set of shards: missing shard 1 of 3"
  expect_stderr_has "nothing written"
  expect_no_file out/manifest.csv
}

case_merge_foreign_shard() {
  sharded_run out
  # shard 2 made again with another seed: its outputs and manifest are of another run
  run_cli run --pipeline small.json --input in --output out --copies 2 --seed 4 --shard 2/3 --quiet
  expect_rc 0
  run_cli merge-manifests --output out
  expect_rc 1
  expect_stderr_lines 1
  expect_stderr_has "shard 2/3 was made with other settings than shard 0 (seed)"
  expect_no_file out/manifest.csv
  # made again with the right seed, the set merges into what one unsharded run writes
  run_cli run --pipeline small.json --input in --output out --copies 2 --seed 3 --shard 2/3 --quiet
  expect_rc 0
  run_cli merge-manifests --output out
  expect_rc 0
  run_cli run --pipeline small.json --input in --output single --copies 2 --seed 3 --quiet
  expect_rc 0
  cmp single/manifest.csv out/manifest.csv >&2 || fail "the merged manifest differs from one run's"
}

# --- resume ---------------------------------------------------------------------------------

case_resume_damaged_state() {
  small_images in 6
  small_pipeline
  run_cli run --pipeline small.json --input in --output out --seed 1 --quiet
  expect_rc 0
  tree_files out >before.txt
  cp -r out saved
  local state=out/.augment-run.json
  local good
  good=$(cat "$state")
  : >"$state"
  run_cli run --pipeline small.json --input in --output out --seed 2 --resume --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "out/.augment-run.json: the run state is empty, so it cannot tell which settings made the outputs in out"
  expect_stderr_has "remove that folder"
  printf '%s' "${good:0:40}" >"$state"
  run_cli run --pipeline small.json --input in --output out --seed 2 --resume --quiet
  expect_rc 2
  expect_stderr_has "out/.augment-run.json: the run state is damaged"
  echo '{"settings": {"seed": 2}}' >"$state"
  run_cli run --pipeline small.json --input in --output out --seed 2 --resume --quiet
  expect_rc 2
  expect_stderr_has "the run state lacks the setting"
  # nothing was touched
  same_tree saved out
}

# --- unusable outputs and pipelines -----------------------------------------------------------

case_output_not_a_folder() {
  small_images in 2
  small_pipeline
  echo keep >file.txt
  run_cli run --pipeline small.json --input in --output file.txt --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "augment run: file.txt: exists and is not a folder"
  [[ $(cat file.txt) == keep ]] || fail "file.txt was changed"
  run_cli run --pipeline small.json --input in --output file.txt/sub --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "augment run: file.txt/sub: cannot create the output folder: Not a directory"
}

case_pipeline_is_a_folder() {
  small_images in 2
  mkdir spec.json
  run_cli run --pipeline spec.json --input in --output out --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "spec.json"
  expect_stderr_lacks "internal error"
  run_cli fit --pipeline spec.json --input in --output fitted.json --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "spec.json"
}

case_output_read_only() {
  small_images in 2
  small_pipeline
  mount_tmpfs_or_skip ro,size=64k ro
  run_cli run --pipeline small.json --input in --output ro/out --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "augment run: ro/out: cannot create the output folder: Read-only file system"
  run_cli run --pipeline small.json --input in --output ro --quiet
  expect_rc 2
  expect_stderr_has "augment run: ro: cannot write into the output folder: Read-only file system"
}

case_table_output_folder() {
  mkdir out.csv
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv --quiet
  expect_rc 2
  expect_stderr_lines 1
  expect_stderr_has "augment run: out.csv: is a folder; --output here takes a file name"
  run_cli fit --pipeline "$EXAMPLE" --input "$SAMPLE" --output out.csv --quiet
  expect_rc 2
  expect_stderr_has "augment fit: out.csv: is a folder"
}

# A table written to a full disk: one line naming the output and the reason, nothing left.
case_table_full_disk() {
  mount_tmpfs_or_skip size=64k disk
  fit_example
  run_cli run --pipeline fitted.json --input "$SAMPLE" --output disk/out.csv --copies 50 --quiet
  expect_rc 1
  expect_stderr_lines 1
  expect_stderr_has "augment run: disk/out.csv: write failed: No space left on device"
  [[ -z $(ls -A disk) ]] || fail "left in disk/: $(ls -A disk)"
}

# --- a full disk ------------------------------------------------------------------------------

case_full_disk() {
  small_images in 60
  echo '{"kind": "image", "stages": [{"op": "rotate", "degrees": [-20, 20]}]}' >big.json
  mount_tmpfs_or_skip size=256k disk
  run_cli run --pipeline big.json --input in --output disk/out --seed 1 --jobs 2
  expect_rc 1
  expect_stderr_has "augment run: disk/out/"
  expect_stderr_has ": No space left on device; the run stopped"
  expect_stderr_lacks "output stream failed"
  expect_stderr_lacks "in/p/"  # no input is blamed
  [[ $(grep -c 'No space left' stderr.txt) -eq 1 ]] || fail "expected the failure once, not per file"
  expect_no_file disk/out/manifest.csv
  expect_no_temp_files_under disk/out
}

# --- signals ----------------------------------------------------------------------------------

# interrupted_run SIGNAL: a reference run into ./ref, then the same run into ./cut, sent SIGNAL
# once a few outputs exist; sets RC. 60 sources x 2 copies at about 20 ms each on one core.
interrupted_run() {
  small_images big 60
  echo '{"kind": "image", "stages": [{"op": "resize_longest", "size": 1024}, {"op": "rotate", "degrees": [-30, 30]}]}' \
    >slow.json
  run_cli run --pipeline slow.json --input big --output ref --copies 2 --seed 1 --jobs 2 --quiet
  expect_rc 0
  interrupt_when "$1" '(( $(find cut -name "*.jpg" ! -name ".*" 2>/dev/null | wc -l) >= 6 ))' \
    run --pipeline slow.json --input big --output cut --copies 2 --seed 1 --jobs 1
}

check_interrupted() {
  expect_rc "$1"
  expect_stderr_lines 1
  grep -qE '^augment run: interrupted: [0-9]+ of 60 samples written; run the same command with --resume to continue$' \
    stderr.txt || fail "no 'interrupted: N of 60 samples written' line"
  expect_no_file cut/manifest.csv
  expect_no_temp_files_under cut
  run_cli run --pipeline slow.json --input big --output cut --copies 2 --seed 1 --jobs 2 --resume
  expect_rc 0
  grep -qE ' [1-9][0-9]* kept from the earlier run' stderr.txt || fail "nothing kept from the interrupted run"
  same_tree ref cut
  cmp ref/manifest.csv cut/manifest.csv >&2 || fail "the manifests differ"
}

case_sigint_resume() {
  interrupted_run INT
  check_interrupted 130
}

case_sigterm_resume() {
  interrupted_run TERM
  check_interrupted 143
}

# A table run has no --resume: it stops at once, and its half-written output goes with it.
case_table_interrupted() {
  awk 'BEGIN { print "id,x,y"; for (i = 0; i < 400000; ++i) printf "r%d,%d,%d\n", i, i % 97, i % 89 }' >big.csv
  echo '{"kind": "features", "columns": ["x", "y"], "stages": [{"op": "gaussian_noise", "sigma": 0.1}]}' >noise.json
  mkdir out
  interrupt_when_exists INT 'out/.out.csv.tmp.*' run --pipeline noise.json --input big.csv --output out/out.csv --copies 20
  expect_rc 130
  expect_stderr_lines 1
  expect_stderr_has "augment run: interrupted; unfinished outputs removed, nothing half-written left"
  expect_no_file out/out.csv
  expect_no_temp_files_under out
}

# --- non-finite table values ------------------------------------------------------------------

# Hand-written states: x's fitted range is [0, 1e-10] (scale 1e10), y's [0, 4] (scale 0.25).
case_table_non_finite() {
  printf 'id,x,y\na,1,2\nb,1e300,3\nc,-1,4\n' >t.csv
  echo '{"kind": "features", "columns": ["x", "y"], "stages": [
    {"op": "rescale", "state": {"data_min": [0, 0], "data_max": [1e-10, 4]}},
    {"op": "unit_norm", "norm": "max"}]}' >p.json
  run_cli run --pipeline p.json --input t.csv --output out.csv --quiet
  expect_rc 1
  expect_stderr_lines 1
  # row b: 1e300 * 1e10 overflows in rescale; unit_norm then makes NaN of it, but rescale is named
  expect_stderr_has "augment run: t.csv:3: column 'x': stage 0 (rescale) made it inf; only finite values are written"
  # a: (1e10, 0.5) / 1e10 = (1, 5e-11); c: (-1e10, 1) / 1e10 = (-1, 1e-10)
  [[ $(sed -n 1p out.csv) == "id,x,y" ]] || fail "header"
  awk -F, 'NR == 2 { exit !($1 == "a" && $2 == 1 && $3 == 5e-11) }' out.csv || fail "row a: $(sed -n 2p out.csv)"
  awk -F, 'NR == 3 { exit !($1 == "c" && $2 == -1 && $3 == 1e-10) }' out.csv || fail "row c: $(sed -n 3p out.csv)"
  expect_lines out.csv 3
  # the output reads back as input
  echo '{"kind": "features", "columns": ["x", "y"], "stages": [{"op": "gaussian_noise", "sigma": 0}]}' >q.json
  run_cli run --pipeline q.json --input out.csv --output again.csv --quiet
  expect_rc 0
  # a noise mean that overflows: 1e308 + 1.5e308
  printf 'x\n1e308\n1\n' >u.csv
  echo '{"kind": "features", "stages": [{"op": "gaussian_noise", "sigma": 0, "mean": 1.5e308}]}' >n.json
  run_cli run --pipeline n.json --input u.csv --output n.csv --quiet --copies 2
  expect_rc 1
  expect_stderr_has "u.csv:2: column 'x' (copy 0): stage 0 (gaussian_noise) made it inf"
  expect_lines n.csv 3
}

cli_init "$@"
