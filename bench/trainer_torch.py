"""PyTorch CPU baseline for bench/trainer_bench.cpp: the same MLPs, batch, loss (cross-entropy)
and Adam step, one thread, best of 5 repeats. Run with Debian's interpreter and one BLAS thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/trainer_torch.py
Prints "NAME batch B: S samples/s, fwd+bwd U us"."""
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(7)


def run(sizes, batch, steps):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, sizes[0])
    y = torch.arange(batch) % sizes[-1]
    loss = torch.nn.CrossEntropyLoss()

    def step(update):
        adam.zero_grad()
        loss(model(x), y).backward()
        if update:
            adam.step()

    for _ in range(50):
        step(True)
    best_backprop = best_step = 1e9
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(steps):
            step(False)
        t1 = time.perf_counter()
        for _ in range(steps):
            step(True)
        t2 = time.perf_counter()
        best_backprop = min(best_backprop, (t1 - t0) / steps)
        best_step = min(best_step, (t2 - t1) / steps)
    name = "-".join(str(s) for s in sizes)
    print(f"{name} batch {batch}: {batch / best_step:.0f} samples/s, fwd+bwd {best_backprop * 1e6:.1f} us")


run([16, 256, 256, 26], 128, 300)
run([16, 64, 64, 26], 32, 1000)
