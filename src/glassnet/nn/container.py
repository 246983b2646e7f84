"""Containers: ``Sequential`` (layers applied in order), ``ModuleList``, ``ModuleDict``.

``nn.Sequential`` is also the Keras-style model: ``gn.Sequential`` is this very class,
and ``compile``/``fit``/``evaluate``/``predict``/``summary`` hand over to the trainer in
``glassnet.training`` (created on first use).

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    >>> net(gn.ones(3, 2)).shape, len(net), net[1]
    ((3, 1), 3, Tanh())
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from glassnet import backend
from glassnet.nn.linear import Linear
from glassnet.nn.module import Module, unique_name
from glassnet.nn.reshape import InputLayer
from glassnet.tensor import Tensor, no_grad


def _check_module(owner: str, module, position) -> Module:
    if isinstance(module, Module):
        return module
    hint = ""
    if isinstance(module, type) and issubclass(module, Module):
        hint = f" (did you mean {module.__name__}()? a layer class must be instantiated)"
    raise TypeError(f"{owner}: expected a Module (a layer) at position {position}, received "
                    f"{type(module).__name__}{hint}")


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: modules in order, keyed "0", "1", ..."""

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def _position(self, index: int) -> int:
        if not isinstance(index, (int, np.integer)):
            raise TypeError(f"{type(self).__name__} indices must be integers or slices, "
                            f"received {type(index).__name__}")
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"{type(self).__name__} index {index} is out of range for "
                             f"{size} modules")
        return int(index) % size

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._with_items(list(self._modules.items())[index])
        return list(self._modules.values())[self._position(index)]

    def __setitem__(self, index, module) -> None:
        key = list(self._modules)[self._position(index)]
        setattr(self, key, _check_module(type(self).__name__, module, index))

    def __delitem__(self, index) -> None:
        items = list(self._modules.items())
        del items[index if isinstance(index, slice) else self._position(index)]
        self._reset(items)

    def append(self, module: Module):
        """Add ``module`` at the end; returns self."""
        _check_module(type(self).__name__, module, len(self))
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Append every module of an iterable; returns self."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before ``index`` (the modules are renumbered)."""
        items = list(self._modules.items())
        items.insert(index, ("", _check_module(type(self).__name__, module, index)))
        self._reset(items, renumber=True)

    def pop(self, index: int = -1) -> Module:
        """Remove and return the module at ``index`` (the last one by default)."""
        module = self[index]
        del self[index]
        return module

    def _reset(self, items, renumber: bool | None = None) -> None:
        """Re-register ``items``; numeric keys are renumbered 0, 1, ... to stay contiguous."""
        if renumber is None:
            renumber = all(key.isdigit() for key in self._modules)
        for key in list(self._modules):
            self._forget(key)
            self.__dict__.pop(key, None)
        for position, (key, module) in enumerate(items):
            self.add_module(str(position) if renumber else key, module)

    def _with_items(self, items):  # pragma: no cover - defined by subclasses
        raise NotImplementedError


class Sequential(_ModuleSequence):
    """Layers applied one after another: ``forward(x) = layer_n(...layer_2(layer_1(x)))``.

    PyTorch style: ``nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))``.
    Keras style (``gn.Sequential`` is this class): ``gn.Sequential([nn.Dense(4,
    activation="relu"), nn.Dense(1)])`` or ``Sequential()`` then ``add(layer)``; then
    ``compile``/``fit``/``evaluate``/``predict``/``summary``/``save``, which hand over to
    ``glassnet.training.model.Model`` (created on first use, kept out of the layers).

    Args:
        *layers: modules, or one list/tuple of modules, or one dict/OrderedDict of named
            modules.
        layers: Keras's keyword form of the list.
        name: the model name (default "sequential", "sequential_1", ...).

    The fit loop's fusion hooks: ``output_activation_name`` (the last layer's activation,
    e.g. "sigmoid"/"softmax") and ``logits(x)`` (the output before that activation).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> model = nn.Sequential()           # gn.Sequential is the same class
        >>> model.add(nn.Dense(5, input_shape=(2,), activation="relu"))
        >>> model.add(nn.Dense(1, activation="sigmoid"))
        >>> model
        Sequential(
          (0): Dense(in_features=2, units=5, activation='relu')
          (1): Dense(in_features=5, units=1, activation='sigmoid')
        )
        >>> model.output_activation_name, model.num_parameters()     # (2*5 + 5) + (5 + 1)
        ('sigmoid', 21)
    """

    def __init__(self, *layers, name: str | None = None, **kwargs):
        super().__init__()
        if "layers" in kwargs:
            layers = (kwargs.pop("layers") or [],)
        if kwargs:
            raise TypeError(f"Sequential: unexpected keyword argument(s) {sorted(kwargs)}")
        self.name = name if name is not None else unique_name("sequential")
        if len(layers) == 1 and isinstance(layers[0], dict):
            for key, module in layers[0].items():
                self.add_module(key, _check_module("Sequential", module, key))
            return
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for module in layers:
            self.append(module)

    def forward(self, x):
        """Each layer's output feeds the next: ``y = f_n(... f_2(f_1(x)))``."""
        for module in self._modules.values():
            x = module(x)
        return x

    def append(self, module: Module):
        """Add ``module`` at the end; returns self.

        When the model's input width is known (its first layer was built, e.g. by
        ``input_shape=``), a lazy layer is built at once, as Keras does.
        """
        super().append(module)
        if not getattr(module, "built", True) and self.input_shape is not None:
            self.build(self.input_shape)
        return self

    def add(self, layer: Module) -> None:
        """Keras's ``model.add(layer)``: append a layer."""
        self.append(layer)

    @property
    def layers(self) -> list:
        """Keras's ``model.layers``: the layers as a list."""
        return list(self._modules.values())

    def _with_items(self, items):
        return Sequential(OrderedDict(items))

    # -- building and the fit loop's fusion hooks ----------------------------------------
    @property
    def built(self) -> bool:
        """True once every lazy layer (Dense, BatchNormalization) has its weights."""
        return all(getattr(module, "built", True) for module in self.modules()
                   if module is not self)

    def build(self, input_shape) -> None:
        """Create every lazy layer's weights by running one zero batch (no graph, eval mode).

        Args:
            input_shape: the batch's shape, batch axis first (None allowed), e.g. (None, 4).

        Example:
            >>> from glassnet import nn
            >>> model = nn.Sequential(nn.Dense(3), nn.Dense(1))
            >>> model.build((None, 4)); model.built, model[1].in_features
            (True, 3)
        """
        shape = tuple(1 if n is None else int(n) for n in input_shape)
        first = next(self.parameters(), None)
        dtype = first.dtype if first is not None else backend.get_default_dtype()
        modes = [(module, module.training) for module in self.modules()]
        self.eval()
        try:
            with no_grad():
                self.forward(Tensor._from_op(np.zeros(shape, dtype=dtype), None))
        finally:
            for module, training in modes:
                module.training = training

    @property
    def input_shape(self) -> tuple | None:
        """(None, features) when the first layer is a built Dense/Linear, (None, *shape) when
        it is an ``InputLayer``, else None."""
        first = next(iter(self._modules.values()), None)
        if isinstance(first, Sequential):
            return first.input_shape
        if isinstance(first, InputLayer):
            return (None, *first.shape)
        if isinstance(first, Linear) and first.built:
            return (None, first.in_features)
        return None

    @property
    def output_activation_name(self) -> str | None:
        """The final activation's table name ("sigmoid", "softmax", "linear", ...) or None.

        None when the last layer is neither a Dense/Linear nor an activation layer.
        """
        if not self._modules:
            return None
        last = self[-1]
        if isinstance(last, Sequential):
            return last.output_activation_name
        return getattr(last, "activation_name", None)

    def logits(self, x):
        """The output before the final activation (the logits for a fused loss).

        Runs every layer; the last Dense skips its activation, and a final activation
        layer (``nn.Sigmoid()``, ``nn.Softmax()``) is skipped. With the matching
        cross-entropy from logits this is the stable form of ``loss(model(x), y)``.

        Example:
            >>> import glassnet as gn
            >>> from glassnet import nn
            >>> model = nn.Sequential(nn.Linear(2, 1, rng=0), nn.Sigmoid())
            >>> x = gn.ones(1, 2)
            >>> bool(model.logits(x).sigmoid().item() == model(x).item())
            True
        """
        layers = list(self._modules.values())
        if not layers:
            return x
        for module in layers[:-1]:
            x = module(x)
        last = layers[-1]
        if isinstance(last, Sequential):
            return last.logits(x)
        if isinstance(last, Linear):
            return last(x, apply_activation=False)
        if getattr(last, "activation_name", None) is not None:
            return x
        return last(x)

    # -- configuration -------------------------------------------------------------------
    def get_config(self) -> dict:
        layers = [{"class_name": type(m).__name__, "config": m.get_config()} for m in self]
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config: dict) -> "Sequential":
        """Rebuild a Sequential from ``get_config()`` (built-in layers only).

        Example:
            >>> from glassnet import nn
            >>> model = nn.Sequential(nn.Dense(4, activation="relu", input_dim=3), nn.Dropout(0.1))
            >>> nn.Sequential.from_config(model.get_config())[0]
            Dense(in_features=3, units=4, activation='relu')
        """
        layers = [layer_from_config(layer) for layer in config.get("layers", [])]
        return cls(layers, name=config.get("name"))

    # -- Keras-style training: thin hand-overs to glassnet.training.model.Model ----------
    def _keras(self):
        """The Keras-style trainer behind compile/fit/evaluate/predict (created on first use).

        Stored in ``__dict__`` directly, so it is not a child module and stays out of
        ``state_dict()`` and ``repr``.
        """
        model = self.__dict__.get("_keras_model")
        if model is None:
            from glassnet.training.model import Model

            model = Model(self)
            self.__dict__["_keras_model"] = model
        return model

    def compile(self, *args, **kwargs):
        """Choose the optimizer, loss and metrics (see ``glassnet.training.model.Model``)."""
        return self._keras().compile(*args, **kwargs)

    def fit(self, *args, **kwargs):
        """Train on arrays (see ``Model.fit``); returns the History."""
        return self._keras().fit(*args, **kwargs)

    def evaluate(self, *args, **kwargs):
        """Loss and metrics on data (see ``Model.evaluate``)."""
        return self._keras().evaluate(*args, **kwargs)

    def predict(self, *args, **kwargs):
        """Outputs as a NumPy array, in evaluation mode without a graph (``Model.predict``)."""
        return self._keras().predict(*args, **kwargs)

    def summary(self, *args, **kwargs):
        """Print the layers, output shapes and parameter counts (``Model.summary``)."""
        return self._keras().summary(*args, **kwargs)

    def save(self, *args, **kwargs):
        """Save architecture and weights to a file (``Model.save``)."""
        return self._keras().save(*args, **kwargs)

    def explain(self, *args, **kwargs):
        """The forward and backward pass for one input, number by number (``Model.explain``)."""
        return self._keras().explain(*args, **kwargs)

    def train_on_batch(self, *args, **kwargs):
        """One optimizer step on one batch (``Model.train_on_batch``)."""
        return self._keras().train_on_batch(*args, **kwargs)

    def test_on_batch(self, *args, **kwargs):
        """Loss and metrics on one batch (``Model.test_on_batch``)."""
        return self._keras().test_on_batch(*args, **kwargs)

    def predict_on_batch(self, *args, **kwargs):
        """Outputs for one batch (``Model.predict_on_batch``)."""
        return self._keras().predict_on_batch(*args, **kwargs)

    def get_weights(self, *args, **kwargs):
        """The weights as a list of NumPy arrays (``Model.get_weights``)."""
        return self._keras().get_weights(*args, **kwargs)

    def set_weights(self, *args, **kwargs):
        """Set the weights from a list of arrays (``Model.set_weights``)."""
        return self._keras().set_weights(*args, **kwargs)

    @property
    def history(self):
        """The History of the last ``fit``."""
        return self._keras().history

    @property
    def stop_training(self) -> bool:
        """Set to True (e.g. from a callback) to stop ``fit`` after the current batch/epoch."""
        return self._keras().stop_training

    @stop_training.setter
    def stop_training(self, value: bool) -> None:
        self._keras().stop_training = value


class ModuleList(_ModuleSequence):
    """A list of modules that registers them (so their parameters are found).

    A plain Python list of layers inside a Module is invisible to ``parameters()``; this
    one is not. It has no ``forward``: loop over it in yours.

    Example:
        >>> from glassnet import nn
        >>> blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        >>> len(blocks), len(list(blocks.parameters()))
        (3, 6)
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _with_items(self, items):
        return ModuleList([module for _, module in items])

    def __iadd__(self, modules):
        return self.extend(modules)


class ModuleDict(Module):
    """A dict of named modules that registers them.

    Example:
        >>> from glassnet import nn
        >>> heads = nn.ModuleDict({"score": nn.Linear(4, 1), "label": nn.Linear(4, 3)})
        >>> list(heads), heads["label"].out_features
        (['score', 'label'], 3)
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, _check_module("ModuleDict", module, key))

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def keys(self):
        """The names, in insertion order."""
        return self._modules.keys()

    def values(self):
        """The modules, in insertion order."""
        return self._modules.values()

    def items(self):
        """(name, module) pairs, in insertion order."""
        return self._modules.items()

    def update(self, modules) -> None:
        """Add (name, module) pairs from a dict or an iterable of pairs."""
        pairs = modules.items() if isinstance(modules, dict) else modules
        for key, module in pairs:
            self[key] = module

    def pop(self, key: str) -> Module:
        """Remove the module named ``key`` and return it."""
        module = self[key]
        del self[key]
        return module


def layer_from_config(description: dict) -> Module:
    """Rebuild a built-in layer from ``{"class_name": ..., "config": ...}``.

    Only classes of ``glassnet.nn`` are accepted (nothing is imported or executed).

    Example:
        >>> layer_from_config({"class_name": "Dropout", "config": {"p": 0.25}})
        Dropout(p=0.25)
    """
    from glassnet import nn

    class_name = description.get("class_name") if isinstance(description, dict) else None
    cls = getattr(nn, class_name, None) if isinstance(class_name, str) else None
    if not (isinstance(cls, type) and issubclass(cls, Module)):
        known = sorted(name for name in dir(nn) if isinstance(getattr(nn, name), type)
                       and issubclass(getattr(nn, name), Module))
        raise ValueError(f"Unknown layer class {class_name!r} in the config. Valid classes: "
                         f"{', '.join(known)}")
    return cls.from_config(description.get("config", {}))
