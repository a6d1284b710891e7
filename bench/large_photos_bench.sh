#!/usr/bin/env bash
# `augment run` on large photos against the per-file OpenCV script a user would write
# (bench/cv2_photos.py), with 1 and 2 jobs, wall clock with start-up included, in one run.
#
#   bench/large_photos_bench.sh AUGMENT_BINARY [PHOTOS] [ROUNDS]
#
# Sources: corpora/images/home.jpg enlarged to 3000×2000 (cubic) and written as JPEG quality 95
# by OpenCV (through `augment run` itself), PHOTOS byte copies (default 60) in $TMPDIR, never
# committed. Pipeline: resize_longest 512 → rotate [-15°, 15°] → hflip p 0.5 → JPEG quality 95.
# Contenders, each round in turn (ROUNDS rounds, default 3; the median is printed):
#   augment run                  JPEGs decoded at reduced size (1/4 here: 750×500)
#   augment run --full-decode    every JPEG decoded in full, as before
#   cv2 script                   cv2.imread → resize → warpAffine → flip → imwrite per file,
#                                multiprocessing.Pool, OpenCV threads off
#   cv2 script, reduced read     the same with cv2.IMREAD_REDUCED_COLOR_4 (a tuned script)
# Needs Debian's python3-opencv for /usr/bin/python3 (scripts/install-deps --data).
set -euo pipefail
cd "$(dirname "$0")/.."

augment=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
photos=${2:-60}
rounds=${3:-3}
python=/usr/bin/python3
if ! "$python" -c 'import cv2' 2>/dev/null; then
  echo "large photos: skipped ($python lacks cv2: scripts/install-deps --data installs python3-opencv)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/augment-large-photos.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/one" "$work/in"
cp corpora/images/home.jpg "$work/one/"
echo '{"kind": "image", "stages": [{"op": "resize", "width": 3000, "height": 2000, "interpolation": "cubic"}]}' \
  >"$work/enlarge.json"
"$augment" run --pipeline "$work/enlarge.json" --input "$work/one" --output "$work/big" --quiet
for ((i = 0; i < photos; ++i)); do cp "$work/big/home.jpg" "$work/in/p$i.jpg"; done
echo '{"kind": "image", "stages": [{"op": "resize_longest", "size": 512},
  {"op": "rotate", "degrees": [-15, 15]}, {"op": "hflip", "p": 0.5}]}' >"$work/pipeline.json"

contenders=(augment augment_full cv2 cv2_reduced)
declare -A label=([augment]="augment run" [augment_full]="augment run --full-decode"
                  [cv2]="cv2 script (Pool, OpenCV threads off)" [cv2_reduced]="cv2 script, IMREAD_REDUCED_COLOR_4")

# run_one CONTENDER JOBS: one run into a fresh folder; prints its wall-clock seconds.
run_one() {
  local out=$work/out
  rm -rf "$out"
  local start end
  start=$(date +%s.%N)
  case $1 in
    augment) "$augment" run --pipeline "$work/pipeline.json" --input "$work/in" --output "$out" --jobs "$2" --quiet ;;
    augment_full) "$augment" run --pipeline "$work/pipeline.json" --input "$work/in" --output "$out" --jobs "$2" \
                    --quiet --full-decode ;;
    cv2) "$python" bench/cv2_photos.py "$work/in" "$out" "$2" 512 ;;
    cv2_reduced) "$python" bench/cv2_photos.py "$work/in" "$out" "$2" 512 --reduced ;;
  esac
  end=$(date +%s.%N)
  [[ $(find "$out" -name '*.jpg' | wc -l) -eq $photos ]] || { echo "$1: not $photos outputs" >&2; exit 1; }
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}

declare -A times
for ((r = 0; r < rounds; ++r)); do
  for jobs in 1 2; do
    for c in "${contenders[@]}"; do times[$c,$jobs]+="$(run_one "$c" "$jobs") "; done
  done
done
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A rate
for c in "${contenders[@]}"; do
  for jobs in 1 2; do rate[$c,$jobs]=$(awk -v n="$photos" -v t="$(median "${times[$c,$jobs]}")" 'BEGIN { printf "%.1f", n / t }'); done
done

echo "large photos: $photos × 3000×2000 JPEG (quality 95) → resize_longest 512 + rotate ±15° + hflip → JPEG 95;" \
     "median of $rounds rounds, wall clock with start-up; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
printf '  %-40s %14s %14s\n' "contender" "1 job, img/s" "2 jobs, img/s"
for c in "${contenders[@]}"; do printf '  %-40s %14s %14s\n' "${label[$c]}" "${rate[$c,1]}" "${rate[$c,2]}"; done
ratio() { awk -v a="${rate[$1,$3]}" -v b="${rate[$2,$3]}" 'BEGIN { printf "%.2fx", a / b }'; }
printf '  augment run / cv2 script:            1 job %s, 2 jobs %s (goal >= 2x)\n' "$(ratio augment cv2 1)" "$(ratio augment cv2 2)"
printf '  augment run / --full-decode:         1 job %s, 2 jobs %s\n' "$(ratio augment augment_full 1)" "$(ratio augment augment_full 2)"
printf '  augment run / reduced-read cv2:      1 job %s, 2 jobs %s\n' "$(ratio augment cv2_reduced 1)" "$(ratio augment cv2_reduced 2)"
