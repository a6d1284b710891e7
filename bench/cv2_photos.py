#!/usr/bin/python3
"""The per-file OpenCV script a user would write, as the contender of `augment run` on photos.

    cv2_photos.py INPUT_DIR OUTPUT_DIR JOBS SIZE [--reduced]

Every .jpg in INPUT_DIR: cv2.imread → cv2.resize (longest side SIZE, linear) → cv2.warpAffine
(rotate by a random angle in [-15°, 15°] about the centre) → horizontal flip with p 0.5 →
cv2.imwrite as JPEG quality 95 into OUTPUT_DIR; the pipeline bench/large_photos_bench.sh gives
`augment run`. One file per task on a multiprocessing.Pool of JOBS workers, OpenCV's own
threads off in each (cv2.setNumThreads(0)), as the runner does.

--reduced reads with cv2.IMREAD_REDUCED_COLOR_4 (libjpeg's 1/4 scale, what a user who knows
the photos' sizes could ask for; right for 3000×2000 → 512): the tuned script, for reference.
"""
import os
import random
import sys
from multiprocessing import Pool

import cv2


def init():
    cv2.setNumThreads(0)


def augment_one(task):
    source, target, size, flag = task
    image = cv2.imread(source, flag)
    h, w = image.shape[:2]
    scale = size / max(h, w)
    image = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_LINEAR)
    rng = random.Random(target)
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-15, 15), 1.0)
    image = cv2.warpAffine(image, matrix, (w, h))
    if rng.random() < 0.5:
        image = cv2.flip(image, 1)
    cv2.imwrite(target, image, [cv2.IMWRITE_JPEG_QUALITY, 95])


def main():
    source_dir, target_dir, jobs, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    flag = cv2.IMREAD_REDUCED_COLOR_4 if "--reduced" in sys.argv[5:] else cv2.IMREAD_COLOR
    os.makedirs(target_dir, exist_ok=True)
    tasks = [(os.path.join(source_dir, name), os.path.join(target_dir, name), size, flag)
             for name in sorted(os.listdir(source_dir)) if name.endswith(".jpg")]
    with Pool(jobs, initializer=init) as pool:
        pool.map(augment_one, tasks, chunksize=1)


if __name__ == "__main__":
    main()
