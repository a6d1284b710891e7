"""PyTorch datasets over augment pipelines (needs torch; `import augment.torch`).

    from torch.utils.data import DataLoader
    import augment.torch as at
    data = at.FileDataset("photos/", "pipeline.json", seed=7)   # classes from subfolders
    loader = DataLoader(data, batch_size=64, num_workers=2, persistent_workers=True, collate_fn=at.collate)
    for epoch in range(10):
        data.set_epoch(epoch)
        for images, labels in loader: ...

Draws depend only on (seed, key, epoch): epoch e of a sample keyed k draws what
`augment run --seed S --copies N` draws for copy e of k (and what the trainer's epoch e + 1 draws),
Rng::derive(seed, k, e, 0). So a DataLoader with 0 or 2 workers, persistent or not, gives the same
samples; set_epoch reaches persistent workers too (the epoch is kept in shared memory).

Keys are the runner's: a file's path relative to the dataset root ('/'-separated), a text
record's 1-based number (or its key column). Files are listed by the runner's own reader and read
by the CLI's codecs; each item runs in C++ without the GIL.
"""
import collections
import ctypes
import math
import multiprocessing
import os

import numpy as np
import torch
from torch.utils.data import Dataset, IterableDataset, default_collate, get_worker_info

from . import _augment
from ._augment import Audio, DataError, Pipeline

__all__ = ["FileDataset", "TextRecordDataset", "Iterable", "collate", "Padded", "retain_freed_memory"]

_prepared_pid = None

# glibc's mallopt parameters (malloc.h): buffers above M_MMAP_THRESHOLD are mapped for each
# allocation and unmapped when freed; free memory above M_TRIM_THRESHOLD at the heap's top goes
# back to the kernel.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def retain_freed_memory():
    """Makes glibc's malloc keep freed buffers for reuse (mmap threshold 64 MiB, trim threshold
    256 MiB) instead of giving them back to the kernel. A loader worker makes buffers of the same
    sizes for every sample (decoded pixels, each stage's output, the tensor, the batch), so each
    would otherwise be new pages, faulted in and zeroed again for every sample: on the project's
    2-core VM a fresh page costs about 6 µs, and this makes the augment loader 2-3× faster
    (bench/python_loader_bench.py). The datasets here call it once in each DataLoader worker,
    never in the main process. No-op where the C library is not glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 64 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (OSError, AttributeError):
        pass


def _prepare_worker():
    """Once in each DataLoader worker: OpenCV's own threads off (as `augment run` does in its
    workers: two worker processes on two cores need no thread pool each) and freed buffers kept."""
    global _prepared_pid
    if _prepared_pid != os.getpid() and get_worker_info() is not None:
        _augment.prepare_parallel_run()
        retain_freed_memory()
        _prepared_pid = os.getpid()


def _as_pipeline(pipeline):
    if isinstance(pipeline, Pipeline):
        return pipeline
    if isinstance(pipeline, (str, os.PathLike)) and not str(pipeline).lstrip().startswith("{"):
        return Pipeline.load(os.fspath(pipeline))
    return Pipeline.from_json(pipeline)


def _sorted_labels(labels):
    """Numeric order when every label is a number ("2" before "10"), else code-point (UTF-8 byte)
    order: the trainer's order of class labels."""
    def number(text):
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    labels = sorted(set(labels))
    if labels and all(number(label) is not None for label in labels):
        labels.sort(key=number)
    return labels


class _Augmented(Dataset):
    """What the datasets share: the pipeline, the seed, the epoch (in shared memory), targets."""

    def __init__(self, pipeline, seed, augment, with_key):
        self.pipeline = _as_pipeline(pipeline)
        self.seed = int(seed)
        self.augment = bool(augment)
        self.with_key = bool(with_key)
        # Shared with DataLoader workers (inherited when they fork, passed when they spawn), so
        # set_epoch reaches persistent workers.
        self._epoch = multiprocessing.RawValue("q", 0)
        self.classes = []
        self.class_to_idx = {}

    def set_epoch(self, epoch):
        """Draws of epoch `epoch` (from 0) from now on: copy `epoch` of `augment run --copies N`."""
        if epoch < 0:
            raise ValueError(f"epoch must be >= 0, got {epoch}")
        self._epoch.value = int(epoch)

    @property
    def epoch(self):
        return self._epoch.value

    def _set_classes(self, labels, classes):
        self.classes = list(classes) if classes is not None else _sorted_labels(labels)
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}

    def _target(self, label, where):
        try:
            return self.class_to_idx[label]
        except KeyError:
            raise DataError(f"{where}: label '{label}' is not one of the classes ({', '.join(self.classes)})") from None

    def _item(self, output, target, key):
        if target is None:
            return (output, key) if self.with_key else output
        return (output, target, key) if self.with_key else (output, target)


class FileDataset(_Augmented):
    """Files of a folder or a manifest CSV, as `augment run` reads them.

    input: a folder (walked as the runner walks it; with target="label", the default for a folder,
        each file's class is its first subfolder, as torchvision's ImageFolder) or a manifest .csv
        with a `path` column (target: one of its columns, "label" by default when it has one).
    root: what keys are relative to (`augment run --root`); default the folder or the manifest's.
    classes: the class labels in index order; default the sorted distinct labels.
    augment: False runs only the deterministic stages (preprocess), for validation.
    channel_order: of image and clip outputs, "rgb" (default) or "bgr".
    Items are (output, target), (output,) without a target, plus the key with with_key=True.
    """

    def __init__(self, input, pipeline, *, seed=0, root=None, target="label", classes=None, augment=True,
                 channel_order="rgb", with_key=False):
        super().__init__(pipeline, seed, augment, with_key)
        self.input = os.fspath(input)
        self.channel_order = channel_order
        listing = _augment._list_dataset(self.input, self.pipeline.input_kind, os.fspath(root) if root else "")
        self.root = listing["root"]
        self.label_columns = listing["label_columns"]
        folder = os.path.isdir(self.input)
        entries = listing["entries"]
        for _, _, _, _, error, _ in entries:
            if error:
                raise DataError(error)  # a manifest row that cannot be used: training needs all its data
        self.keys = [e[1] for e in entries]
        self.sources = [e[2] for e in entries]
        self._columns = [list(zip(self.label_columns, e[3])) for e in entries]
        if folder:
            labels = [e[5] for e in entries]
            if target not in (None, "label"):
                raise ValueError(f"a folder's only target is 'label' (its class subfolders), not '{target}'")
            for source, label in zip(self.sources, labels):
                if target and not label:
                    raise DataError(f"{source}: not in a class subfolder (labels from folders take one subfolder per class)")
        else:
            if target == "label" and "label" not in self.label_columns:
                target = None  # the default asks for a label column only when there is one
            if target is not None and target not in self.label_columns:
                raise ValueError(f"{self.input}: no column '{target}' (columns: {', '.join(self.label_columns)})")
            labels = [dict(c)[target] for c in self._columns] if target else []
        self.target = target
        self.labels = labels if target else None
        if target:
            self._set_classes(labels, classes)
            self.targets = [self._target(label, source) for label, source in zip(labels, self.sources)]
        else:
            self.targets = None

    def __len__(self):
        return len(self.sources)

    def __getitem__(self, index):
        _prepare_worker()
        output, _ = self.pipeline.run_file(self.sources[index], seed=self.seed, key=self.keys[index],
                                           copy=self.epoch, columns=self._columns[index],
                                           channel_order=self.channel_order, augment=self.augment)
        return self._item(output, self.targets[index] if self.targets is not None else None, self.keys[index])


class TextRecordDataset(_Augmented):
    """Records of a CSV file (a text column) or JSON Lines file (a text field), keyed as
    `augment run` keys them: the 1-based record number, or key_column's value.

    target: a column or field whose values are class labels; language: for records without a
    language column. Items are (output, target) or the output alone without a target (plus the
    key with with_key=True).
    """

    def __init__(self, file, pipeline, *, seed=0, text_column="text", key_column="", language="", target=None,
                 classes=None, augment=True, with_key=False):
        super().__init__(pipeline, seed, augment, with_key)
        if self.pipeline.input_kind != "text":
            raise ValueError(f"text records need a pipeline that takes text, not {self.pipeline.input_kind}")
        self.file = os.fspath(file)
        records = _augment._read_text_records(self.file, text_column, key_column or "", language,
                                              [target] if target else [])
        self.lines = [r[0] for r in records]
        self.keys = [r[1] for r in records]
        self.texts = [r[2] for r in records]
        self.languages = [r[3] for r in records]
        self.target = target
        if target:
            labels = [r[4][0] for r in records]
            self._set_classes(labels, classes)
            self.targets = [self._target(label, f"{self.file}:{line}") for label, line in zip(labels, self.lines)]
        else:
            self.targets = None

    def __len__(self):
        return len(self.texts)

    def __getitem__(self, index):
        _prepare_worker()
        text, key = self.texts[index], self.keys[index]
        if self.augment:
            output, _ = self.pipeline(text, seed=self.seed, key=key, copy=self.epoch, language=self.languages[index])
        else:
            output, _ = self.pipeline.preprocess(text, language=self.languages[index])
        return self._item(output, self.targets[index] if self.targets is not None else None, key)


class Iterable(IterableDataset):
    """An iterable view of a FileDataset or TextRecordDataset: DataLoader workers take every
    num_workers-th item, so each item is made once per epoch whatever the number of workers, and
    is the same item the map-style dataset gives. shuffle: a permutation per epoch, fixed by
    (seed, epoch) and the same in every worker (the order only; draws do not depend on it)."""

    def __init__(self, dataset, shuffle=False):
        self.dataset = dataset
        self.shuffle = shuffle

    def set_epoch(self, epoch):
        self.dataset.set_epoch(epoch)

    @property
    def epoch(self):
        return self.dataset.epoch

    def __len__(self):
        return len(self.dataset)

    def __iter__(self):
        order = np.arange(len(self.dataset))
        if self.shuffle:
            order = np.random.default_rng([self.dataset.seed, self.dataset.epoch]).permutation(order)
        info = get_worker_info()
        if info is not None:
            order = order[info.id::info.num_workers]
        for index in order:
            yield self.dataset[int(index)]


Padded = collections.namedtuple("Padded", ["values", "lengths"])
Padded.__doc__ = """A batch of sequences of different lengths: values padded at the end of their last
axis (zeros; "" for tokens) and each one's length."""


def _stack(arrays):
    tensors = [torch.as_tensor(a) for a in arrays]
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) == 1:
        return default_collate(tensors)  # in a worker, stacked straight into shared memory
    if len({(t.dim(), tuple(t.shape[:-1])) for t in tensors}) == 1 and tensors[0].dim() >= 1:
        # Same shape but the last axis (time: spectrogram frames, audio samples, sequence steps).
        lengths = torch.tensor([t.shape[-1] for t in tensors], dtype=torch.int64)
        out = tensors[0].new_zeros((len(tensors), *tensors[0].shape[:-1], int(lengths.max())))
        for i, t in enumerate(tensors):
            out[i, ..., :t.shape[-1]] = t
        return Padded(out, lengths)
    raise ValueError("cannot batch arrays of shapes " + ", ".join(str(list(s)) for s in sorted(shapes)) +
                     ": only the last axis may differ (add a resize or crop stage for images)")


def collate(batch):
    """Batches items of the datasets above (a collate_fn for DataLoader): arrays of one shape are
    stacked (images H×W×C → B×H×W×C, tensors C×H×W → B×C×H×W); arrays differing only in their
    last axis (spectrograms' frames, audio samples) are padded with zeros into Padded(values,
    lengths); token lists are padded with "" into Padded(list of lists, lengths); str stay a list;
    targets become an int64 tensor; augment.Audio items give Audio(samples batch, rates)."""
    first = batch[0]
    if isinstance(first, Audio):
        return Audio(_stack([b.samples for b in batch]), torch.tensor([b.rate for b in batch], dtype=torch.int64))
    if isinstance(first, tuple):
        return tuple(collate(list(field)) for field in zip(*batch))
    if isinstance(first, dict):
        return {k: collate([b[k] for b in batch]) if k in ("image", "mask") else [b[k] for b in batch] for k in first}
    if isinstance(first, (np.ndarray, torch.Tensor)):
        return _stack(batch)
    if isinstance(first, bool) or isinstance(first, (int, np.integer)):
        return torch.tensor(batch, dtype=torch.int64)
    if isinstance(first, (float, np.floating)):
        return torch.tensor(batch, dtype=torch.float32)
    if isinstance(first, str):
        return list(batch)
    if isinstance(first, list) and all(isinstance(t, str) for b in batch for t in b):
        lengths = torch.tensor([len(b) for b in batch], dtype=torch.int64)
        width = int(lengths.max()) if len(batch) else 0
        return Padded([list(b) + [""] * (width - len(b)) for b in batch], lengths)
    if first is None:
        return list(batch)
    raise TypeError(f"collate: cannot batch a {type(first).__name__}")

