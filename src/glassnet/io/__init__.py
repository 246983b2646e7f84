"""Saving and loading, without pickle.

The low-level layer that ``model.save``, ``gn.save``/``gn.load`` and checkpoints stand on:

- ``save_arrays`` / ``load_arrays`` (and ``dumps`` / ``loads`` for bytes): named NumPy arrays
  plus string metadata in the safetensors format, readable by the ``safetensors`` package and
  by PyTorch, JAX or TensorFlow users. Loading checks every rule of the format and raises
  ``glassnet.exceptions.ModelFileError`` for a truncated, corrupted or foreign file.
- ``atomic_write``: write a file so that a crash, a full disk or an exception half-way leaves
  the previous file intact (temporary file, fsync, then an atomic rename).

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from glassnet.io import load_arrays, save_arrays
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "model.safetensors")
    ...     save_arrays(path, {"W": np.zeros((4, 2), np.float32)}, metadata={"epoch": "3"})
    ...     arrays, metadata = load_arrays(path)
    >>> arrays["W"].shape, metadata["epoch"]
    ((4, 2), '3')
"""

from glassnet.io.atomic import atomic_write
from glassnet.io.safetensors import dumps, load_arrays, loads, save_arrays

__all__ = ["atomic_write", "dumps", "load_arrays", "loads", "save_arrays"]
