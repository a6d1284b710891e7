#!/usr/bin/env bash
# CLI smoke tests for text: `augment run` over a folder and a manifest of .txt files
# (normalize + strip_accents byte-exact, tokenize → join lossless, determinism across --jobs,
# invalid UTF-8 reported with its offset while the other files are written), records of text
# (lines, CSV column, JSON Lines, bag_of_words into labelled svmlight) and the catalogue.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# text_tree DIR: three Spanish texts (one NFD, one with a BOM and CRLF) in two folders.
text_tree() {
  mkdir -p "$1/sub" || fail "mkdir $1"
  printf 'An\xcc\x83o nin\xcc\x83o canci\xc3\xb3n\n' >"$1/a.txt"                        # NFD
  printf '\xef\xbb\xbf\xc2\xbfPing\xc3\xbcino? \xef\xac\x81n\r\n' >"$1/sub/b.txt"    # BOM, ﬁ, CRLF
  printf 'familia \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 \xf0\x9f\x87\xaa\xf0\x9f\x87\xb8\t fin' >"$1/sub/c.txt"
}

pipeline_file() {
  case $1 in
    clean) echo '{"kind": "text", "stages": [{"op": "normalize", "form": "nfkc"}, {"op": "strip_accents"}]}' ;;
    roundtrip) echo '{"kind": "text", "stages": [{"op": "tokenize"}, {"op": "join"}]}' ;;
    *) fail "no pipeline $1" ;;
  esac >"$1.json"
}

case_folder_clean() {
  pipeline_file clean
  text_tree in
  run_cli run --pipeline clean.json --input in --output out --jobs 2
  expect_rc 0
  expect_stderr_has "3 sources"
  printf '%s\n' a.txt manifest.csv sub/b.txt sub/c.txt >want.txt
  tree_files out | diff want.txt - >&2 || fail "expected the three texts, mirrored, and the manifest"
  printf 'A\xc3\xb1o ni\xc3\xb1o cancion\n' | cmp - out/a.txt >&2 || fail "a.txt: wanted 'Año niño cancion'"
  printf '\xc2\xbfPing\xc3\xbcino? fin\r\n' | cmp - out/sub/b.txt >&2 || fail "b.txt: BOM dropped, ﬁ → fi, ü kept, CRLF kept"
  cmp in/sub/c.txt out/sub/c.txt >&2 || fail "c.txt has nothing to change"
  expect_no_temp_files_under out
}

case_tokenize_join_lossless() {
  pipeline_file roundtrip
  text_tree in
  run_cli run --pipeline roundtrip.json --input in --output out
  expect_rc 0
  cmp in/a.txt out/a.txt >&2 || fail "a.txt changed"
  cmp in/sub/c.txt out/sub/c.txt >&2 || fail "c.txt changed"
  tail -c +4 in/sub/b.txt | cmp - out/sub/b.txt >&2 || fail "b.txt: only the BOM may go"
}

case_jobs_deterministic() {
  pipeline_file clean
  text_tree in
  run_cli run --pipeline clean.json --input in --output one --jobs 1 --seed 3
  expect_rc 0
  run_cli run --pipeline clean.json --input in --output two --jobs 2 --seed 3
  expect_rc 0
  same_tree one two
}

case_bad_utf8() {
  pipeline_file clean
  text_tree in
  printf 'ok\n\xc3\x28 bad' >in/sub/bad.txt
  : >in/empty.txt
  run_cli run --pipeline clean.json --input in --output out
  expect_rc 1
  expect_stderr_has "sub/bad.txt: invalid UTF-8 at byte 3"
  expect_file out/a.txt
  expect_file out/empty.txt
  expect_no_file out/sub/bad.txt
  [[ ! -s out/empty.txt ]] || fail "an empty text stays empty"
  expect_no_temp_files_under out
  run_cli run --pipeline clean.json --input in --output repaired --repair-utf8
  expect_rc 0
  printf 'ok\n\xef\xbf\xbd( bad' | cmp - repaired/sub/bad.txt >&2 || fail "--repair-utf8: wanted U+FFFD for the bad byte"
}

case_manifest_language() {
  pipeline_file clean
  text_tree in
  printf 'path,language,label\na.txt,es,x\nsub/b.txt,es,y\n' >in/list.csv
  run_cli run --pipeline clean.json --input in/list.csv --output out
  expect_rc 0
  expect_file out/a.txt
  expect_file out/sub/b.txt
  expect_no_file out/sub/c.txt
  grep -q ',es,' out/manifest.csv || fail "the language column is kept in the manifest"
}

case_list() {
  run_cli list --kind text
  expect_rc 0
  local op
  for op in normalize strip_accents remove_chars tokenize; do expect_stdout_has "$op"; done
  run_cli list --kind tokens
  expect_rc 0
  expect_stdout_has "join"
}

case_bag_of_words_fit_run() {
  text_tree in
  echo '{"kind": "text", "stages": [{"op": "normalize", "case_fold": true}, {"op": "tokenize"},
         {"op": "bag_of_words", "mode": "tfidf"}]}' >bow.json
  run_cli fit --pipeline bow.json --input in --output bow.fitted.json
  expect_rc 0
  expect_stderr_has "3 sources, 0 failed"
  grep -q '"vocabulary"' bow.fitted.json || fail "the fitted spec lacks the vocabulary"
  grep -q '"pingüino"' bow.fitted.json || fail "the vocabulary lacks a word of the texts"
  run_cli run --pipeline bow.fitted.json --input in --output out
  expect_rc 0
  expect_file out/a.svm
  # one svmlight line of index:value pairs; tf-idf rows have unit L2 norm
  awk '{ s = 0; for (i = 1; i <= NF; i++) { split($i, p, ":"); s += p[2] * p[2] } printf "%.9f\n", s }' out/a.svm |
    grep -qx '1.000000000' || fail "out/a.svm is not a unit-norm tf-idf row: $(cat out/a.svm)"
  echo '{"kind": "text", "stages": [{"op": "normalize"}]}' >plain.json
  run_cli fit --pipeline plain.json --input in --output plain.fitted.json
  expect_rc 0
  expect_stderr_has "no stage to fit"
  run_cli run --pipeline bow.json --input in --output unfitted
  expect_rc 2
  expect_stderr_has "not fitted"
}

case_lines_records() {
  pipeline_file clean
  printf 'A\xcc\x81rbol\r\n\nCa\xffn\nfin' >in.txt
  run_cli run --pipeline clean.json --input in.txt --output out.txt
  expect_rc 2
  expect_stderr_has "give --lines"
  run_cli run --pipeline clean.json --input in.txt --output out.txt --lines
  expect_rc 1
  expect_stderr_has "in.txt:3: invalid UTF-8 at byte 12"
  expect_stderr_has "4 records read, 3 written, 1 failed"
  printf 'Arbol\r\n\nfin\n' | cmp - out.txt >&2 || fail "wanted Arbol CRLF, the empty line, fin LF"
  run_cli run --pipeline clean.json --input in.txt --output fixed.txt --lines --repair-utf8
  expect_rc 0
  printf 'Arbol\r\n\nCa\xef\xbf\xbdn\nfin\n' | cmp - fixed.txt >&2 || fail "wanted U+FFFD in line 3"
  expect_no_temp_files
  run_cli run --pipeline "$EXAMPLE" --input "$SAMPLE" --output table.csv --lines
  expect_rc 2
  expect_stderr_has "are for pipelines that take text"
}

case_csv_and_jsonl_records() {
  pipeline_file clean
  printf 'id,body,label\n1,"Canci\xc3\xb3n, dos",a\n2,ni\xc3\xb1o,b\n' >in.csv
  run_cli run --pipeline clean.json --input in.csv --output out.csv --text-column body --copies 2
  expect_rc 0
  printf 'id,body,label,copy\n1,"Cancion, dos",a,0\n1,"Cancion, dos",a,1\n2,ni\xc3\xb1o,b,0\n2,ni\xc3\xb1o,b,1\n' |
    cmp - out.csv >&2 || fail "CSV: text column cleaned, other columns kept, a copy column"
  printf '{"text": "Canci\xc3\xb3n", "n": 1}\n{"n": 2}\n' >in.jsonl
  run_cli run --pipeline clean.json --input in.jsonl --output out.jsonl
  expect_rc 1
  expect_stderr_has 'in.jsonl:2: no string field "text"'
  printf '{"text":"Cancion","n":1}\n' | cmp - out.jsonl >&2 || fail "JSONL: field order kept"
  run_cli run --pipeline clean.json --input in.jsonl --output out.csv
  expect_rc 2
  expect_stderr_has "the input's format"
}

case_bag_of_words_records() {
  printf 'text,label\nel gato negro,pos\nel perro,neg\n' >in.csv
  echo '{"kind": "text", "stages": [{"op": "tokenize"}, {"op": "bag_of_words"}]}' >bow.json
  run_cli fit --pipeline bow.json --input in.csv --output bow.fitted.json
  expect_rc 0
  expect_stderr_has "2 records read, 0 bad"
  run_cli run --pipeline bow.fitted.json --input in.csv --output out.svm --label-column label
  expect_rc 0
  # vocabulary: el gato negro perro
  printf 'pos 1:1 2:1 3:1\nneg 1:1 4:1\n' | cmp - out.svm >&2 || fail "wanted labelled count rows: $(cat out.svm)"
}

cli_init "$@"
