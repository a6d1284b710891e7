"""What the Python tests share: where the sources and the CLI are, and running the CLI."""
import os
import subprocess

SOURCE_DIR = os.environ.get("AUGMENT_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
CLI = os.environ.get("AUGMENT_CLI", os.path.join(SOURCE_DIR, "build", "bin", "augment"))
IMAGES = os.path.join(SOURCE_DIR, "corpora", "images")


def source(*parts):
    return os.path.join(SOURCE_DIR, *parts)


def cli(*args, check=True):
    """Runs `augment ARGS...`; returns the CompletedProcess (text mode)."""
    if not os.access(CLI, os.X_OK):
        raise AssertionError(f"no CLI at {CLI}: build the target augment (CTest sets AUGMENT_CLI)")
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"augment {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done

