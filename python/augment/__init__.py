"""augment from Python: the same pipelines, draws and bytes as the C++ library and `augment run`.

    import augment
    pipeline = augment.Pipeline.load("examples/pipelines/images-augment.json")
    image = augment.read("corpora/images/home.jpg")           # H×W×3 uint8, RGB
    out, record = pipeline(image, seed=7, key="home.jpg")     # what `augment run --seed 7` draws
    assert (pipeline.replay(image, record) == out).all()

Samples are numpy arrays (and str, lists): images H×W×C (uint8, uint16 or float32; channel_order
"rgb" by default, "bgr" as OpenCV keeps them), audio float32 [channels, samples] with rate=...,
spectrograms [channels, bins, frames], text as str (tokens as a list of str), features as a 1-D
array, video clips T×H×W×C. A pipeline's draws depend only on (seed, key, copy, epoch). The GIL is
released while a pipeline runs. `import augment.torch` for PyTorch datasets (needs torch).
See docs/python.md.
"""
from ._augment import (  # noqa: F401
    Audio,
    DataError,
    Pipeline,
    __version__,
    encode_image,
    kinds,
    limits,
    ops,
    prepare_parallel_run,
    read,
    set_limit,
)

__all__ = [
    "Audio",
    "DataError",
    "Pipeline",
    "encode_image",
    "kinds",
    "limits",
    "ops",
    "prepare_parallel_run",
    "read",
    "set_limit",
]
