"""PyTorch CPU baseline for bench/conv_bench.cpp: the same LeNet-style CNN, batch, loss
(cross-entropy) and Adam step, one thread, best of 5 repeats in process CPU time (as
conv_bench.cpp). Run with Debian's interpreter and
one BLAS thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/conv_torch.py
Prints "lenet batch B: S samples/s, fwd+bwd U us"."""
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(7)

BATCH, STEPS = 64, 100
model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(16, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
adam = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(BATCH, 1, 20, 20)
y = torch.arange(BATCH) % 10
loss = torch.nn.CrossEntropyLoss()


def step(update):
    adam.zero_grad()
    loss(model(x), y).backward()
    if update:
        adam.step()


for _ in range(20):
    step(True)
best_backprop = best_step = 1e9
for _ in range(5):
    t0 = time.process_time()
    for _ in range(STEPS):
        step(False)
    t1 = time.process_time()
    for _ in range(STEPS):
        step(True)
    t2 = time.process_time()
    best_backprop = min(best_backprop, (t1 - t0) / STEPS)
    best_step = min(best_step, (t2 - t1) / STEPS)
print(f"lenet batch {BATCH}: {BATCH / best_step:.0f} samples/s, fwd+bwd {best_backprop * 1e6:.1f} us")
