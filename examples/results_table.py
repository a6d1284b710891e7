#!/usr/bin/env python3
"""The results table of the examples' run.sh scripts, and what they read of one run.

    results_table.py OUTPUT.md SEEDS "NAME ACC ACC ... | SECONDS SECONDS ..." ...
    results_table.py summary RUN_DIR      prints "TEST_ACCURACY SECONDS" from RUN_DIR/summary.json

Each row argument holds a variant's name, its test accuracies (one per seed) and, after a bar, the
wall time of each run. Writes and prints a Markdown table of mean ± sd (sample sd) per variant.
"""
import json
import statistics
import sys


def main(path, seeds, rows):
    lines = ["| variant | test accuracy, mean ± sd over %d seed(s) | wall time per run (s) |" % seeds, "|---|---|---|"]
    for row in rows:
        left, right = row.split(" | ")
        name, *accuracies = left.split()
        accuracies = [float(a) for a in accuracies]
        seconds = [float(s) for s in right.split()]
        sd = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
        lines.append("| %s | %.1f%% ± %.1f | %.1f |" % (name, 100 * statistics.mean(accuracies), 100 * sd,
                                                       statistics.mean(seconds)))
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def summary(run_dir):
    with open(run_dir + "/summary.json") as f:
        s = json.load(f)
    print(s["members"][0]["test"]["test_accuracy"], s["seconds"])


if __name__ == "__main__":
    if sys.argv[1] == "summary":
        summary(sys.argv[2])
    else:
        main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
