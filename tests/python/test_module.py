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



def run1(spec, sample, **kwargs):
    """One run of a pipeline built from `spec`; the output."""
    return augment.Pipeline.from_json(spec)(sample, **kwargs)[0]


class Samples(unittest.TestCase):
    def test_channel_order_of_images(self):
        to_tensor = {"kind": "image", "stages": [{"op": "to_tensor"}]}  # planes R, G, B
        pixel = np.array([[[10, 20, 30]]], np.uint8)
        close = dict(rtol=1e-6, atol=0)  # levels / 255 in float32, as OpenCV rounds them
        np.testing.assert_allclose(run1(to_tensor, pixel).ravel(), np.float32([10, 20, 30]) / 255, **close)  # rgb: the default
        np.testing.assert_allclose(run1(to_tensor, pixel, channel_order="rgb").ravel(), np.float32([10, 20, 30]) / 255, **close)
        np.testing.assert_allclose(run1(to_tensor, pixel, channel_order="bgr").ravel(), np.float32([30, 20, 10]) / 255, **close)
        rgba = np.array([[[10, 20, 30, 40]]], np.uint8)
        np.testing.assert_allclose(run1(to_tensor, rgba).ravel(), np.float32([10, 20, 30, 40]) / 255, **close)
        # Outputs come back in the order asked: a pixel stage that changes nothing keeps them.
        keep = {"kind": "image", "stages": [{"op": "gamma", "gamma": 1.0}]}
        for order in ("rgb", "bgr"):
            np.testing.assert_array_equal(run1(keep, rgba, channel_order=order), rgba)
        with self.assertRaisesRegex(ValueError, "channel_order must be 'rgb' or 'bgr', got 'rbg'"):
            run1(keep, pixel, channel_order="rbg")

    def test_image_depths_and_gray(self):
        to_tensor = {"kind": "image", "stages": [{"op": "to_tensor"}]}
        np.testing.assert_array_equal(run1(to_tensor, np.full((2, 3), 65535, np.uint16)), np.ones((1, 2, 3), np.float32))
        x = np.linspace(0, 1, 12, dtype=np.float32).reshape(2, 2, 3)
        np.testing.assert_array_equal(run1(to_tensor, x), x.transpose(2, 0, 1))  # float kept, HWC -> CHW
        gray = np.arange(6, dtype=np.uint8).reshape(2, 3)
        flipped = run1({"kind": "image", "stages": [{"op": "hflip"}]}, gray)
        self.assertEqual(flipped.shape, (2, 3, 1))  # images come back H×W×C
        np.testing.assert_array_equal(flipped[:, :, 0], gray[:, ::-1])
        # Non-contiguous input (a view) is read as it looks.
        big = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
        np.testing.assert_array_equal(run1({"kind": "image", "stages": [{"op": "hflip"}]}, big[::2, ::2]), big[::2, ::2][:, ::-1])

    def test_image_targets_move_with_it(self):
        # hflip of a 20-wide image: x -> 20 - x (continuous coordinates, pixel i spans [i, i + 1)).
        image = np.zeros((10, 20, 3), np.uint8)
        mask = np.zeros((10, 20), np.uint8)
        mask[:, :4] = 1
        p = augment.Pipeline.from_json({"kind": "image", "stages": [{"op": "hflip"}]})
        out, _ = p(image, mask=mask, boxes=[[0, 0, 5, 10, "cat"]], keypoints=[[2.5, 3.5]])
        self.assertEqual(sorted(out), ["boxes", "image", "keypoints", "mask"])
        self.assertEqual(out["boxes"], [[15.0, 0.0, 20.0, 10.0, "cat"]])
        self.assertEqual(out["keypoints"], [[17.5, 3.5]])
        np.testing.assert_array_equal(out["mask"], mask[:, ::-1])
        with self.assertRaisesRegex(augment.DataError, "mask: 3x2 does not match the image's 20x10"):
            p(image, mask=np.zeros((2, 3), np.uint8))

    def test_audio(self):
        wave = np.array([[0.01, -0.02, 0.03], [0.0, 0.04, -0.05]], np.float32)
        out, record = augment.Pipeline.from_json({"kind": "audio", "stages": [{"op": "gain", "db": 20}]})(wave, rate=8000)
        self.assertIsInstance(out, augment.Audio)
        samples, rate = out
        self.assertEqual((rate, samples.shape, samples.dtype), (8000, (2, 3), np.float32))
        np.testing.assert_allclose(samples, wave * 10, rtol=1e-6)  # 10^(20/20)
        # A (samples, rate) pair, and mono as a 1-D array.
        samples, _ = run1({"kind": "audio", "stages": [{"op": "gain", "db": 0}]}, (wave[0], 16000))
        np.testing.assert_array_equal(samples, wave[:1])
        with self.assertRaisesRegex(augment.DataError, "audio: give the sample rate"):
            run1({"kind": "audio", "stages": [{"op": "to_mono"}]}, wave)

    def test_spectrogram_from_audio_matches_numpy(self):
        # torchaudio's Spectrogram: centred frames (reflect padding), periodic Hann, |rfft|².
        n_fft, hop = 8, 4
        t = np.arange(64)
        wave = (0.5 * np.sin(2 * np.pi * t / 8) + 0.25 * np.cos(2 * np.pi * t / 5)).astype(np.float32)
        spec = {"kind": "audio", "stages": [{"op": "spectrogram", "n_fft": n_fft, "hop_length": hop}]}
        out = run1(spec, wave[None, :], rate=16000)
        padded = np.pad(wave.astype(np.float64), n_fft // 2, mode="reflect")
        window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
        frames = [padded[i * hop:i * hop + n_fft] * window for i in range(1 + len(wave) // hop)]
        expected = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).T
        self.assertEqual(out.shape, (1, n_fft // 2 + 1, len(frames)))
        np.testing.assert_allclose(out[0], expected, rtol=1e-4, atol=1e-5)

    def test_spectrogram_in_and_out(self):
        power = np.array([[[1.0, 10.0, 100.0]]], np.float32)
        np.testing.assert_allclose(run1({"kind": "spectrogram", "stages": [{"op": "db"}]}, power), [[[0, 10, 20]]], atol=1e-5)
        # Magnitudes (power 1, as its info says): 20·log10.
        info = {"power": 1.0}
        out = run1({"kind": "spectrogram", "stages": [{"op": "db"}]}, power, info=info)
        np.testing.assert_allclose(out, [[[0, 20, 40]]], atol=1e-5)

    def test_text_and_tokens(self):
        tokens = run1({"kind": "text", "stages": [{"op": "tokenize"}]}, "¿Qué tal?")
        self.assertEqual(tokens, ["¿", "Qué", " ", "tal", "?"])  # the README's example
        self.assertEqual(run1({"kind": "tokens", "stages": [{"op": "join"}]}, tokens), "¿Qué tal?")
        self.assertEqual(run1({"kind": "text", "stages": [{"op": "strip_accents"}]}, "Qué tal"), "Que tal")
        with self.assertRaisesRegex(augment.DataError, "text: expected a str"):
            run1({"kind": "text", "stages": [{"op": "strip_accents"}]}, b"bytes")

    def test_video_clip(self):
        clip = np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3)  # T×H×W×C
        out = run1({"kind": "video", "stages": [{"op": "hflip"}]}, clip, fps=25)
        self.assertEqual((out.shape, out.dtype), (clip.shape, np.uint8))
        np.testing.assert_array_equal(out, clip[:, :, ::-1])
        tensor = run1({"kind": "video", "stages": [{"op": "to_tensor"}]}, clip)  # T×C×H×W, RGB
        np.testing.assert_allclose(tensor, clip.transpose(0, 3, 1, 2).astype(np.float32) / 255, rtol=1e-6, atol=0)


class Errors(unittest.TestCase):
    def test_spec_errors_are_value_errors_with_the_cli_message(self):
        spec_file = source("tests", "bad-inputs", "files", "specs", "out-of-range.json")
        with tempfile.TemporaryDirectory() as tmp:
            done = cli("run", "--pipeline", spec_file, "--input", IMAGES, "--output", os.path.join(tmp, "o"), check=False)
        self.assertEqual(done.returncode, 2)
        with self.assertRaises(ValueError) as caught:
            augment.Pipeline.load(spec_file)
        self.assertNotIsInstance(caught.exception, augment.DataError)
        self.assertEqual("augment run: " + str(caught.exception), done.stderr.strip())
        with self.assertRaisesRegex(ValueError, r"^stage 0: unknown op 'rotat' \(did you mean 'rotate'\?\)"):
            augment.Pipeline.from_json({"kind": "image", "stages": [{"op": "rotat"}]})
        with self.assertRaisesRegex(ValueError, "pipeline spec: not valid JSON"):
            augment.Pipeline.from_json("{")

    def test_bad_files_are_data_errors_with_the_cli_message(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "in")
            os.mkdir(folder)
            bad = os.path.join(folder, "truncated.jpg")
            with open(source("tests", "bad-inputs", "files", "images", "truncated.jpg"), "rb") as f, open(bad, "wb") as g:
                g.write(f.read())
            done = cli("run", "--pipeline", source("examples", "pipelines", "images-augment.json"),
                       "--input", folder, "--output", os.path.join(tmp, "out"), check=False)
            self.assertEqual(done.returncode, 1)
            p = augment.Pipeline.load(source("examples", "pipelines", "images-augment.json"))
            for attempt in (lambda: augment.read(bad), lambda: p.run_file(bad)):
                with self.assertRaises(augment.DataError) as caught:
                    attempt()
                self.assertIsInstance(caught.exception, ValueError)
                self.assertIn("augment run: " + str(caught.exception), done.stderr.splitlines())

    def test_bad_arrays(self):
        p = augment.Pipeline.from_json({"kind": "image", "stages": [{"op": "hflip"}]})
        with self.assertRaisesRegex(augment.DataError, "image: pixels must be uint8, uint16 or float32, got int64"):
            p(np.zeros((2, 2, 3), np.int64))
        with self.assertRaisesRegex(augment.DataError, "image: expected 1, 3 or 4 channels, got 2"):
            p(np.zeros((2, 2, 2), np.uint8))
        with self.assertRaisesRegex(TypeError, "unexpected keyword argument 'rate' for a image sample"):
            p(np.zeros((2, 2, 3), np.uint8), rate=3)
        with self.assertRaisesRegex(augment.DataError, "features: expected a 1-D array"):
            augment.Pipeline.from_json(FEATURES)(np.zeros((2, 2)))


class SharedBuffers(unittest.TestCase):
    def assert_views_cpp_buffer(self, array):
        self.assertFalse(array.flags.owndata)
        self.assertEqual(type(array.base).__name__, "PyCapsule")
        # The capsule's pointer is the C++ object's buffer: the array views it, no copy.
        self.assertEqual(capsule_pointer(array.base), address(array))

    def test_outputs_share_the_cpp_buffer(self):
        image = np.random.default_rng(0).integers(0, 255, (40, 50, 3), dtype=np.uint8)
        for spec, kwargs in [
                ({"kind": "image", "stages": [{"op": "resize", "width": 25, "height": 20}]}, {"channel_order": "bgr"}),
                ({"kind": "image", "stages": [{"op": "resize", "width": 25, "height": 20}]}, {}),
                ({"kind": "image", "stages": [{"op": "to_tensor"}]}, {})]:
            out = run1(spec, image, **kwargs)
            self.assert_views_cpp_buffer(out)
        self.assert_views_cpp_buffer(run1(FEATURES, np.arange(16.0), seed=1))
        self.assert_views_cpp_buffer(run1({"kind": "spectrogram", "stages": [{"op": "db"}]}, np.ones((1, 2, 3), np.float32)))

    def test_the_array_keeps_its_buffer_alive(self):
        import gc
        p = augment.Pipeline.from_json({"kind": "image", "stages": [{"op": "to_tensor"}]})
        image = np.random.default_rng(1).integers(0, 255, (30, 30, 3), dtype=np.uint8)
        out, _ = p(image)
        expected = out.copy()
        del p
        gc.collect()
        for _ in range(20):  # reuse freed memory, if any were freed
            run1({"kind": "image", "stages": [{"op": "to_tensor"}]}, 255 - image)
        np.testing.assert_array_equal(out, expected)
        view = out[1]  # a numpy view of the output keeps it alive in turn
        del out
        gc.collect()
        np.testing.assert_array_equal(view, expected[1])


class Gil(unittest.TestCase):
    def test_a_python_thread_runs_while_a_pipeline_runs(self):
        # With the switch interval far longer than the test, the GIL changes hands only when its
        # holder lets it go: the counting thread (it sleeps each step) or a C++ call that
        # releases it. So the count moves during a call only if that call released the GIL.
        pipeline = augment.Pipeline.from_json({"kind": "image", "stages": [{"op": "gaussian_blur", "sigma": 20}] * 3})
        image = np.zeros((1500, 1500, 3), np.float32)
        count = [0]
        stop = threading.Event()

        def counter():
            while not stop.is_set():
                count[0] += 1
                time.sleep(0.0005)

        old = sys.getswitchinterval()
        sys.setswitchinterval(1000.0)
        thread = threading.Thread(target=counter)
        try:
            thread.start()
            time.sleep(0.05)
            before = count[0]
            sum(range(20_000_000))  # C code that keeps the GIL: the count stays
            held = count[0] - before
            before = count[0]
            pipeline(image)
            released = count[0] - before
        finally:
            stop.set()
            thread.join()
            sys.setswitchinterval(old)
        self.assertEqual(held, 0)
        self.assertGreater(released, 0)


if __name__ == "__main__":
    unittest.main()
