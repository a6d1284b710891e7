# shellcheck shell=bash
# Helpers for the CLI smoke tests; sourced by the per-area scripts, never run directly.
#
# Every script is called as:  SCRIPT AUGMENT_BINARY SOURCE_DIR CASE
# and runs the function case_CASE in a fresh temporary directory (removed on exit).
# A case fails by calling `fail`, which prints what was checked plus the last command's
# exit status, stdout and stderr, and exits 1. Exit 77 means "skipped" (see CMakeLists.txt).

set -u -o pipefail

cli_init() {
  if [[ $# -ne 3 ]]; then
    echo "usage: $0 AUGMENT_BINARY SOURCE_DIR CASE" >&2
    exit 2
  fi
  AUGMENT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  SRC=$(cd "$2" && pwd)
  CASE=$3
  [[ -x $AUGMENT ]] || { echo "not an executable: $AUGMENT" >&2; exit 2; }
  declare -F "case_$CASE" >/dev/null || { echo "$0: no case '$CASE'" >&2; exit 2; }

  SAMPLE=$SRC/corpora/letter-recognition/letter-sample.csv
  EXAMPLE=$SRC/examples/pipelines/letters-standardize.json

  WORK=$(mktemp -d "${TMPDIR:-/tmp}/augment-cli.XXXXXX")
  trap 'rm -rf -- "$WORK"' EXIT
  cd "$WORK" || exit 2
  LAST_CMD="(none)"
  RC=""
  "case_$CASE"
  echo "ok: $CASE"
}

# run_cli ARGS...: runs the binary; sets RC and leaves its output in ./stdout.txt, ./stderr.txt.
run_cli() {
  LAST_CMD="augment $*"
  "$AUGMENT" "$@" >stdout.txt 2>stderr.txt
  RC=$?
}

fail() {
  {
    echo "FAIL [$CASE]: $*"
    echo "  last command: $LAST_CMD"
    echo "  exit status:  $RC"
    if [[ -f stdout.txt ]]; then echo "  --- stdout (first 40 lines)"; head -n 40 stdout.txt; fi
    if [[ -f stderr.txt ]]; then echo "  --- stderr (first 40 lines)"; head -n 40 stderr.txt; fi
  } >&2
  exit 1
}

expect_rc() {
  [[ $RC == "$1" ]] || fail "expected exit status $1, got $RC"
}

# Fixed-string searches in the last command's output.
expect_stderr_has() {
  grep -qF -- "$1" stderr.txt || fail "stderr lacks: $1"
}
expect_stderr_lacks() {
  ! grep -qF -- "$1" stderr.txt || fail "stderr unexpectedly has: $1"
}
expect_stdout_has() {
  grep -qF -- "$1" stdout.txt || fail "stdout lacks: $1"
}
expect_stderr_lines() {
  local n
  n=$(wc -l <stderr.txt)
  [[ $n -eq $1 ]] || fail "expected $1 line(s) on stderr, got $n"
}
expect_stdout_empty() {
  [[ ! -s stdout.txt ]] || fail "expected no stdout"
}

expect_file() {
  [[ -f $1 ]] || fail "expected file $1"
}
expect_no_file() {
  [[ ! -e $1 ]] || fail "expected no file $1"
}
# No AtomicOutputFile leftovers (".NAME.tmp.XXXX") in the work dir, where all outputs go.
expect_no_temp_files() {
  local left
  left=$(find . -maxdepth 1 -name '.*.tmp.*' -print)
  [[ -z $left ]] || fail "temporary files left behind: $left"
}
# expect_lines FILE N: FILE has exactly N lines.
expect_lines() {
  local n
  n=$(wc -l <"$1")
  [[ $n -eq $2 ]] || fail "expected $2 lines in $1, got $n"
}

# python3 checks JSON; without it the case is skipped (exit 77), not failed.
need_python() {
  PYTHON=$(command -v python3 || true)
  [[ -n $PYTHON ]] || { echo "skip [$CASE]: python3 not found"; exit 77; }
}

# fit_example: fits the example pipeline on the sample into ./fitted.json (a setup step).
fit_example() {
  run_cli fit --pipeline "$EXAMPLE" --input "$SAMPLE" --output fitted.json --quiet
  expect_rc 0
  expect_file fitted.json
}

# column FILE NAME: the values of the named CSV column (no quoting in our files), header dropped.
column() {
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == name) c = i; next }
                        c { print $c }' "$1"
}

# --- file trees (the runner's outputs) --------------------------------------------------

# tree_files DIR: the relative paths of the files under DIR with no hidden component, sorted.
tree_files() {
  (cd "$1" && find . -type f ! -path '*/.*' -printf '%P\n' | LC_ALL=C sort)
}
# all_files DIR: the same, hidden files included.
all_files() {
  (cd "$1" && find . -type f -printf '%P\n' | LC_ALL=C sort)
}

# same_files A B LIST: the files named in LIST (relative paths) exist in both and have equal bytes.
same_files() {
  local a=$1 b=$2 list=$3 f
  [[ -s $list ]] || fail "no files to compare between $a and $b"
  while IFS= read -r f; do
    cmp "$a/$f" "$b/$f" >&2 || fail "$a/$f and $b/$f differ"
  done <"$list"
}

# same_tree A B: the same non-hidden files with the same bytes.
same_tree() {
  tree_files "$1" >files-a.txt
  tree_files "$2" >files-b.txt
  diff files-a.txt files-b.txt >&2 || fail "$1 and $2 hold different files"
  same_files "$1" "$2" files-a.txt
}

# expect_no_temp_files_under DIR: no AtomicOutputFile leftovers (".NAME.tmp.*") anywhere in DIR.
# interrupt_when SIGNAL CONDITION COMMAND...: runs augment COMMAND in the background, sends it
# SIGNAL once the shell test CONDITION holds (or after 10 s), waits; sets RC, stdout.txt, stderr.txt.
interrupt_when() {
  local signal=$1 condition=$2 tries
  shift 2
  LAST_CMD="augment $* & kill -$signal once $condition"
  # Job control on: the background job gets its own process group and keeps SIGINT (a
  # non-interactive shell starts background jobs with SIGINT ignored).
  set -m
  "$AUGMENT" "$@" >stdout.txt 2>stderr.txt &
  local pid=$!
  set +m
  for ((tries = 0; tries < 1000; ++tries)); do
    eval "$condition" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  kill "-$signal" "$pid" 2>/dev/null
  wait "$pid"
  RC=$?
}

# interrupt_when_exists SIGNAL GLOB COMMAND...: interrupt_when a file matching GLOB exists.
interrupt_when_exists() {
  local signal=$1 glob=$2
  shift 2
  interrupt_when "$signal" "compgen -G '$glob' >/dev/null" "$@"
}

expect_no_temp_files_under() {
  local left
  left=$(find "$1" -name '.*.tmp.*' -print)
  [[ -z $left ]] || fail "temporary files left behind: $left"
}

# bytes FILE OFFSET COUNT: COUNT unsigned bytes of FILE from OFFSET, space-separated.
bytes() {
  od -An -v -tu1 -j "$2" -N "$3" "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# jpeg_size FILE: "WIDTH HEIGHT" from the first SOF segment; fails on a non-JPEG.
jpeg_size() {
  local -a b
  read -r -a b <<<"$(bytes "$1" 0 65536)"
  [[ ${#b[@]} -ge 4 && ${b[0]} -eq 255 && ${b[1]} -eq 216 ]] || fail "$1 is not a JPEG"
  local i=2 m
  while (( i + 8 < ${#b[@]} )); do
    (( b[i] == 255 )) || fail "$1: no marker at byte $i"
    m=${b[i+1]}
    if (( m >= 192 && m <= 207 && m != 196 && m != 200 && m != 204 )); then
      echo "$(( (b[i+7] << 8) | b[i+8] )) $(( (b[i+5] << 8) | b[i+6] ))"
      return
    fi
    (( i += 2 + ((b[i+2] << 8) | b[i+3]) ))
  done
  fail "$1: no SOF segment"
}

# png_info FILE: "WIDTH HEIGHT BIT_DEPTH COLOUR_TYPE" from the IHDR chunk; fails on a non-PNG.
png_info() {
  local -a b
  read -r -a b <<<"$(bytes "$1" 0 26)"
  [[ ${#b[@]} -eq 26 && "${b[*]:0:8}" == "137 80 78 71 13 10 26 10" && "${b[*]:12:4}" == "73 72 68 82" ]] ||
    fail "$1 is not a PNG"
  echo "$(( (b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19] ))" \
       "$(( (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23] ))" "${b[24]}" "${b[25]}"
}
