"""``Module`` and ``Parameter``: the building blocks every layer and model is made of.

PyTorch's contract: subclass ``Module``, call ``super().__init__()`` first, assign
``Parameter``s and sub-modules as attributes (they are registered in that order), and
write ``forward``. Everything else (``parameters()``, ``train()``/``eval()``,
``state_dict()``, ``print(model)``) then works for free.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> class Affine(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = nn.Parameter(gn.ones(2))
    ...         self.shift = nn.Parameter(gn.zeros(2))
    ...     def forward(self, x):
    ...         return x * self.scale + self.shift
    >>> model = Affine()
    >>> [name for name, _ in model.named_parameters()]
    ['scale', 'shift']
    >>> model(gn.tensor([1.0, 2.0])).data
    array([1., 2.], dtype=float32)
"""

from __future__ import annotations

import re
from collections import OrderedDict, namedtuple

import numpy as np

from glassnet import backend
from glassnet.tensor import Tensor, _to_array

# ----------------------------------------------------------------------------- Parameter


class Parameter(Tensor):
    """A tensor that is a weight of a module: it requires grad and ``Module`` registers it.

    Args:
        data: the initial values. A float NumPy array or Tensor keeps its dtype (a Tensor's
            array is shared, as in PyTorch); lists and numbers become the default float
            dtype (float32), as do integer arrays.
        requires_grad: whether the optimizer should train it (default True).
        dtype: force a dtype (``gn.float32``, ``gn.float64``, ...).

    Example:
        >>> import numpy as np
        >>> from glassnet import nn
        >>> w = nn.Parameter(np.zeros((2, 3)))
        >>> w.shape, w.dtype, w.requires_grad
        ((2, 3), dtype('float64'), True)
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True, dtype=None):
        if data is None:
            data = np.empty(0, dtype=backend.get_default_dtype())
        if isinstance(data, Tensor):
            array = data.data
        elif isinstance(data, np.ndarray) and data.dtype.kind == "f":
            array = np.array(data, copy=True)
        else:
            array = _to_array(data)
        if dtype is not None:
            array = array.astype(backend.as_dtype(dtype), copy=False)
        if array.dtype.kind != "f":
            array = array.astype(backend.get_default_dtype())
        self.data = array
        self.grad = None
        self._op = None
        self._retain_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


# ----------------------------------------------------------------------------- names

_name_counts: dict = {}


def _snake_case(class_name: str) -> str:
    """'BatchNormalization' -> 'batch_normalization', 'ReLU' -> 're_lu' (Keras's rule)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """A Keras-style layer name: 'dense', then 'dense_1', 'dense_2', ... in creation order.

    Example:
        >>> a, b = unique_name("doctest_layer"), unique_name("doctest_layer")
        >>> a, b
        ('doctest_layer', 'doctest_layer_1')
    """
    count = _name_counts.get(base, 0)
    _name_counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _check_key(kind: str, name) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name must be a string, received {type(name).__name__}")
    if name == "" or "." in name:
        raise KeyError(f"{kind} name must be non-empty and contain no '.', received {name!r}")


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])

_REGISTRIES = ("_parameters", "_buffers", "_modules")

# ----------------------------------------------------------------------------- Module


class Module:
    """Base class of every layer and model (PyTorch's contract).

    Subclasses call ``super().__init__()`` first, then assign their ``Parameter``s and
    sub-modules as attributes; ``__setattr__`` registers them in assignment order, so
    ``parameters()``, ``state_dict()`` and ``print(model)`` find them. Parameters and
    sub-modules also stay in the instance ``__dict__``, so reading ``self.weight`` is a
    plain attribute lookup (fast in ``forward``).

    Attributes:
        training: True in training mode (dropout active, batch statistics), False after
            ``eval()``.
        name: a Keras-style name ("dense", "dense_1", ...) used in summaries and errors.

    Example:
        >>> from glassnet import nn
        >>> class TwoLayer(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = nn.Linear(4, 8)
        ...         self.out = nn.Linear(8, 1)
        ...     def forward(self, x):
        ...         return self.out(self.hidden(x).relu())
        >>> net = TwoLayer()
        >>> net.num_parameters()            # (4*8 + 8) + (8*1 + 1)
        49
        >>> net
        TwoLayer(
          (hidden): Linear(in_features=4, out_features=8, bias=True)
          (out): Linear(in_features=8, out_features=1, bias=True)
        )
    """

    def __init__(self):
        state = self.__dict__
        state["training"] = True
        state["_parameters"] = {}
        state["_buffers"] = {}
        state["_non_persistent"] = set()
        state["_modules"] = {}

    # -- forward -------------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        """The computation of this module; subclasses define it (``module(x)`` calls it)."""
        raise NotImplementedError(
            f"{type(self).__name__} has no forward(): define forward(self, x) in your "
            f"Module subclass to say how it computes its output"
        )

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # -- registration --------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, (Parameter, Module)):
            kind = "_parameters" if isinstance(value, Parameter) else "_modules"
            registry = self.__dict__.get(kind)
            if registry is None:
                what = "parameter" if kind == "_parameters" else "sub-module"
                raise AttributeError(
                    f"{type(self).__name__}: call super().__init__() before assigning "
                    f"{what} '{name}' (Module.__init__ creates the registries it goes into)"
                )
            self._forget(name)
            registry[name] = value
            self.__dict__[name] = value
            return
        state = self.__dict__
        if "_parameters" in state:  # a registered name keeps its kind: None or a buffer only
            if name in state["_parameters"]:
                self._set_none_or_fail(name, value, "_parameters", "nn.Parameter or None")
                return
            if name in state["_modules"]:
                self._set_none_or_fail(name, value, "_modules", "nn.Module or None")
                return
            if name in state["_buffers"]:
                self._set_buffer(name, value)
                return
        object.__setattr__(self, name, value)

    def _set_none_or_fail(self, name, value, kind, expected) -> None:
        if value is not None:
            raise TypeError(
                f"cannot assign '{type(value).__name__}' as {kind[1:-1]} '{name}' "
                f"({expected} expected)"
            )
        self.__dict__[kind][name] = None
        self.__dict__[name] = None

    def _set_buffer(self, name, value) -> None:
        if value is not None and not isinstance(value, (np.ndarray, Tensor)):
            raise TypeError(
                f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                f"(a NumPy array, Tensor or None expected)"
            )
        self._buffers[name] = value
        self.__dict__[name] = value

    def _forget(self, name: str) -> None:
        """Remove ``name`` from every registry (before registering it again)."""
        for kind in _REGISTRIES:
            self.__dict__[kind].pop(name, None)
        self._non_persistent.discard(name)

    def __delattr__(self, name: str) -> None:
        if "_parameters" in self.__dict__:
            self._forget(name)
        object.__delattr__(self, name)

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails, so it costs nothing on the hot path.
        if name in _REGISTRIES or name in ("training", "_non_persistent"):
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '{name}': did "
                f"{type(self).__name__}.__init__ call super().__init__() first?"
            )
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or None: a slot, e.g. no bias) under ``name``.

        Example:
            >>> from glassnet import nn
            >>> m = nn.Module()
            >>> m.register_parameter("bias", None)
            >>> list(m.parameters()), m.bias
            ([], None)
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before "
                                 f"register_parameter('{name}', ...)")
        _check_key("parameter", name)
        if param is None:
            self._forget(name)
            self._parameters[name] = None
            self.__dict__[name] = None
        elif not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' as parameter '{name}' "
                            f"(nn.Parameter or None expected)")
        else:
            setattr(self, name, param)

    def register_buffer(self, name: str, value, persistent: bool = True) -> None:
        """Register a non-trained array (e.g. batch norm's running mean) under ``name``.

        Buffers are NumPy arrays or Tensors; ``state_dict()`` saves them unless
        ``persistent=False``; ``to(dtype)`` converts float buffers.

        Example:
            >>> import numpy as np
            >>> from glassnet import nn
            >>> m = nn.Module()
            >>> m.register_buffer("running_mean", np.zeros(3))
            >>> list(m.state_dict())
            ['running_mean']
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before "
                                 f"register_buffer('{name}', ...)")
        _check_key("buffer", name)
        if name in self.__dict__ and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists on {type(self).__name__}")
        self._forget(name)
        self._set_buffer(name, value)
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: "Module | None") -> None:
        """Register ``module`` as a child under ``name`` (what attribute assignment does).

        Example:
            >>> from glassnet import nn
            >>> m = nn.Module()
            >>> m.add_module("act", nn.ReLU())
            >>> [name for name, _ in m.named_children()]
            ['act']
        """
        _check_key("module", name)
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module('{name}', ...): expected a Module, received "
                            f"{type(module).__name__}")
        if "_modules" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before "
                                 f"adding sub-module '{name}'")
        if module is None:
            self._forget(name)
            self._modules[name] = None
            self.__dict__[name] = None
        else:
            setattr(self, name, module)

    # -- names ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """A Keras-style name for summaries and error messages (made on first use)."""
        name = self.__dict__.get("_name")
        if name is None:
            name = unique_name(_snake_case(type(self).__name__))
            self.__dict__["_name"] = name
        return name

    @name.setter
    def name(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise TypeError(f"A module name must be a non-empty string, received {value!r}")
        self.__dict__["_name"] = value

    # -- walking the tree ----------------------------------------------------------------
    def named_modules(self, memo: set | None = None, prefix: str = ""):
        """Yield (dotted name, module) for this module and every descendant, each once.

        Example:
            >>> from glassnet import nn
            >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
            >>> [name for name, _ in net.named_modules()]
            ['', '0', '1']
        """
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name)

    def modules(self):
        """Yield this module and every descendant, each once, in ``named_modules`` order."""
        seen = set()
        stack = [self]
        while stack:  # pre-order walk without building names (parameters() calls it often)
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield module
            stack.extend(child for child in reversed(module._modules.values())
                         if child is not None)

    def named_children(self):
        """Yield (name, module) for the direct children, in registration order."""
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self):
        """Yield the direct child modules."""
        for _, child in self.named_children():
            yield child

    def named_parameters(self, prefix: str = "", recurse: bool = True):
        """Yield (dotted name, Parameter); a parameter shared by two layers comes once.

        Example:
            >>> from glassnet import nn
            >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
            >>> [(name, p.shape) for name, p in net.named_parameters()]
            [('0.weight', (2, 3)), ('0.bias', (3,)), ('2.weight', (3, 1)), ('2.bias', (1,))]
        """
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, param in module._parameters.items():
                if param is None or id(param) in seen:
                    continue
                seen.add(id(param))
                yield (f"{module_name}.{name}" if module_name else name), param

    def parameters(self, recurse: bool = True):
        """Yield every Parameter, each once (give them to an optimizer)."""
        seen = set()
        for module in self.modules() if recurse else (self,):
            for param in module._parameters.values():
                if param is not None and id(param) not in seen:
                    seen.add(id(param))
                    yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True):
        """Yield (dotted name, buffer) for every registered buffer that is not None."""
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self, recurse: bool = True):
        """Yield every buffer."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def num_parameters(self, trainable_only: bool = False) -> int:
        """The number of weights (numbers), optionally only those with requires_grad.

        Example:
            >>> from glassnet import nn
            >>> nn.Linear(4, 2).num_parameters()      # 4*2 weights + 2 biases
            10
        """
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not trainable_only)

    # -- modes and bulk changes ----------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Set training mode (dropout on, batch statistics) here and in every sub-module.

        Example:
            >>> from glassnet import nn
            >>> net = nn.Sequential(nn.Dropout(0.5))
            >>> net.eval()[0].training, net.train()[0].training
            (False, True)
        """
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): mode must be True or False, received {mode!r}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> "Module":
        """Set evaluation mode (dropout off, running statistics); same as ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (set them to None, or to zeros)."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad.fill(0)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Switch gradient tracking of every parameter on or off (freeze a layer)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def apply(self, fn) -> "Module":
        """Call ``fn(module)`` on every sub-module (children first), then on self.

        Example:
            >>> from glassnet import nn
            >>> net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
            >>> def zero_biases(m):
            ...     if isinstance(m, nn.Linear):
            ...         nn.init.zeros_(m.bias)
            >>> float(net.apply(zero_biases)[1].bias.sum().item())
            0.0
        """
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *targets, dtype=None, device=None) -> "Module":
        """Convert every float parameter, gradient and buffer to ``dtype``, in place.

        The Parameter objects stay the same (an optimizer built on them keeps working).
        A device (``to("cpu")``, ``to(gn.device("cpu"))``) is accepted and changes nothing:
        glassnet runs on the CPU, and any other device ("cuda") raises RuntimeError.

        Args:
            *targets: a dtype and/or a device, as PyTorch's ``model.to(device)``.
            dtype: the float dtype, as a keyword.
            device: the device, as a keyword.

        Returns:
            This module (so ``model = Net().to(device)`` works).

        Example:
            >>> from glassnet import nn
            >>> nn.Linear(2, 1).double().weight.dtype
            dtype('float64')
            >>> layer = nn.Linear(2, 1)
            >>> layer.to("cpu") is layer
            True
        """
        dtype = backend.to_arguments(targets, dtype, device, "Module.to")
        if dtype is None:
            return self
        dtype = backend.as_dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Module.to: expected a float dtype, received {dtype}")
        for module in self.modules():
            for param in module._parameters.values():
                if param is not None:
                    param.data = param.data.astype(dtype, copy=False)
                    if param.grad is not None:
                        param.grad = param.grad.astype(dtype, copy=False)
            for name, buffer in module._buffers.items():
                if buffer is not None and buffer.dtype.kind == "f":
                    if isinstance(buffer, Tensor):
                        buffer.data = buffer.data.astype(dtype, copy=False)
                    else:
                        module._set_buffer(name, buffer.astype(dtype, copy=False))
            if "_param_dtype" in module.__dict__:  # lazy layers build in this dtype later
                module._param_dtype = dtype
        return self

    def cpu(self) -> "Module":
        """This module: its weights are on the CPU already (glassnet's only device)."""
        return self

    def double(self) -> "Module":
        """``to(float64)``: for gradient checks and high-precision comparisons."""
        return self.to(backend.float64)

    def float(self) -> "Module":
        """``to(float32)``."""
        return self.to(backend.float32)

    # -- regularization ------------------------------------------------------------------
    def penalties(self):
        """Yield (regularizer, parameter) pairs of THIS module (layers with regularizers).

        ``Dense(kernel_regularizer=...)`` overrides it; ``regularization_loss`` sums them.
        """
        return ()

    def regularization_loss(self) -> Tensor:
        """The sum of every layer's weight penalties (e.g. ``L2(0.01)``), a scalar Tensor.

        The Keras-style fit loop adds it to the loss. Zero (in the parameters' dtype)
        when no layer has a regularizer.

        Example:
            >>> import numpy as np
            >>> from glassnet import nn
            >>> layer = nn.Dense(2, input_dim=2, kernel_regularizer=nn.regularizers.L2(0.01))
            >>> layer.weight.data[...] = [[1.0, 2.0], [3.0, 4.0]]
            >>> round(layer.regularization_loss().item(), 6)   # 0.01 * (1 + 4 + 9 + 16)
            0.3
        """
        total = None
        for module in self.modules():
            for regularizer, param in module.penalties():
                if regularizer is None or param is None:
                    continue
                penalty = regularizer(param)
                total = penalty if total is None else total + penalty
        if total is None:
            first = next(self.parameters(), None)
            dtype = first.dtype if first is not None else backend.get_default_dtype()
            return Tensor._from_op(np.zeros((), dtype=dtype), None)
        return total

    # -- saving and loading --------------------------------------------------------------
    def state_dict(self) -> OrderedDict:
        """Copies of every parameter and persistent buffer, by dotted name (NumPy arrays).

        Example:
            >>> from glassnet import nn
            >>> state = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).state_dict()
            >>> [(k, v.shape) for k, v in state.items()]       # doctest: +NORMALIZE_WHITESPACE
            [('0.weight', (2, 3)), ('0.bias', (3,)), ('1.weight', (3,)), ('1.bias', (3,)),
             ('1.running_mean', (3,)), ('1.running_var', (3,)), ('1.num_batches_tracked', ())]
        """
        state = OrderedDict()
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, param in module._parameters.items():
                if param is not None:
                    state[prefix + name] = np.array(param.data, copy=True)
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    state[prefix + name] = np.array(np.asarray(buffer), copy=True)
        return state

    def _state_targets(self) -> dict:
        """Dotted name -> the array that ``load_state_dict`` copies into."""
        targets = {}
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, param in module._parameters.items():
                if param is not None:
                    targets[prefix + name] = param.data
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    targets[prefix + name] = buffer.data if isinstance(buffer, Tensor) else buffer
        return targets

    def _build_from_state(self, state, prefix: str) -> None:
        """Lazy layers create their weights from the saved shapes before loading."""

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy saved values into this module's parameters and buffers, in place.

        The arrays are overwritten, not replaced, so an optimizer created earlier keeps
        working. Lazy layers (``Dense`` before its first call) are built from the saved
        shapes.

        Args:
            state_dict: a mapping of dotted names to arrays (``state_dict()``'s output).
            strict: require exactly the same keys (otherwise missing and unexpected keys
                are returned, not raised).

        Returns:
            IncompatibleKeys(missing_keys, unexpected_keys).

        Raises:
            RuntimeError: listing missing/unexpected keys (strict) and any shape mismatch.

        Example:
            >>> from glassnet import nn
            >>> a, b = nn.Linear(2, 2, rng=0), nn.Linear(2, 2, rng=1)
            >>> b.load_state_dict(a.state_dict())
            IncompatibleKeys(missing_keys=[], unexpected_keys=[])
            >>> import numpy as np
            >>> np.array_equal(a.weight.data, b.weight.data)
            True
        """
        for module_name, module in self.named_modules():
            module._build_from_state(state_dict, f"{module_name}." if module_name else "")
        targets = self._state_targets()
        missing = [key for key in targets if key not in state_dict]
        unexpected = [key for key in state_dict if key not in targets]
        errors = []
        if strict and missing:
            errors.append("Missing key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in missing) + ".")
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in unexpected) + ".")
        for key, target in targets.items():
            if key not in state_dict:
                continue
            value = np.asarray(state_dict[key].data if isinstance(state_dict[key], Tensor)
                               else state_dict[key])
            if value.shape != target.shape:
                hint = ""
                if value.ndim == 2 and value.shape[::-1] == target.shape:
                    hint = (" (a PyTorch (out, in) weight? glassnet stores weights as "
                            "(in, out): transpose it)")
                errors.append(f"size mismatch for {key}: copying a value with shape "
                              f"{value.shape} from the checkpoint, the shape in the current "
                              f"model is {target.shape}{hint}.")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        for key, target in targets.items():
            if key in state_dict:
                value = state_dict[key]
                target[...] = value.data if isinstance(value, Tensor) else value
        return IncompatibleKeys(missing, unexpected)

    def get_weights(self) -> list:
        """Keras's ``layer.get_weights()``: NumPy copies in ``state_dict()`` order.

        Example:
            >>> from glassnet import nn
            >>> [w.shape for w in nn.Dense(2, input_dim=3).get_weights()]
            [(3, 2), (2,)]
        """
        return list(self.state_dict().values())

    def set_weights(self, weights) -> None:
        """Keras's ``layer.set_weights(list)``: copy arrays in ``get_weights()`` order, in place.

        Example:
            >>> import numpy as np
            >>> from glassnet import nn
            >>> layer = nn.Dense(1, input_dim=2)
            >>> layer.set_weights([np.array([[1.0], [2.0]]), np.array([0.5])])
            >>> layer(np.array([[1.0, 1.0]])).item()
            3.5
        """
        names = list(self.state_dict())
        weights = list(weights)
        if len(weights) != len(names):
            raise ValueError(f"{type(self).__name__}.set_weights: expected {len(names)} arrays "
                             f"({', '.join(names) or 'none: the layer is not built yet'}), "
                             f"received {len(weights)}")
        self.load_state_dict(dict(zip(names, weights)))

    # -- printing ------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The settings shown inside ``Name(...)`` when the module is printed."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = []
        for name, child in self._modules.items():
            text = repr(child).replace("\n", "\n  ")
            child_lines.append(f"({name}): {text}")
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif extra_lines or child_lines:
            body = "\n  " + "\n  ".join(extra_lines + child_lines) + "\n"
        return f"{type(self).__name__}({body})"

    # -- configuration (for saving architectures) ----------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments that rebuild this module (JSON-friendly).

        Built-in layers implement it; a custom Module subclass cannot be described this
        way: save its ``state_dict()`` and rebuild the module in code.
        """
        raise NotImplementedError(
            f"{type(self).__name__} does not implement get_config(); save its state_dict() "
            f"and rebuild the module in code, or define get_config()"
        )

    @classmethod
    def from_config(cls, config: dict) -> "Module":
        """Rebuild a module from ``get_config()``'s output.

        Example:
            >>> from glassnet import nn
            >>> nn.Dropout.from_config(nn.Dropout(0.3).get_config())
            Dropout(p=0.3)
        """
        return cls(**config)


def _as_input(x, dtype) -> Tensor:
    """Layer inputs: Tensors as they are; arrays and lists become Tensors of ``dtype``."""
    if isinstance(x, Tensor):
        return x
    array = np.asarray(x)
    if dtype is not None and array.dtype.kind in "fiub":
        return Tensor._from_op(array.astype(dtype, copy=False), None)
    return Tensor(array)
