#!/usr/bin/env bash
# CLI smoke tests for videos: `augment probe`, and `augment run` over folders of videos writing
# video files or frames (images, or optical flow as .flo + colour PNG) with frames manifests.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

video_dir() { echo "$SRC/corpora/video"; }

# pipeline_file NAME: writes one of the pipelines below to ./NAME.json.
pipeline_file() {
  case $1 in
    clips)  # 8 frames, scaled, flipped and brightened once per clip
      echo '{"kind": "video", "stages": [
        {"op": "sample_uniform", "n": 8},
        {"op": "resize", "width": 80, "height": 60},
        {"op": "hflip", "p": 0.5},
        {"op": "brightness_contrast"}]}' ;;
    stride)
      echo '{"kind": "video", "stages": [{"op": "sample_stride", "step": 10, "offset": 5}]}' ;;
    flow)
      echo '{"kind": "video", "stages": [
        {"op": "sample_stride", "step": 1, "offset": 11},
        {"op": "sample_uniform", "n": 3},
        {"op": "optical_flow", "method": "farneback"}]}' ;;
    image)
      echo '{"kind": "image", "stages": [{"op": "hflip"}]}' ;;
    *) fail "no pipeline $1" ;;
  esac >"$1.json"
}

# A folder with the moving square and the vtest clip.
good_videos() {
  mkdir -p "$1/sub" || fail "mkdir $1"
  cp "$(video_dir)/square.avi" "$1/square.avi"
  cp "$(video_dir)/vtest-clip.avi" "$1/sub/vtest.avi"
}

# --- cases -------------------------------------------------------------------------------

case_probe() {
  run_cli probe "$(video_dir)/square.avi" "$(video_dir)/lying-header.avi"
  expect_rc 0
  grep -qE '^40 +40 +10 +160x120 +FFV1 .*square\.avi$' stdout.txt || fail "square.avi: 40 decoded, 40 claimed"
  grep -qE '^40 +444 +10 +160x120 .*lying-header\.avi$' stdout.txt || fail "lying-header.avi: 40 decoded, 444 claimed"
  run_cli probe --format jsonl "$(video_dir)/lying-header.avi" "$(video_dir)/not-a-video.mp4" "$(video_dir)/no-frames.avi"
  expect_rc 1
  expect_stdout_has '"decoded_frames":40'
  expect_stdout_has '"header_frames":444'
  expect_stderr_has "not-a-video.mp4: "
  expect_stderr_has "no-frames.avi: "
  expect_stderr_lines 2
}

case_video_output_deterministic() {
  good_videos in
  pipeline_file clips
  run_cli run --pipeline clips.json --input in --output one --copies 2 --seed 3 --jobs 1 --quiet
  expect_rc 0
  run_cli run --pipeline clips.json --input in --output two --copies 2 --seed 3 --jobs 2 --quiet
  expect_rc 0
  expect_file one/square_0.avi
  expect_file one/sub/vtest_1.avi
  same_tree one two
  run_cli probe --format jsonl one/square_0.avi
  expect_rc 0
  expect_stdout_has '"decoded_frames":8'
  expect_stdout_has '"width":80'
  expect_stdout_has '"height":60'
  expect_lines one/manifest.csv 5
  run_cli run --pipeline clips.json --input in --output three --copies 2 --seed 4 --quiet
  expect_rc 0
  cmp -s one/square_0.avi three/square_0.avi && cmp -s one/square_1.avi three/square_1.avi &&
    fail "another seed gave the same clips"
  true
}

case_frames_output() {
  good_videos in
  pipeline_file stride
  run_cli run --pipeline stride.json --input in --output out --video-output frames --quiet
  expect_rc 0
  expect_file out/square.csv
  printf '%s\n' "path,source_frame,time" "square/f000005.png,5,0.500000" "square/f000015.png,15,1.500000" \
    "square/f000025.png,25,2.500000" "square/f000035.png,35,3.500000" >expected.csv
  diff expected.csv out/square.csv >&2 || fail "square.csv is not the frames manifest expected"
  expect_lines out/sub/vtest.csv 11
  expect_file out/sub/vtest/f000095.png
  [[ $(find out/square -type f | wc -l) -eq 4 ]] || fail "expected 4 frame files for square"
  grep -q "^[0-9]*,square.csv,square.avi," out/manifest.csv || fail "the run manifest does not list square.csv"
  # The frames manifest is itself a dataset of images.
  pipeline_file image
  run_cli run --pipeline image.json --input out/square.csv --output flipped --quiet
  expect_rc 0
  expect_file flipped/square/f000035.png
}

case_flow_frames() {
  mkdir in && cp "$(video_dir)/square.avi" in/
  pipeline_file flow
  run_cli run --pipeline flow.json --input in --output out --video-output frames --quiet
  expect_rc 0
  # Offset 11 leaves frames 11..39; the centres of 3 segments of 29 are 4, 14, 24: 15, 25, 35.
  expect_file out/square/f000015-000025.flo
  expect_file out/square/f000025-000035.flo
  expect_file out/square/f000015-000025.png
  [[ $(head -c 4 out/square/f000015-000025.flo) == PIEH ]] || fail ".flo does not start with PIEH"
  # 12 header bytes + 160 x 120 x 2 floats.
  [[ $(stat -c %s out/square/f000015-000025.flo) -eq $((12 + 160 * 120 * 8)) ]] || fail ".flo has the wrong size"
  head -n 1 out/square.csv | grep -q "flow_to" || fail "the frames manifest lacks flow_to"
}

case_bad_files() {
  good_videos in
  cp "$(video_dir)/not-a-video.mp4" in/
  cp "$(video_dir)/no-frames.avi" in/
  : >in/empty.mp4
  pipeline_file stride
  run_cli run --pipeline stride.json --input in --output out
  expect_rc 1
  expect_stderr_has "in/not-a-video.mp4: "
  expect_stderr_has "in/no-frames.avi: "
  expect_stderr_has "in/empty.mp4: "
  expect_stderr_has "3 failed"
  expect_file out/square.avi
  expect_file out/sub/vtest.avi
  expect_no_file out/empty.avi
  [[ -z $(find out -name '.*.tmp.*') ]] || fail "temporary files left behind"
}

case_resume_removes_encoder_temp() {
  good_videos in
  pipeline_file stride
  run_cli run --pipeline stride.json --input in --output out --quiet
  expect_rc 0
  cp out/square.avi square-before.avi
  # What a run killed while FFmpeg encoded would leave: the encoder's file beside the output.
  local dead
  sleep 0 &
  dead=$!
  wait "$dead"
  head -c 100 out/square.avi >"out/.square.avi.tmp.$dead.3.avi"
  run_cli run --pipeline stride.json --input in --output out --resume --quiet
  expect_rc 0
  expect_no_file "out/.square.avi.tmp.$dead.3.avi"
  cmp -s square-before.avi out/square.avi || fail "--resume changed a finished output"
}

case_fit_frames() {
  good_videos in
  echo '{"kind": "video", "stages": [
    {"op": "sample_uniform", "n": 4},
    {"op": "resize", "width": 64, "height": 48},
    {"op": "standardize"}]}' >fit.json
  run_cli fit --pipeline fit.json --input in --output fitted.json
  expect_rc 0
  # 2 videos x 4 frames x 64 x 48 pixels.
  grep -qE '"count": ?24576' fitted.json || fail "standardize was not fitted on every pixel of the 8 frames"
  run_cli run --pipeline fitted.json --input in --output out --video-output frames --frame-format tif --quiet
  expect_rc 0
  expect_file out/square/f000035.tif
}

case_preview() {
  pipeline_file clips
  run_cli preview --pipeline clips.json --input "$(video_dir)/square.avi" --output a.png -n 2 --seed 5
  expect_rc 0
  expect_file a.png
  run_cli preview --pipeline clips.json --input "$(video_dir)/square.avi" --output b.png -n 2 --seed 5
  expect_rc 0
  cmp -s a.png b.png || fail "the same seed drew another preview"
  run_cli preview --pipeline clips.json --input "$(video_dir)/square.avi" --output c.png -n 2 --seed 6
  cmp -s a.png c.png && fail "another seed drew the same preview"
  run_cli preview --pipeline clips.json --input "$(video_dir)/square.avi" --output d.png --boxes 1,1,5,5
  expect_rc 2
  expect_stderr_has "is a video"
  pipeline_file image
  run_cli preview --pipeline image.json --input "$(video_dir)/square.avi" --output e.png
  expect_rc 2
  expect_stderr_has "needs a video -> video pipeline"
}

case_options_refused() {
  mkdir in && cp "$SRC/corpora/images/home.jpg" in/
  pipeline_file image
  run_cli run --pipeline image.json --input in --output out --video-output frames
  expect_rc 2
  expect_stderr_has "for pipelines that give videos"
  good_videos vin
  pipeline_file stride
  run_cli run --pipeline stride.json --input vin --output out --video-output pictures
  expect_rc 2
  expect_stderr_has "--video-output must be"
  run_cli run --pipeline stride.json --input vin --output out --video-format mkv
  expect_rc 2
  expect_stderr_has "container must be"
  run_cli run --pipeline stride.json --input vin --output out --fourcc ZZZZ --video-format avi
  expect_rc 2
  expect_stderr_has "fourcc 'ZZZZ': FFmpeg cannot write it in .avi"
  expect_no_file out/manifest.csv
}

cli_init "$@"
