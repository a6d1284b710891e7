#!/usr/bin/python3
"""A PyTorch DataLoader fed by augment against the same with torchvision, in the same run.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_loader_bench.py [--images N] [--rounds R]

1. Loader: DataLoader(num_workers=2, batch_size=64, persistent_workers=True) over N copies of
   corpora/images/home.jpg (the 512×384 photo) in class subfolders, made float C×H×W tensors by
   resize 224×224 + rotate [-15°, 15°] + horizontal flip (p 0.5) + colour jitter (brightness,
   contrast, saturation 0.8–1.2, hue ±0.05 turn = ±18°):
   - augment: augment.torch.FileDataset with the pipeline below (the JPEG decoded by augment,
     everything in C++ without the GIL), collate stacking the tensors;
   - torchvision 0.14 (Debian's python3-torchvision): ImageFolder (PIL decode) with
     Resize((224, 224)), RandomRotation(15), RandomHorizontalFlip(), ColorJitter(0.2, 0.2, 0.2,
     0.05), ToTensor(), the default collate.
   Each round runs one epoch of each, alternating (after one warm-up epoch each), so the
   machine's load weighs on both; images/s is the median over the rounds.
2. Per-call overhead: a pipeline of gaussian_noise on a features sample of 16 numbers, called
   from Python (numpy array in, array and record out) against the same runs in C++ alone
   (Pipeline._native_seconds: the sample converted once, each run on a copy, keyed alike).
Prints the CPU, both figures and their ratios. Not a test: never run by CTest.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np
import torch
from torch.utils.data import DataLoader

import augment
import augment.torch as at

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PHOTO = os.path.join(SOURCE_DIR, "corpora", "images", "home.jpg")

AUGMENT_SPEC = {"kind": "image", "stages": [
    {"op": "resize", "width": 224, "height": 224, "interpolation": "area"},
    {"op": "rotate", "degrees": [-15, 15]},
    {"op": "hflip", "p": 0.5},
    {"op": "color_jitter", "brightness": [0.8, 1.2], "contrast": [0.8, 1.2], "saturation": [0.8, 1.2],
     "hue": [-18, 18]},
    {"op": "to_tensor"}]}


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def make_folder(root, count):
    for i in range(count):
        folder = os.path.join(root, f"class{i % 2}")
        os.makedirs(folder, exist_ok=True)
        shutil.copy(PHOTO, os.path.join(folder, f"{i:05d}.jpg"))


def epoch_seconds(loader, dataset, epoch):
    if hasattr(dataset, "set_epoch"):
        dataset.set_epoch(epoch)
    start = time.perf_counter()
    count = 0
    for images, labels in loader:
        assert images.shape[1:] == (3, 224, 224), images.shape
        count += images.shape[0]
    return count, time.perf_counter() - start


def loader_bench(folder, rounds):
    import torchvision
    from torchvision import transforms

    ours = at.FileDataset(folder, AUGMENT_SPEC, seed=1)
    theirs = torchvision.datasets.ImageFolder(folder, transform=transforms.Compose([
        transforms.Resize((224, 224)),
        transforms.RandomRotation(15),
        transforms.RandomHorizontalFlip(),
        transforms.ColorJitter(0.2, 0.2, 0.2, 0.05),
        transforms.ToTensor()]))
    common = dict(batch_size=64, num_workers=2, persistent_workers=True)
    loaders = {"augment": (DataLoader(ours, collate_fn=at.collate, **common), ours),
               "torchvision": (DataLoader(theirs, **common), theirs)}
    rates = {name: [] for name in loaders}
    for epoch in range(rounds + 1):
        for name, (loader, dataset) in loaders.items():
            count, seconds = epoch_seconds(loader, dataset, epoch)
            if epoch > 0:  # the first epoch starts the workers and warms the caches
                rates[name].append(count / seconds)
    return {name: statistics.median(r) for name, r in rates.items()}, torchvision.__version__


def overhead_bench(calls):
    pipeline = augment.Pipeline.from_json({"kind": "features", "stages": [{"op": "gaussian_noise", "sigma": 0.1}]})
    x = np.linspace(0, 1, 16)
    best_python, best_native = float("inf"), float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for i in range(calls):
            pipeline(x, seed=1, key="row", copy=i)
        best_python = min(best_python, (time.perf_counter() - start) / calls)
        best_native = min(best_native, pipeline._native_seconds(x, calls, seed=1, key="row") / calls)
    return best_python, best_native


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=1024, help="copies of the photo (default 1024)")
    parser.add_argument("--rounds", type=int, default=3, help="timed epochs of each loader (default 3)")
    parser.add_argument("--calls", type=int, default=20000, help="calls for the per-call overhead (default 20000)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"CPU: {cpu_name()} ({os.cpu_count()} cores); load average {os.getloadavg()[0]:.2f}")
    tuned = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
    print("glibc malloc settings from the environment (both loaders): " + (", ".join(f"{k}={v}" for k, v in tuned.items()) or "none") +
          "; augment's workers keep freed buffers (augment.torch.retain_freed_memory)")
    print(f"python {sys.version.split()[0]}, torch {torch.__version__}, numpy {np.__version__}, augment {augment.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        make_folder(tmp, args.images)
        rates, tv_version = loader_bench(tmp, args.rounds)
    print(f"\nDataLoader, 2 workers, batch 64, {args.images} × 512×384 JPEG → 3×224×224 float, median of {args.rounds} epochs:")
    print(f"  augment     {rates['augment']:8.0f} images/s")
    print(f"  torchvision {rates['torchvision']:8.0f} images/s   (torchvision {tv_version}, PIL)")
    print(f"  ratio       {rates['augment'] / rates['torchvision']:8.2f}×   (goal ≥ 1.5×)")
    python, native = overhead_bench(args.calls)
    print(f"\nPer call, gaussian_noise on 16 features (best of 3 × {args.calls} calls):")
    print(f"  from Python {python * 1e6:8.2f} µs")
    print(f"  C++ alone   {native * 1e6:8.2f} µs")
    print(f"  overhead    {(python - native) * 1e6:8.2f} µs per call ({python / native:.1f}× the C++ time)")


if __name__ == "__main__":
    main()
