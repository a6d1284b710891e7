#!/usr/bin/env python3
"""The results table of the examples' run.sh scripts.

    results_table.py OUTPUT.md SEEDS "NAME ACC ACC ... | SECONDS SECONDS ..." ...

Each row argument holds a variant's name, its test accuracies (one per seed) and, after a bar, the
wall time of each run. Writes and prints a Markdown table of mean ± sd (sample sd) per variant.
"""
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


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
