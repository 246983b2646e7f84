"""Whole models in a file: architecture (JSON), weights and optimizer state (arrays).

``model.save(path)`` / ``gn.save(model, path)`` write, and ``gn.load(path)`` rebuilds:

    architecture   {"class_name": "Sequential", "config": {"layers": [...]}}  (JSON)
    weights        the module's state_dict (parameters and buffers)
    compile        optimizer class and settings, loss and metric names (when compiled)
    optimizer      the optimizer's state_dict (moments, step counts), when asked
    rng            the state of the random generator the model trains with (its own, or
                   glassnet's default one, which dropout layers without their own generator
                   also use), so a run resumed from a checkpoint draws the same batches and
                   dropout masks as one that never stopped. Loading such a checkpoint puts
                   the default generator back where it was, as torch.set_rng_state would.

Only glassnet's own layer and optimizer classes can be named in a file: loading looks the
names up in ``glassnet.nn`` and ``glassnet.optim`` and never imports or runs anything else.
A custom ``nn.Module`` subclass has no config; save its ``state_dict()`` instead.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> import glassnet as gn
    >>> model = gn.Sequential([gn.nn.Dense(3, activation="relu", input_dim=2), gn.nn.Dense(1)])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     model.save(os.path.join(tmp, "model.glassnet"))
    ...     loaded = gn.load(os.path.join(tmp, "model.glassnet"))
    >>> x = np.array([[0.5, -1.0]], dtype=np.float32)
    >>> bool(np.array_equal(model.predict(x), loaded.predict(x)))
    True
"""

from __future__ import annotations

import inspect
import os
import warnings

import numpy as np

from glassnet import backend
from glassnet.exceptions import ModelFileError

KIND = "model"
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


def _keras_model(obj):
    """The Keras-style Model behind ``obj`` (a Model, or a Sequential that was compiled)."""
    from glassnet.nn import Module
    from glassnet.training.model import Model

    if isinstance(obj, Model):
        return obj
    if isinstance(obj, Module):
        return obj.__dict__.get("_keras_model")
    return None


def is_model(obj) -> bool:
    """True for what ``save_model`` accepts: a Keras-style Model or any nn.Module.

    Example:
        >>> import glassnet as gn
        >>> is_model(gn.nn.Linear(2, 1, rng=0)), is_model({"weight": [1.0]})
        (True, False)
    """
    from glassnet.nn import Module
    from glassnet.training.model import Model

    return isinstance(obj, (Model, Module))


def _architecture(module) -> dict:
    try:
        config = module.get_config()
    except NotImplementedError:
        raise ValueError(
            f"Cannot save the architecture of {type(module).__name__}: it is a custom "
            f"nn.Module. Save its weights with gn.save(model.state_dict(), path) and rebuild "
            f"the class in code, then model.load_state_dict(gn.load(path))"
        ) from None
    return {"class_name": type(module).__name__, "config": config}


def _compile_config(model) -> dict | None:
    """What compile() was given, as data (a Python loss function cannot be saved)."""
    config = None if model is None else model.get_compile_config()
    if config is None:
        return None
    config["loss_saved"] = config["loss"] is not None or model.loss is None
    config["metrics"] = [m for m in config["metrics"] if m is not None]
    return config


def save_model(obj, path, include_optimizer: bool = True, metadata: dict | None = None) -> None:
    """Save a model's architecture, weights and (optionally) optimizer state, atomically.

    Args:
        obj: a ``gn.Sequential`` (or any built-in layer), or a Keras-style ``gn.Model``.
        path: the file to write (``.glassnet`` by convention).
        include_optimizer: also save the optimizer's state so training resumes exactly.
        metadata: your own ``{name: text}`` entries for the file's header (e.g. class
            names as JSON); ``read_model`` returns them.

    Example:
        >>> import os, tempfile
        >>> import glassnet as gn
        >>> model = gn.Sequential([gn.nn.Dense(2, input_dim=3, rng=0)])
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     save_model(model, os.path.join(tmp, "m.glassnet"))
        ...     type(load_model(os.path.join(tmp, "m.glassnet"))).__name__
        'Sequential'
    """
    from glassnet.io.serialization import write_file
    from glassnet.training.model import Model

    model = _keras_model(obj)
    module = obj.module if isinstance(obj, Model) else obj
    structure = {
        "architecture": _architecture(module),
        "weights": dict(module.state_dict()),
        "compile": _compile_config(model),
        "optimizer": None,
        "rng": None,
    }
    if include_optimizer and model is not None and model.optimizer is not None:
        structure["optimizer"] = model.optimizer.state_dict()
    if model is not None:
        structure["rng"] = {"source": "default" if model.rng is None else "model",
                            "state": backend.get_generator(model.rng).bit_generator.state}
    write_file(path, KIND, structure, _user_metadata(metadata))


def _user_metadata(metadata) -> dict:
    """Check the caller's header entries: text keys and values, none of glassnet's own."""
    from glassnet.io.serialization import RESERVED_METADATA

    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in metadata.items()):
        raise TypeError(f"save_model: metadata must be a dict of strings, received "
                        f"{metadata!r}")
    clash = sorted(set(metadata) & RESERVED_METADATA)
    if clash:
        raise ValueError(f"save_model: metadata keys {clash} are glassnet's own; choose "
                         f"other names")
    return metadata


def _restore_rng(keras, rng: dict, source: str) -> None:
    """Continue the saved random stream: in the default generator, or the model's own."""
    state = rng.get("state") if isinstance(rng, dict) else None
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in BIT_GENERATORS:
        raise ModelFileError(f"{source}: unknown random generator {name!r}")
    bit_generator = getattr(np.random, name)()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as error:
        raise ModelFileError(f"{source}: corrupted random generator state ({error})") from None
    if rng.get("source") == "default":
        backend.get_generator().bit_generator.state = bit_generator.state
    else:
        keras.rng = np.random.Generator(bit_generator)


def _optimizer_class(name: str, source: str):
    from glassnet import optim

    cls = getattr(optim, name, None)
    if not (isinstance(cls, type) and issubclass(cls, optim.Optimizer)):
        raise ModelFileError(f"{source}: unknown optimizer class {name!r}")
    return cls


def _restore_compile(keras, config: dict, optimizer_state, source: str) -> None:
    optimizer = config.get("optimizer")
    if isinstance(optimizer, dict):
        cls = _optimizer_class(optimizer.get("class_name"), source)
        accepted = inspect.signature(cls.__init__).parameters
        settings = {k: tuple(v) if isinstance(v, list) else v
                    for k, v in optimizer.get("config", {}).items() if k in accepted}
        optimizer = cls(list(keras.module.parameters()), **settings)
    keras.compile(optimizer=optimizer or "rmsprop", loss=config.get("loss"),
                  metrics=config.get("metrics"), loss_weights=config.get("loss_weights"))
    if not config.get("loss_saved", True):
        warnings.warn(f"{source}: the model was compiled with a Python loss function, which "
                      f"is not saved; call compile(loss=...) again before training",
                      stacklevel=3)
    if optimizer_state is not None:
        keras._ensure_optimizer()
        keras.optimizer.load_state_dict(optimizer_state)


def build_model(structure, metadata: dict, source: str):
    """Rebuild the model described by a model file (called by ``gn.load``).

    Args:
        structure: the decoded structure from ``read_file`` (architecture, weights,
            compile settings, optimizer and generator state).
        metadata: the file's metadata (unused today; kept for future format versions).
        source: how to name the file in error messages.

    Returns:
        A ``gn.Sequential`` when the file holds one, else a Keras-style ``gn.Model``.

    Raises:
        ModelFileError: the architecture or weights cannot be rebuilt.

    Example:
        >>> import os, tempfile
        >>> import glassnet as gn
        >>> from glassnet.io.serialization import read_file
        >>> model = gn.Sequential([gn.nn.Dense(2, input_dim=3, rng=0)])
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     model.save(os.path.join(tmp, "m.glassnet"))
        ...     kind, structure, metadata = read_file(os.path.join(tmp, "m.glassnet"))
        >>> kind, type(build_model(structure, metadata, "'m.glassnet'")).__name__
        ('model', 'Sequential')
    """
    from glassnet.nn import Sequential, layer_from_config
    from glassnet.training.model import Model

    try:
        module = layer_from_config(structure["architecture"])
        module.load_state_dict(structure["weights"])
    except (KeyError, TypeError, ValueError, RuntimeError) as error:
        raise ModelFileError(f"{source}: cannot rebuild the model: {error}") from None
    keras = module._keras() if isinstance(module, Sequential) else Model(module)
    if structure.get("compile"):
        _restore_compile(keras, structure["compile"], structure.get("optimizer"), source)
    if structure.get("rng") is not None:
        _restore_rng(keras, structure["rng"], source)
    return module if isinstance(module, Sequential) else keras


def load_model(path):
    """Load a model file; a file holding anything else is an error.

    Raises:
        ModelFileError: the file holds a state dict (use ``gn.load``), or is corrupted.

    Example:
        >>> import os, tempfile
        >>> import glassnet as gn
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     gn.save({"step": 1}, os.path.join(tmp, "s.glassnet"))
        ...     load_model(os.path.join(tmp, "s.glassnet"))
        Traceback (most recent call last):
            ...
        glassnet.exceptions.ModelFileError: '...' holds a saved 'state', not a model; use gn.load
    """
    return read_model(path)[0]


def read_model(path) -> tuple:
    """Load a model file with the metadata its saver added: ``(model, {name: text})``.

    Example:
        >>> import os, tempfile
        >>> import glassnet as gn
        >>> model = gn.Sequential([gn.nn.Dense(2, input_dim=3, rng=0)])
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "m.glassnet")
        ...     save_model(model, path, metadata={"classes": '["cat", "dog"]'})
        ...     loaded, extra = read_model(path)
        >>> extra
        {'classes': '["cat", "dog"]'}
    """
    from glassnet.io.serialization import RESERVED_METADATA, read_file

    kind, structure, metadata = read_file(path)
    source = f"'{os.fspath(path)}'"
    if kind != KIND:
        raise ModelFileError(f"{source} holds a saved {kind!r}, not a model; use gn.load")
    extra = {key: value for key, value in metadata.items() if key not in RESERVED_METADATA}
    return build_model(structure, metadata, source), extra
