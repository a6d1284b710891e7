"""The Python module and `augment run` give the same bytes and draw the same params for the same
(seed, key, copy): the CLI's outputs are read back with independent decoders (numpy.load for
.npy, PIL for PNG) and its manifest's params column is compared with Python's records."""
import csv
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
from PIL import Image

import augment
from helpers import IMAGES, cli, source

SEED = 7
COPIES = 3
SAMPLE_IMAGES = sorted(f for f in os.listdir(IMAGES) if f.endswith((".jpg", ".png")))

# Not a resize first: `augment run` and run_file may then decode JPEGs at reduced size
# (--full-decode), which augment.read, a decoder without a pipeline, does not.
AUGMENT = {"kind": "image", "stages": [
    {"op": "hflip", "p": 0.5},
    {"op": "resize_longest", "size": 96, "interpolation": "area"},
    {"op": "rotate", "degrees": [-20, 20], "p": 0.8},
    {"op": "color_jitter", "hue": [-15, 15]},
    {"op": "cutout", "count": [1, 2], "p": 0.5}]}


def manifest_rows(folder):
    with open(os.path.join(folder, "manifest.csv"), newline="") as f:
        return list(csv.DictReader(f))


class CliMatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def run_cli(self, spec, input_folder, name):
        spec_file = os.path.join(self.tmp, name + ".json")
        with open(spec_file, "w") as f:
            json.dump(spec, f)
        out = os.path.join(self.tmp, name)
        cli("run", "--pipeline", spec_file, "--input", input_folder, "--output", out,
            "--seed", str(SEED), "--copies", str(COPIES), "--quiet")
        return out

    def test_tensors_of_the_sample_images_equal_the_cli_npy(self):
        # Every sample image (8-bit JPEGs, one with EXIF orientation, RGBA PNG, 16-bit gray PNG),
        # decoded by augment's reader, augmented, made a tensor: the .npy files `augment run` writes.
        spec = dict(AUGMENT, stages=AUGMENT["stages"] + [{"op": "to_tensor"}])
        out = self.run_cli(spec, IMAGES, "tensors")
        rows = {(r["source"], int(r["copy"])): r for r in manifest_rows(out)}
        self.assertEqual(len(rows), len(SAMPLE_IMAGES) * COPIES)
        pipeline = augment.Pipeline.from_json(spec)
        for name in SAMPLE_IMAGES:
            image = augment.read(os.path.join(IMAGES, name))
            for copy in range(COPIES):
                row = rows[(name, copy)]
                tensor, record = pipeline(image, seed=SEED, key=name, copy=copy)
                expected = np.load(os.path.join(out, row["path"]))
                self.assertEqual(tensor.dtype, expected.dtype)
                np.testing.assert_array_equal(tensor, expected, err_msg=f"{name} copy {copy}")
                self.assertEqual(record, json.loads(row["params"]), f"{name} copy {copy}")
                # run_file reads through the same codec: the same output without a numpy round trip.
                from_file, file_record = pipeline.run_file(os.path.join(IMAGES, name), seed=SEED, key=name, copy=copy)
                np.testing.assert_array_equal(from_file, expected)
                self.assertEqual(file_record, record)

    def test_png_pixels_decoded_by_pil_equal_the_cli_png(self):
        # Inputs and outputs decoded by PIL, not by augment: RGBA 8-bit and gray 16-bit PNGs.
        folder = os.path.join(self.tmp, "png-in")
        os.mkdir(folder)
        for name in SAMPLE_IMAGES:
            if name.endswith(".png"):
                shutil.copy(os.path.join(IMAGES, name), folder)
        out = self.run_cli(AUGMENT, folder, "png")
        pipeline = augment.Pipeline.from_json(AUGMENT)
        rows = manifest_rows(out)
        self.assertEqual(len(rows), 2 * COPIES)
        for row in rows:
            with Image.open(os.path.join(folder, row["source"])) as source_image:
                pixels = np.array(source_image)
            if pixels.dtype == np.int32:  # PIL's mode "I" holds a 16-bit PNG
                self.assertLessEqual(pixels.max(), 65535)
                pixels = pixels.astype(np.uint16)
            with Image.open(os.path.join(out, row["path"])) as written:
                expected = np.array(written)
            self.assertIn(pixels.dtype, (np.uint8, np.uint16))
            result, record = pipeline(pixels, seed=SEED, key=row["source"], copy=int(row["copy"]), channel_order="rgb")
            if expected.ndim == 2:
                expected = expected[:, :, None]
            np.testing.assert_array_equal(result, expected.astype(result.dtype), err_msg=row["path"])
            self.assertEqual(record, json.loads(row["params"]))

    def test_jpeg_bytes_equal_the_cli_jpeg(self):
        # The whole way through: decode, augment, encode as the runner does; the same file bytes.
        folder = os.path.join(self.tmp, "jpg-in")
        os.mkdir(folder)
        shutil.copy(os.path.join(IMAGES, "home.jpg"), folder)
        out = self.run_cli(AUGMENT, folder, "jpg")
        pipeline = augment.Pipeline.from_json(AUGMENT)
        image = augment.read(os.path.join(folder, "home.jpg"), channel_order="bgr")
        for copy in range(COPIES):
            result, _ = pipeline(image, seed=SEED, key="home.jpg", copy=copy, channel_order="bgr")
            with open(os.path.join(out, f"home_{copy}.jpg"), "rb") as f:
                self.assertEqual(augment.encode_image(result, ".jpg", channel_order="bgr"), f.read())

    def test_text_records_equal_the_cli(self):
        # Text records keyed by their 1-based record number, as `augment run` keys them.
        records = os.path.join(self.tmp, "records.jsonl")
        texts = ["El perro corre por el parque.", "¿Qué tal estás hoy?", "Una frase más, con comas."]
        with open(records, "w", encoding="utf-8") as f:
            for text in texts:
                f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        spec = {"kind": "text", "stages": [{"op": "char_swap", "unit_p": 0.3}, {"op": "keyboard_typo", "p": 0.5}]}
        spec_file = os.path.join(self.tmp, "text.json")
        with open(spec_file, "w") as f:
            json.dump(spec, f)
        out, params = os.path.join(self.tmp, "out.jsonl"), os.path.join(self.tmp, "params.jsonl")
        cli("run", "--pipeline", spec_file, "--input", records, "--output", out, "--params", params,
            "--seed", str(SEED), "--copies", "2", "--language", "es", "--quiet")
        with open(out, encoding="utf-8") as f:
            written = [json.loads(line) for line in f]
        with open(params, encoding="utf-8") as f:
            drawn = [json.loads(line) for line in f]
        pipeline = augment.Pipeline.from_json(spec)
        self.assertEqual(len(written), 2 * len(texts))
        for row, params_row in zip(written, drawn):
            key = params_row["key"]
            source_text = texts[int(key) - 1]
            text, record = pipeline(source_text, seed=SEED, key=key, copy=row["copy"], language="es")
            self.assertEqual(text, row["text"])
            self.assertEqual(record, params_row["record"])

    def test_the_version_is_the_clis(self):
        self.assertEqual(cli("--version").stdout.strip(), "augment " + augment.__version__)

    def test_a_resize_first_decodes_jpegs_reduced_as_the_cli_does(self):
        # resize_longest 128 shrinks the 512×384 JPEGs by 4: `augment run` decodes them at 1/4 in
        # the DCT, and so does run_file; with --full-decode / full_decode=True both decode in full.
        spec = {"kind": "image", "stages": [
            {"op": "resize_longest", "size": 128}, {"op": "rotate", "degrees": [-10, 10]}, {"op": "to_tensor"}]}
        folder = os.path.join(self.tmp, "jpeg-only")
        os.mkdir(folder)
        jpegs = [name for name in SAMPLE_IMAGES if name.endswith(".jpg")]
        for name in jpegs:
            shutil.copy(os.path.join(IMAGES, name), folder)
        spec_file = os.path.join(self.tmp, "reduced.json")
        with open(spec_file, "w") as f:
            json.dump(spec, f)
        pipeline = augment.Pipeline.from_json(spec)
        outputs = {}
        for full in (False, True):
            out = os.path.join(self.tmp, "reduced-full" if full else "reduced")
            cli("run", "--pipeline", spec_file, "--input", folder, "--output", out, "--seed", str(SEED),
                "--quiet", *(["--full-decode"] if full else []))
            for row in manifest_rows(out):
                expected = np.load(os.path.join(out, row["path"]))
                tensor, record = pipeline.run_file(os.path.join(folder, row["source"]), seed=SEED, key=row["source"],
                                                   full_decode=full)
                np.testing.assert_array_equal(tensor, expected, err_msg=f"{row['source']} full={full}")
                self.assertEqual(record, json.loads(row["params"]))
                outputs[(row["source"], full)] = expected
        # The two decodes differ in pixels, never in sizes or draws.
        self.assertTrue(any(not np.array_equal(outputs[(n, False)], outputs[(n, True)]) for n in jpegs))
        for name in jpegs:
            self.assertEqual(outputs[(name, False)].shape, outputs[(name, True)].shape)


if __name__ == "__main__":
    unittest.main()
