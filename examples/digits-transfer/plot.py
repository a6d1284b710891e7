#!/usr/bin/env python3
"""The transfer curve of run.sh as an SVG: test accuracy on digits 5-9 against n, the number of
trunk layers taken from the 0-4 network, frozen and fine-tuned, with training from scratch as a
dashed line (Yosinski et al. 2014, figure 2, at small scale). Standard library only.

    plot.py OUTPUT.svg "N MODE ACC ACC ..." ...
"""
import statistics
import sys

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 360, 60, 140, 30, 50
COLOURS = {"fine-tuned": "#1f77b4", "frozen": "#d62728"}


def main(path, rows):
    series = {}
    scratch = None
    for row in rows:
        n, mode, *accuracies = row.split()
        values = [100 * float(a) for a in accuracies]
        point = (int(n), statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0)
        if n == "0":
            scratch = point
        else:
            series.setdefault(mode, []).append(point)
    ns = sorted({p[0] for points in series.values() for p in points} | {0})
    lows = [p[1] - p[2] for points in series.values() for p in points] + ([scratch[1] - scratch[2]] if scratch else [])
    highs = [p[1] + p[2] for points in series.values() for p in points] + ([scratch[1] + scratch[2]] if scratch else [])
    y0, y1 = min(lows) - 2, max(highs) + 2

    def x(n):
        return LEFT + (WIDTH - LEFT - RIGHT) * (n - ns[0]) / max(1, ns[-1] - ns[0])

    def y(v):
        return TOP + (HEIGHT - TOP - BOTTOM) * (y1 - v) / (y1 - y0)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (WIDTH, HEIGHT), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="18" font-size="14">digits 5-9 from 10 per class: first n layers from a 0-4 network</text>' % LEFT]
    for n in ns:
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x(n), TOP, x(n), HEIGHT - BOTTOM))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (x(n), HEIGHT - BOTTOM + 16, n))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">n (trunk layers transferred)</text>'
               % ((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12))
    step = 2 if y1 - y0 < 20 else 5
    v = step * int(y0 / step + 1)
    while v < y1:
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>' % (LEFT, y(v), WIDTH - RIGHT, y(v)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%g%%</text>' % (LEFT - 6, y(v) + 4, v))
        v += step
    if scratch:
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="black" stroke-dasharray="6,4"/>'
                   % (LEFT, y(scratch[1]), WIDTH - RIGHT, y(scratch[1])))
        out.append('<text x="%d" y="%.1f">from scratch</text>' % (WIDTH - RIGHT + 8, y(scratch[1]) + 4))
    for k, (mode, points) in enumerate(sorted(series.items())):
        points.sort()
        colour = COLOURS.get(mode, "#555")
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                   % (colour, " ".join("%.1f,%.1f" % (x(n), y(m)) for n, m, _ in points)))
        for n, m, sd in points:
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>' % (x(n), y(m - sd), x(n), y(m + sd), colour))
            out.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>' % (x(n), y(m), colour))
        out.append('<text x="%d" y="%d" fill="%s">%s</text>' % (WIDTH - RIGHT + 8, TOP + 40 + 18 * k, colour, mode))
    out.append('<text x="%d" y="%d" fill="#555">mean ± sd</text>' % (WIDTH - RIGHT + 8, TOP + 40 + 18 * len(series)))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
