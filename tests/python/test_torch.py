"""augment.torch: datasets over folders, manifests and text records; DataLoader workers (0, 2,
persistent) give the items a single process gives; epoch e is `augment run`'s copy e; collate."""
import csv
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch
from torch.utils.data import DataLoader

import augment
import augment.torch as at
from helpers import IMAGES, cli

SEED = 5
# Not a resize first (see test_cli_match): full decoding, as augment.read does.
SPEC = {"kind": "image", "stages": [
    {"op": "hflip", "p": 0.5},
    {"op": "resize", "width": 40, "height": 30, "interpolation": "area"},
    {"op": "rotate", "degrees": [-20, 20]},
    {"op": "color_jitter", "hue": [-15, 15]},
    {"op": "to_tensor"}]}
# Class subfolders, as torchvision's ImageFolder takes them; the same photo under other keys
# draws other augmentations.
FILES = {"cat/a.jpg": "home.jpg", "cat/b.jpg": "home.jpg", "dog/c.jpg": "home-orientation-6.jpg", "dog/d.jpg": "home.jpg",
         "dog/e.jpg": "home-orientation-6.jpg"}


class TorchDatasets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.folder = os.path.join(cls.tmp, "photos")
        for key, name in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(cls.folder, key)), exist_ok=True)
            shutil.copy(os.path.join(IMAGES, name), os.path.join(cls.folder, key))
        cls.spec_file = os.path.join(cls.tmp, "spec.json")
        with open(cls.spec_file, "w") as f:
            json.dump(SPEC, f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_folder_items_are_the_cli_copies(self):
        out = os.path.join(self.tmp, "cli-out")
        cli("run", "--pipeline", self.spec_file, "--input", self.folder, "--output", out, "--seed", str(SEED),
            "--copies", "2", "--labels", "folders", "--quiet")
        with open(os.path.join(out, "manifest.csv"), newline="") as f:
            rows = {(r["source"], int(r["copy"])): r for r in csv.DictReader(f)}
        data = at.FileDataset(self.folder, self.spec_file, seed=SEED, with_key=True)
        self.assertEqual(data.classes, ["cat", "dog"])
        self.assertEqual(data.keys, sorted(FILES))
        self.assertEqual(len(data), len(FILES))
        for epoch in (0, 1):
            data.set_epoch(epoch)
            for i in range(len(data)):
                tensor, target, key = data[i]
                row = rows[(key, epoch)]
                self.assertEqual(data.classes[target], row["label"])
                np.testing.assert_array_equal(tensor, np.load(os.path.join(out, row["path"])), err_msg=f"{key} epoch {epoch}")

    def batches(self, dataset, epochs, **loader_args):
        loader = DataLoader(dataset, batch_size=2, collate_fn=at.collate, **loader_args)
        out = []
        for epoch in range(epochs):
            dataset.set_epoch(epoch)
            out.append([(images.clone(), labels.clone()) for images, labels in loader])
        return out

    def assert_same_batches(self, a, b):
        self.assertEqual(len(a), len(b))
        for epoch_a, epoch_b in zip(a, b):
            self.assertEqual(len(epoch_a), len(epoch_b))
            for (images_a, labels_a), (images_b, labels_b) in zip(epoch_a, epoch_b):
                self.assertTrue(torch.equal(images_a, images_b))
                self.assertTrue(torch.equal(labels_a, labels_b))

    def test_workers_give_what_one_process_gives(self):
        data = at.FileDataset(self.folder, SPEC, seed=SEED)
        single = self.batches(data, 2, num_workers=0)
        self.assertEqual(single[0][0][0].shape, (2, 3, 30, 40))  # stacked C×H×W tensors
        self.assertEqual(single[0][0][1].tolist(), [0, 0])
        self.assertFalse(torch.equal(single[0][0][0], single[1][0][0]))  # set_epoch: fresh draws
        self.assert_same_batches(single, self.batches(data, 2, num_workers=2))
        # Persistent workers keep their copy of the dataset; the epoch still reaches them.
        self.assert_same_batches(single, self.batches(data, 2, num_workers=2, persistent_workers=True))

    def test_iterable_makes_each_item_once(self):
        data = at.FileDataset(self.folder, SPEC, seed=SEED, with_key=True)
        data.set_epoch(1)
        expected = {key: tensor for tensor, _, key in (data[i] for i in range(len(data)))}
        for workers in (0, 2):
            stream = at.Iterable(data, shuffle=True)
            got = {}
            for tensor, _, key in DataLoader(stream, batch_size=None, num_workers=workers):
                self.assertNotIn(key, got)
                got[key] = tensor
            self.assertEqual(sorted(got), sorted(expected))
            for key in expected:
                np.testing.assert_array_equal(got[key], expected[key])

    def test_manifest_with_a_label_column(self):
        manifest = os.path.join(self.tmp, "list.csv")
        with open(manifest, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["path", "label", "split"])
            w.writerow(["photos/cat/a.jpg", "10", "train"])
            w.writerow(["photos/dog/c.jpg", "2", "train"])
            w.writerow(["photos/dog/d.jpg", "10", "test"])
        data = at.FileDataset(manifest, SPEC, seed=SEED, with_key=True)
        self.assertEqual(data.classes, ["2", "10"])  # numbers in numeric order, as the trainer sorts
        self.assertEqual([t for t in data.targets], [1, 0, 1])
        # Keys are relative to the manifest's folder: the same draws as the folder dataset's
        # with --root at that folder.
        tensor, target, key = data[1]
        self.assertEqual(key, "photos/dog/c.jpg")
        under_root = at.FileDataset(self.folder, SPEC, seed=SEED, root=self.tmp)
        np.testing.assert_array_equal(tensor, under_root[under_root.sources.index(data.sources[1])][0])
        split = at.FileDataset(manifest, SPEC, seed=SEED, target="split")
        self.assertEqual(split.classes, ["test", "train"])
        with self.assertRaisesRegex(ValueError, "no column 'kind'"):
            at.FileDataset(manifest, SPEC, target="kind")

    def test_text_records_and_token_padding(self):
        records = os.path.join(self.tmp, "records.jsonl")
        texts = [("Hola mundo.", "es"), ("¿Qué tal estás?", "es"), ("Muy bien, gracias.", "es")]
        with open(records, "w", encoding="utf-8") as f:
            for text, label in zip(texts, ["greeting", "question", "answer"]):
                f.write(json.dumps({"text": text[0], "topic": label}, ensure_ascii=False) + "\n")
        spec = {"kind": "text", "stages": [{"op": "char_swap", "unit_p": 0.3}, {"op": "tokenize"}]}
        data = at.TextRecordDataset(records, spec, seed=SEED, target="topic", language="es", with_key=True)
        self.assertEqual(data.keys, ["1", "2", "3"])
        self.assertEqual(data.classes, ["answer", "greeting", "question"])
        pipeline = augment.Pipeline.from_json(spec)
        data.set_epoch(2)
        for i in range(len(data)):
            tokens, target, key = data[i]
            self.assertEqual(tokens, pipeline(texts[i][0], seed=SEED, key=str(i + 1), copy=2, language="es")[0])
        batch = at.collate([data[i][:2] for i in range(len(data))])
        (padded, lengths), targets = batch
        self.assertEqual(lengths.tolist(), [len(data[i][0]) for i in range(len(data))])
        self.assertTrue(all(len(row) == max(lengths) for row in padded))
        self.assertEqual(padded[0][lengths[0]:], [""] * (max(lengths) - lengths[0]))
        self.assertEqual(targets.tolist(), [1, 2, 0])


class Collate(unittest.TestCase):
    def test_pads_the_last_axis(self):
        a = np.ones((1, 2, 3), np.float32)
        b = np.full((1, 2, 5), 2, np.float32)
        values, lengths = at.collate([a, b])
        self.assertEqual(lengths.tolist(), [3, 5])
        expected = torch.zeros(2, 1, 2, 5)
        expected[0, :, :, :3] = 1
        expected[1] = 2
        self.assertTrue(torch.equal(values, expected))

    def test_stacks_images_and_refuses_other_sizes(self):
        images = [np.full((2, 3, 3), i, np.uint8) for i in range(4)]
        batch = at.collate([(im, i) for i, im in enumerate(images)])
        self.assertEqual(batch[0].shape, (4, 2, 3, 3))
        self.assertEqual(batch[0].dtype, torch.uint8)
        self.assertEqual(batch[1].tolist(), [0, 1, 2, 3])
        with self.assertRaisesRegex(ValueError, "only the last axis may differ"):
            at.collate([np.zeros((2, 3, 3)), np.zeros((3, 3, 3))])

    def test_audio(self):
        clips = [augment.Audio(np.zeros((1, n), np.float32), 16000) for n in (4, 6)]
        samples, rates = at.collate(clips)
        self.assertEqual(samples.lengths.tolist(), [4, 6])
        self.assertEqual(rates.tolist(), [16000, 16000])


if __name__ == "__main__":
    unittest.main()
