"""augment's Python module: pipelines, samples of every kind, errors, no-copy outputs, the GIL.

Expected values come from elsewhere: the CLI (`augment list`, its error lines), hand-computed
cases, or the library's own deterministic guarantees (replay gives run's output)."""
import ctypes
import json
import os
import sys
import tempfile
import threading
import time
import unittest

import numpy as np

import augment
from helpers import IMAGES, cli, source


def capsule_pointer(capsule):
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get(capsule, b"augment.buffer")


def address(array):
    return array.__array_interface__["data"][0]


FEATURES = {"kind": "features", "stages": [{"op": "gaussian_noise", "sigma": [0.05, 0.2]}]}


class PipelineApi(unittest.TestCase):
    def test_load_from_json_and_back(self):
        path = source("examples", "pipelines", "images-augment.json")
        loaded = augment.Pipeline.load(path)
        self.assertEqual(loaded.input_kind, "image")
        self.assertEqual(loaded.output_kind, "image")
        spec = loaded.to_json()
        # Every parameter explicit: the spec round-trips through a dict and through JSON text.
        self.assertEqual(augment.Pipeline.from_json(spec).to_json(), spec)
        self.assertEqual(augment.Pipeline.from_json(json.dumps(spec)).to_json(), spec)
        self.assertEqual(spec["stages"][0]["size"], 256)  # as the file says
        self.assertIn("interpolation", spec["stages"][1])  # a default, made explicit

    def test_output_kind_follows_the_stages(self):
        p = augment.Pipeline.from_json({"kind": "image", "stages": [{"op": "to_tensor"}]})
        self.assertEqual((p.input_kind, p.output_kind), ("image", "tensor"))

    def test_features_hand_computed(self):
        # standardize with a written state: (x - mean) / std, then unit_norm (l1): x / sum|x|.
        p = augment.Pipeline.from_json({"kind": "features", "stages": [
            {"op": "standardize", "state": {"mean": [1.0, 2.0, 3.0], "std": [2.0, 4.0, 0.5]}},
            {"op": "unit_norm", "norm": "l1"}]})
        out, record = p([3.0, 0.0, 4.0])
        # (1, -0.5, 2) / 3.5
        np.testing.assert_allclose(out, [1 / 3.5, -0.5 / 3.5, 2 / 3.5], rtol=1e-15)
        self.assertEqual(out.dtype, np.float64)
        self.assertEqual(len(record), 2)

    def test_draws_depend_only_on_seed_key_copy_epoch(self):
        p = augment.Pipeline.from_json(FEATURES)
        x = np.arange(16, dtype=np.float64)
        a, ra = p(x, seed=3, key="row-1")
        b, rb = p(x.copy(), seed=3, key="row-1")
        self.assertEqual(ra, rb)
        np.testing.assert_array_equal(a, b)
        for other in ({"seed": 4, "key": "row-1"}, {"seed": 3, "key": "row-2"},
                      {"seed": 3, "key": "row-1", "copy": 1}, {"seed": 3, "key": "row-1", "epoch": 1}):
            _, r = p(x, **other)
            self.assertNotEqual(r, ra, other)
        # An int key is its decimal text, as tables key rows by number.
        self.assertEqual(p(x, seed=3, key=17)[1], p(x, seed=3, key="17")[1])

    def test_replay_gives_the_output(self):
        p = augment.Pipeline.load(source("examples", "pipelines", "images-augment.json"))
        image = augment.read(os.path.join(IMAGES, "home.jpg"))
        for copy in range(4):
            out, record = p(image, seed=11, key="home.jpg", copy=copy)
            np.testing.assert_array_equal(p.replay(image, record), out)
            # The record survives JSON (what the runner's manifest holds).
            np.testing.assert_array_equal(p.replay(image, json.loads(json.dumps(record))), out)

    def test_preprocess_runs_only_deterministic_stages(self):
        p = augment.Pipeline.from_json({"kind": "image", "stages": [
            {"op": "resize", "width": 8, "height": 6}, {"op": "rotate", "degrees": [-30, 30]}]})
        image = np.zeros((12, 16, 3), np.uint8)
        out, record = p.preprocess(image)
        self.assertEqual(out.shape, (6, 8, 3))
        self.assertEqual(p.deterministic_prefix, 1)
        self.assertIsNone(record[1])

    def test_fit_learns_state(self):
        p = augment.Pipeline.from_json({"kind": "features", "stages": [{"op": "standardize"}]})
        self.assertEqual(p.unfitted_stages, ["stage 0 (standardize)"])
        rows = [[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]]
        p.fit(iter(rows))  # a one-shot iterator is enough
        self.assertEqual(p.unfitted_stages, [])
        state = p.to_json()["stages"][0]["state"]
        np.testing.assert_allclose(state["mean"], [3.0, 20.0])
        np.testing.assert_allclose(state["std"], [np.sqrt(8 / 3), np.sqrt(200)])  # population sigma
        out, _ = p([3.0, 20.0])
        np.testing.assert_array_equal(out, [0.0, 0.0])

    def test_pickle_round_trip(self):
        import pickle
        p = augment.Pipeline.from_json(FEATURES)
        q = pickle.loads(pickle.dumps(p))
        self.assertEqual(q.to_json(), p.to_json())
        x = np.ones(4)
        self.assertEqual(q(x, seed=1, key="k")[1], p(x, seed=1, key="k")[1])

    def test_ops_is_the_cli_catalogue(self):
        listed = json.loads(cli("list", "--format", "json").stdout)
        self.assertEqual(augment.ops(), listed)
        self.assertEqual(augment.ops("text"), json.loads(cli("list", "--kind", "text", "--format", "json").stdout))


if __name__ == "__main__":
    unittest.main()
