#!/usr/bin/env bash
# CLI smoke tests for `augment embed`: train on a corpus with two planted word groups (the same
# bytes twice with one thread; neighbours from the word's own group), query, evaluate, the
# `embed` op in a pipeline over text records, and clear errors for corrupt vectors and bad options.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# planted_corpus FILE: 2,000 lines of 8 words, each line drawn from one group only (animals or
# tools), so words co-occur only with their own group.
planted_corpus() {
  awk 'BEGIN {
    split("gato perro vaca caballo oveja cabra cerdo burro", a, " ")
    split("martillo clavo sierra tornillo llave taladro lija pala", t, " ")
    seed = 7
    for (line = 0; line < 2000; line++) {
      out = ""
      for (i = 0; i < 8; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        w = (line % 2 ? a[1 + int(seed / 65536) % 8] : t[1 + int(seed / 65536) % 8])
        out = out (i ? " " : "") w
      }
      print out
    }
  }' >"$1"
}

case_train_query_evaluate() {
  planted_corpus corpus.txt
  run_cli embed train --input corpus.txt --output a.bin --dims 16 --epochs 3 --seed 5
  expect_rc 0
  expect_stderr_has "vocabulary 16"
  expect_stderr_has "wrote 16 × 16 to a.bin"
  run_cli embed train --input corpus.txt --output b.bin --dims 16 --epochs 3 --seed 5
  cmp a.bin b.bin >&2 || fail "one thread and one seed must give the same bytes"
  run_cli embed train --input corpus.txt --output a.txt --dims 16 --epochs 3 --seed 5
  head -1 a.txt | grep -qx '16 16' || fail "a text vectors file starts with 'count dims'"
  run_cli embed query --vectors a.bin --word gato -k 3
  expect_rc 0
  local animals='perro|vaca|caballo|oveja|cabra|cerdo|burro'
  [[ $(sed -n 2,4p stdout.txt | awk '{ print $2 }' | grep -cE "^($animals)$") == 3 ]] ||
    fail "gato's 3 nearest should be animals"
  printf ': animals\ngato perro vaca caballo\ngato perro xyz caballo\n: tools\nclavo sierra llave taladro\n' >q.txt
  run_cli embed evaluate --vectors a.bin --questions q.txt
  expect_rc 0
  expect_stdout_has "section,correct,asked,skipped,accuracy"
  grep -q '^animals,[01],1,1,' stdout.txt || fail "animals: one question asked, one skipped (xyz)"
  grep -q '^total,[0-2],2,1,' stdout.txt || fail "total: 2 asked, 1 skipped"
}

case_corrupt_vectors() {
  planted_corpus corpus.txt
  run_cli embed train --input corpus.txt --output a.bin --dims 8 --epochs 1
  expect_rc 0
  head -c 100 a.bin >cut.bin
  run_cli embed query --vectors cut.bin --word gato
  expect_rc 1
  expect_stderr_has "cut.bin"
  printf '2 3\ngato 1 2 3\nperro 1 2\n' >short.txt
  run_cli embed query --vectors short.txt --word gato
  expect_rc 1
  expect_stderr_has "short.txt"
  run_cli embed train --input corpus.txt --output x.bin --model glove
  expect_rc 2
  expect_stderr_has "--model must be skipgram or cbow"
  run_cli embed train --input missing.txt --output x.bin
  expect_rc 1
  expect_stderr_has "missing.txt"
  expect_no_file x.bin
}

case_embed_op_records() {
  planted_corpus corpus.txt
  run_cli embed train --input corpus.txt --output v.txt --dims 4 --epochs 1
  expect_rc 0
  printf 'text,label\n"Gato, perro.",a\nmartillo,b\nnada,c\n' >in.csv
  echo '{"kind": "text", "stages": [{"op": "tokenize"}, {"op": "embed", "vectors": "v.txt", "pool": "mean"}]}' >p.json
  run_cli run --pipeline p.json --input in.csv --output out.svm --label-column label
  expect_rc 0
  [[ $(wc -l <out.svm) == 3 ]] || fail "one svmlight line per record"
  awk 'NR < 3 && NF != 5 { exit 1 }' out.svm || fail "known words: 4 values after the label"
  sed -n 3p out.svm | grep -qx 'c' || fail "no known word: an all-zero row, the label alone"
  echo '{"kind": "text", "stages": [{"op": "tokenize"}, {"op": "embed", "vectors": "nope.vec"}]}' >bad.json
  run_cli run --pipeline bad.json --input in.csv --output out2.svm
  expect_rc 2
  expect_stderr_has "nope.vec"
}

cli_init "$@"
