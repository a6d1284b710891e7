#!/usr/bin/env bash
# CLI smoke tests: `augment run` over folders and manifests of audio (waveform pipelines keep
# format and tree, spectrogram pipelines write .npy plus their info), determinism across
# --jobs, bad files, short clips, and `augment preview` on audio.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

digits() { echo "$SRC/corpora/audio/digits"; }

# pipeline_file NAME: writes one of the pipelines below to ./NAME.json.
pipeline_file() {
  case $1 in
    augment)  # every waveform augmenter once, noise files by absolute path
      echo '{"kind": "audio", "stages": [
        {"op": "gain", "db": [-6, 6]},
        {"op": "time_shift", "shift": [-0.1, 0.1], "mode": "zero_fill"},
        {"op": "add_noise", "colour": "file", "files": "'"$SRC"'/corpora/audio/noise", "snr_db": [5, 20]},
        {"op": "lowpass", "cutoff_hz": [2000, 4000], "zero_phase": true}]}' ;;
    log_mel)
      cp "$SRC/examples/pipelines/digits-log-mel-specaugment.json" log_mel.json
      return ;;
    spectrogram)  # torchaudio's defaults: reflect padding needs more than 200 samples
      echo '{"kind": "audio", "stages": [{"op": "spectrogram"}]}' ;;
    *) fail "no pipeline $1" ;;
  esac >"$1.json"
}

# digit_tree DIR: six spoken digits in two folders.
digit_tree() {
  mkdir -p "$1/en" "$1/es" || fail "mkdir $1"
  cp "$(digits)"/en/{0_m3,1_f2,2_m3}.wav "$1/en/"
  cp "$(digits)"/es/{3_m1,4_f3,5_m1}.wav "$1/es/"
}

# le N BYTES: N as BYTES little-endian bytes, as printf escapes.
le() {
  local n=$1 i out=""
  for ((i = 0; i < $2; i++)); do out+=$(printf '\\x%02x' $(((n >> (8 * i)) & 255))); done
  echo "$out"
}
# tiny_wav FILE FRAMES: a 16-bit mono 16 kHz WAV of FRAMES samples of a square wave.
tiny_wav() {
  local frames=$2 bytes=$(($2 * 2)) i data=""
  for ((i = 0; i < frames; i++)); do data+=$([[ $((i / 8 % 2)) == 0 ]] && echo '\x00\x10' || echo '\x00\xf0'); done
  printf "RIFF$(le $((36 + bytes)) 4)WAVEfmt $(le 16 4)$(le 1 2)$(le 1 2)$(le 16000 4)$(le 32000 4)$(le 2 2)$(le 16 2)data$(le "$bytes" 4)$data" >"$1"
}

# --- waveform pipelines -------------------------------------------------------------------

case_folder_copies() {
  pipeline_file augment
  digit_tree in
  run_cli run --pipeline augment.json --input in --output out --copies 2 --seed 5 --jobs 2
  expect_rc 0
  expect_stderr_has "6 sources"
  printf '%s\n' en/0_m3_0.wav en/0_m3_1.wav en/1_f2_0.wav en/1_f2_1.wav en/2_m3_0.wav en/2_m3_1.wav \
    es/3_m1_0.wav es/3_m1_1.wav es/4_f3_0.wav es/4_f3_1.wav es/5_m1_0.wav es/5_m1_1.wav manifest.csv >want.txt
  tree_files out | diff want.txt - >&2 || fail "expected two copies of each digit, mirrored, and the manifest"
  expect_lines out/manifest.csv 13
  expect_no_temp_files_under out
  # The format is kept: 16-bit PCM mono WAV at 16 kHz, the same length as the source.
  local src out
  src=$(bytes in/en/0_m3.wav 20 16)
  out=$(bytes out/en/0_m3_0.wav 20 16)
  [[ $src == "$out" ]] || fail "fmt chunk changed: $src -> $out"
  [[ $(stat -c %s in/en/0_m3.wav) == $(stat -c %s out/en/0_m3_0.wav) ]] || fail "length changed"
  ! cmp -s in/en/0_m3.wav out/en/0_m3_0.wav || fail "the output equals the source"
}

case_jobs_deterministic() {
  pipeline_file augment
  digit_tree in
  run_cli run --pipeline augment.json --input in --output one --copies 2 --seed 9 --jobs 1
  expect_rc 0
  run_cli run --pipeline augment.json --input in --output two --copies 2 --seed 9 --jobs 2
  expect_rc 0
  same_tree one two
}

case_manifest_labels() {
  echo '{"kind": "audio", "stages": [{"op": "trim_silence"}, {"op": "normalize"}]}' >pre.json
  run_cli run --pipeline pre.json --input "$SRC/corpora/audio/digits.csv" --output out --jobs 2
  expect_rc 0
  expect_lines out/manifest.csv 41
  head -n 1 out/manifest.csv | grep -q 'label,language,voice' || fail "manifest lacks the source's columns"
  grep -q 'digits/es/7_f3.wav,0,7,es,es+f3' out/manifest.csv || fail "row of es/7_f3 not carried"
}

# --- spectrogram pipelines ----------------------------------------------------------------

case_spectrogram_npy() {
  pipeline_file log_mel
  digit_tree in
  run_cli run --pipeline log_mel.json --input in --output out --seed 2
  expect_rc 0
  expect_file out/en/0_m3.npy
  expect_file out/en/0_m3.json
  # NumPy format 1.0, float32, (channels, mel bands, frames) in C order.
  [[ $(head -c 6 out/en/0_m3.npy | od -An -c | tr -d ' ') == '223NUMPY' ]] || fail "not a .npy file"
  head -c 128 out/en/0_m3.npy | grep -q "'descr': '<f4', 'fortran_order': False, 'shape': (1, 80, " ||
    fail "unexpected .npy header: $(head -c 128 out/en/0_m3.npy | tail -c +11)"
  grep -q '"frequency_scale": *"mel"' out/en/0_m3.json || fail "info lacks the mel scale"
  grep -q '"decibels": *true' out/en/0_m3.json || fail "info lacks decibels"
  grep -c '\.npy' out/manifest.csv | grep -qx 6 || fail "manifest should list six .npy outputs"
}

case_short_clip() {
  pipeline_file spectrogram
  mkdir in
  tiny_wav in/short.wav 100
  tiny_wav in/long.wav 1000
  run_cli run --pipeline spectrogram.json --input in --output out
  expect_rc 1
  expect_stderr_has "short.wav"
  expect_stderr_has "pad_mode"
  expect_file out/long.npy
  expect_no_file out/short.npy
}

# --- bad files ----------------------------------------------------------------------------

case_bad_files() {
  pipeline_file augment
  mkdir -p bad/sub
  cp "$(digits)/en/0_m3.wav" bad/good.wav
  : >bad/empty.wav
  echo "not audio at all, just text" >bad/text.wav
  head -c 2000 "$(digits)/en/1_f2.wav" >bad/sub/truncated.wav
  run_cli run --pipeline augment.json --input bad --output out --seed 1
  expect_rc 1
  expect_stderr_has "bad/empty.wav: empty file"
  expect_stderr_has "bad/text.wav:"
  expect_stderr_has "bad/sub/truncated.wav: truncated"
  expect_stderr_has "4 sources, 1 processed, 1 written"
  printf '%s\n' good.wav manifest.csv >want.txt
  tree_files out | diff want.txt - >&2 || fail "expected only the good output and the manifest"
  expect_no_temp_files_under out
}

# --- preview ------------------------------------------------------------------------------

case_preview() {
  pipeline_file augment
  local clip
  clip=$(digits)/es/7_f3.wav
  run_cli preview --pipeline augment.json --input "$clip" --output grid.png --count 3 --seed 3 --write-audio
  expect_rc 0
  expect_file grid.png
  expect_file grid.copy0.wav
  expect_file grid.copy2.wav
  expect_no_temp_files
  local -a info
  read -r -a info <<<"$(png_info grid.png)"
  # four rows (the original and 3 variants) of two 640-pixel panels
  ((info[0] > 1280 && info[1] > 600)) || fail "grid.png is ${info[0]}x${info[1]}"
  run_cli preview --pipeline augment.json --input "$clip" --output again.png --count 3 --seed 3
  expect_rc 0
  cmp grid.png again.png >&2 || fail "the same seed gave another picture"
  run_cli preview --pipeline augment.json --input "$clip" --output other.png --count 3 --seed 4
  expect_rc 0
  ! cmp -s grid.png other.png || fail "another seed gave the same picture"
}

case_preview_spectrogram() {
  pipeline_file log_mel
  run_cli preview --pipeline log_mel.json --input "$(digits)/en/7_m3.wav" --output spec.png --count 2
  expect_rc 0
  expect_file spec.png
  run_cli preview --pipeline log_mel.json --input "$(digits)/en/7_m3.wav" --output spec.png --boxes 1,1,2,2
  expect_rc 2
  expect_stderr_has "for images"
}

cli_init "$@"
