#!/usr/bin/env bash
# Word2Vec skip-gram, one thread, one epoch, dims 100, window 5, negative 5, min-count 5,
# sample 1e-4 — `augment embed train` against Debian's fastText (`fasttext skipgram -minn 0
# -maxn 0`, i.e. plain word2vec skip-gram with negative sampling), timed in the same run on the
# same corpus, then both vector sets scored with `augment embed evaluate` on the same analogy
# questions.
#
#   bench/embed_vs_fasttext.sh AUGMENT CORPUS QUESTIONS [EPOCHS]
#
# The corpus is first lower-cased and cut into words by Python's \w+ and written one sentence
# per line, words separated by single spaces, so both tools see exactly the same tokens
# (fastText splits on whitespace only; augment's ICU tokenizer then finds the same words).
# Words/s/thread: corpus words × epochs / wall seconds of the training process; both include
# reading the corpus and writing the vectors.
set -euo pipefail
augment=$1 corpus=$2 questions=$3 epochs=${4:-1}
command -v fasttext >/dev/null || { echo "embed bench: fasttext not installed (scripts/install-deps)" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$corpus" "$work/corpus.txt" <<'PY'
import re, sys
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        words = re.findall(r"\w+", line.lower())
        if words:
            out.write(" ".join(words) + "\n")
PY
words=$(wc -w <"$work/corpus.txt")

now() { date +%s.%N; }
rate() { awk -v w="$words" -v e="$epochs" -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", w * e / (b - a) }'; }
accuracy() { "$augment" embed evaluate --vectors "$1" --questions "$questions" | awk -F, '$1 == "total" { print $2, $3 }'; }
# Three seeds each, interleaved: analogy accuracy on a few hundred questions moves by several
# points from seed to seed, so one run each would say little.
ours=() theirs=() our_right=0 their_right=0 asked=0
for seed in 1 2 3; do
  t0=$(now)
  "$augment" embed train --input "$work/corpus.txt" --output "$work/augment.vec" --model skipgram --dims 100 \
    --window 5 --negative 5 --min-count 5 --sample 1e-4 --epochs "$epochs" --threads 1 --seed "$seed" -q
  t1=$(now)
  fasttext skipgram -input "$work/corpus.txt" -output "$work/fasttext" -dim 100 -ws 5 -neg 5 -minCount 5 -t 1e-4 \
    -epoch "$epochs" -minn 0 -maxn 0 -thread 1 -lr 0.025 -seed "$seed" -verbose 0 >/dev/null 2>&1
  t2=$(now)
  ours+=("$(rate "$t0" "$t1")") theirs+=("$(rate "$t1" "$t2")")
  read -r right n < <(accuracy "$work/augment.vec"); our_right=$((our_right + right)) asked=$((asked + n))
  read -r right n < <(accuracy "$work/fasttext.vec"); their_right=$((their_right + right))
  echo "seed $seed: augment ${ours[-1]} words/s, fasttext ${theirs[-1]} words/s"
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
our_rate=$(median "${ours[@]}") their_rate=$(median "${theirs[@]}")

echo "corpus: $corpus, $words words, $epochs epoch(s), 3 seeds; questions: $questions"
echo "augment embed train: $our_rate words/s/thread (median, wall time of the whole process)"
echo "fasttext skipgram:   $their_rate words/s/thread (median, wall time of the whole process)"
awk -v a="$our_rate" -v b="$their_rate" 'BEGIN { printf "speed ratio augment / fasttext: %.2fx (goal >= 1.00)\n", a / b }'
awk -v a="$our_right" -v b="$their_right" -v n="$asked" 'BEGIN {
  printf "analogy accuracy (3CosAdd, all seeds): augment %.1f%% (%d/%d), fasttext %.1f%% (%d/%d), difference %+.1f points (goal within 2)\n",
    100 * a / n, a, n, 100 * b / n, b, n, 100 * (a - b) / n }'
