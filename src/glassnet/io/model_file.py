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
    """True for what ``save_model`` accepts: a Keras-style Model or any nn.Module."""
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


def save_model(obj, path, include_optimizer: bool = True) -> None:
    """Save a model's architecture, weights and (optionally) optimizer state, atomically.

    Args:
        obj: a ``gn.Sequential`` (or any built-in layer), or a Keras-style ``gn.Model``.
        path: the file to write (``.glassnet`` by convention).
        include_optimizer: also save the optimizer's state so training resumes exactly.
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
    write_file(path, KIND, structure)


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
    """Rebuild the model described by a model file (called by ``gn.load``)."""
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
    """Load a model file; a file holding anything else is an error."""
    from glassnet.io.serialization import read_file

    kind, structure, metadata = read_file(path)
    source = f"'{os.fspath(path)}'"
    if kind != KIND:
        raise ModelFileError(f"{source} holds a saved {kind!r}, not a model; use gn.load")
    return build_model(structure, metadata, source)
