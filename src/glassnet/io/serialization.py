"""``gn.save`` / ``gn.load``: state dicts and whole models in one safe, versioned file.

A glassnet file is a safetensors file (see ``glassnet.io.safetensors``): the arrays are
stored as named tensors, and everything else goes into the header's metadata as JSON:

    metadata["format"]          "glassnet"
    metadata["format_version"]  "1"  (a newer file is refused with a clear message)
    metadata["kind"]            "state" (a dict of arrays, numbers, strings...) or "model"
    metadata["structure"]       the saved dict as JSON, arrays replaced by {"$array": key}

Nothing is ever unpickled or executed: loading reads JSON and raw numbers only. Writes go
to a temporary file and are renamed into place, so a crash leaves the previous file intact.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> import glassnet as gn
    >>> state = {"weight": np.ones((2, 2), np.float32), "epoch": 3, "name": "xor"}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     gn.save(state, os.path.join(tmp, "state.glassnet"))
    ...     loaded = gn.load(os.path.join(tmp, "state.glassnet"))
    >>> loaded["epoch"], loaded["name"], loaded["weight"].shape
    (3, 'xor', (2, 2))
"""

from __future__ import annotations

import json
import os

import numpy as np

from glassnet.exceptions import ModelFileError
from glassnet.io.safetensors import load_arrays, save_arrays

FORMAT = "glassnet"
FORMAT_VERSION = 1


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _encode(value, arrays: dict, path: str):
    """Replace arrays by references and make the rest JSON-friendly (keys kept exact)."""
    from glassnet.tensor import Tensor

    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, np.ndarray):
        name = path or "array"
        while name in arrays:  # {"a.b": x, "a": {"b": y}} would otherwise collide
            name += "_"
        arrays[name] = value
        return {"$array": name}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_encode(v, arrays, _join(path, i)) for i, v in enumerate(value)]
        return {"$tuple": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v, arrays, _join(path, k)) for k, v in value.items()}
        # integer keys (optimizer state) and the like: keep their type
        return {"$items": [[_encode(k, arrays, _join(path, f"key{i}")),
                            _encode(v, arrays, _join(path, i))]
                           for i, (k, v) in enumerate(value.items())]}
    raise TypeError(
        f"gn.save: cannot store a {type(value).__name__} at '{path or 'the top'}'; glassnet "
        f"files hold arrays, tensors, numbers, strings, None and lists/tuples/dicts of them "
        f"(never pickled objects)"
    )


def _decode(value, arrays: dict, source: str):
    if isinstance(value, list):
        return [_decode(v, arrays, source) for v in value]
    if not isinstance(value, dict):
        return value
    if "$array" in value:
        key = value["$array"]
        if key not in arrays:
            raise ModelFileError(f"{source}: the structure refers to a missing array '{key}'")
        return arrays[key]
    if "$tuple" in value:
        return tuple(_decode(v, arrays, source) for v in value["$tuple"])
    if "$items" in value:
        return {_decode(k, arrays, source): _decode(v, arrays, source)
                for k, v in value["$items"]}
    return {k: _decode(v, arrays, source) for k, v in value.items()}


#: header entries glassnet writes itself (a caller's extra metadata may not use them)
RESERVED_METADATA = frozenset({"format", "format_version", "kind", "structure"})


def write_file(path, kind: str, structure, extra_metadata: dict | None = None) -> None:
    """Write ``structure`` (arrays inside become tensors of the file) atomically.

    Args:
        path: the file to write.
        kind: ``"state"`` or ``"model"``; stored as ``metadata["kind"]``.
        structure: nested dicts/lists/tuples of arrays, tensors, numbers, strings and None.
        extra_metadata: more string entries for the header's metadata.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     write_file(os.path.join(tmp, "a.glassnet"), "state", {"w": np.arange(3.0)})
        ...     kind, structure, metadata = read_file(os.path.join(tmp, "a.glassnet"))
        >>> kind, structure["w"], metadata["format"]
        ('state', array([0., 1., 2.]), 'glassnet')
    """
    arrays: dict = {}
    encoded = _encode(structure, arrays, "")
    metadata = {"format": FORMAT, "format_version": str(FORMAT_VERSION), "kind": kind,
                "structure": json.dumps(encoded)}
    metadata.update(extra_metadata or {})
    save_arrays(os.fspath(path), arrays, metadata)


def read_file(path) -> tuple:
    """Read a glassnet file: returns (kind, structure, metadata). Refuses foreign files.

    Raises:
        ModelFileError: not a glassnet file, a newer format version, or a corrupted header.

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     write_file(os.path.join(tmp, "a.glassnet"), "state", {"epoch": 3})
        ...     kind, structure, metadata = read_file(os.path.join(tmp, "a.glassnet"))
        >>> kind, structure, metadata["format_version"]
        ('state', {'epoch': 3}, '1')
    """
    source = f"'{os.fspath(path)}'"
    arrays, metadata = load_arrays(os.fspath(path))
    if metadata.get("format") != FORMAT:
        raise ModelFileError(
            f"{source} is a safetensors file but was not written by glassnet (no "
            f"'format: glassnet' in its metadata); use glassnet.io.load_arrays to read its "
            f"raw arrays"
        )
    try:
        version = int(metadata.get("format_version", ""))
    except ValueError:
        raise ModelFileError(f"{source}: unreadable format_version "
                             f"{metadata.get('format_version')!r}") from None
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{source} was written in glassnet file format {version}, newer than this "
            f"glassnet reads ({FORMAT_VERSION}); upgrade glassnet to load it"
        )
    try:
        encoded = json.loads(metadata["structure"])
    except (KeyError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{source}: its structure is missing or corrupted ({error})") \
            from None
    return metadata.get("kind"), _decode(encoded, arrays, source), metadata


def save(obj, path) -> None:
    """Save a state dict (or any dict/list of arrays, numbers and strings), or a model.

    PyTorch users write ``torch.save(model.state_dict(), path)``; the same works here.
    A Keras-style model (``gn.Sequential`` or ``gn.Model``) is saved whole (architecture
    and weights), like ``model.save(path)``.

    Args:
        obj: a dict (nested dicts, lists and tuples allowed) whose leaves are NumPy arrays,
            tensors, numbers, strings, bools or None; or a model.
        path: where to write; the file appears complete or not at all.

    Example:
        >>> import os, tempfile
        >>> import glassnet as gn
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     gn.save({"step": 10, "lr": 0.1}, os.path.join(tmp, "s.glassnet"))
        ...     gn.load(os.path.join(tmp, "s.glassnet"))
        {'step': 10, 'lr': 0.1}
    """
    from glassnet.io.model_file import is_model, save_model

    if is_model(obj):
        save_model(obj, path)
        return
    write_file(path, "state", obj)


def load(path):
    """Load what ``gn.save`` or ``model.save`` wrote: the dict, or the rebuilt model.

    Raises:
        ModelFileError: the file is truncated, corrupted, not a glassnet file, or from a
            newer glassnet. Nothing in the file is ever executed or unpickled.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> import glassnet as gn
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     gn.save({"w": np.eye(2, dtype=np.float32), "epoch": 5}, os.path.join(tmp, "s"))
        ...     state = gn.load(os.path.join(tmp, "s"))
        >>> state["epoch"], state["w"].dtype
        (5, dtype('float32'))
    """
    kind, structure, metadata = read_file(path)
    if kind == "state":
        return structure
    if kind == "model":
        from glassnet.io.model_file import build_model

        return build_model(structure, metadata, source=f"'{os.fspath(path)}'")
    raise ModelFileError(f"'{os.fspath(path)}': unknown glassnet file kind {kind!r}")
