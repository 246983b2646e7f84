"""The fully connected layer, written the way the maths is: ``z = x @ W + b``.

One class underneath two front doors:

* ``nn.Linear(in_features, out_features)`` - PyTorch's: eager, PyTorch's initialisation.
* ``nn.Dense(units, activation="relu")`` - Keras's: the input width is read from the
  first batch (``build``), Glorot-uniform weights, zero biases, an optional activation
  and weight penalties.

Example (the tutorials' 4-input, 2-node ReLU layer):
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> layer = nn.Dense(2, activation="relu", input_dim=4)
    >>> layer.weight.data[...] = [[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]]
    >>> layer.bias.data[...] = [0.1, -0.2]
    >>> layer(gn.tensor([[1.0, 0.5, -1.0, 2.0]])).data   # z = [0.95, -1.3], relu -> [0.95, 0]
    array([[0.95, 0.  ]], dtype=float32)
"""

from __future__ import annotations

import math

import numpy as np

from glassnet import backend
from glassnet import functional as F
from glassnet.nn import init
from glassnet.nn.activation import (
    Identity,
    ReLU,
    activation_config,
    activation_name_of,
    get_activation,
)
from glassnet.nn.module import Module, Parameter, _as_input, unique_name
from glassnet.nn.regularizers import get_regularizer, regularizer_config


def _is_positive_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value > 0


class Linear(Module):
    """A fully connected layer: ``z = x @ W + b``.

    Every output unit j computes ``z_j = sum_i x_i * W[i, j] + b_j``: a weighted sum of
    all inputs plus a bias.

    Args:
        in_features: the width of each input row.
        out_features: the number of output units.
        bias: learn a bias b (default True).
        rng: a ``numpy.random.Generator`` or int seed for the initial weights (default:
            glassnet's generator, seeded by ``gn.seed``).
        dtype: the parameters' dtype (default float32).

    Attributes:
        weight: W, shape (in_features, out_features) - unlike PyTorch's (out, in), so the
            code reads ``x @ W + b``. Initialised as PyTorch does: U(-k, k) with
            k = 1 / sqrt(in_features) (Kaiming-uniform with a = sqrt(5)).
        bias: b, shape (out_features,), U(-k, k); None when ``bias=False``.

    Shape:
        input (N, in_features) or (..., in_features); output (..., out_features).

    Example:
        >>> import glassnet as gn
        >>> layer = Linear(4, 2, rng=0)
        >>> layer
        Linear(in_features=4, out_features=2, bias=True)
        >>> layer(gn.ones(3, 4)).shape, layer.weight.shape
        ((3, 2), (4, 2))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *, rng=None,
                 dtype=None):
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not _is_positive_int(value):
                raise ValueError(f"Linear: {name} must be a positive integer, "
                                 f"received {value!r}")
        self._setup(out_features, bias, rng, dtype)
        self.build((None, in_features))

    def _setup(self, out_features, use_bias, rng, dtype) -> None:
        """The state shared by Linear and Dense, before the weights exist."""
        self.in_features = None
        self.out_features = int(out_features)
        self.use_bias = bool(use_bias)
        self._rng = None if rng is None else backend.get_generator(rng)
        self._param_dtype = None if dtype is None else backend.as_dtype(dtype)
        self.kernel_initializer = None  # None: PyTorch's default initialisation
        self.bias_initializer = None
        self.kernel_regularizer = None
        self.bias_regularizer = None
        # the activation is part of this layer, not a child module: kept out of the registry
        self.__dict__["activation"] = None
        self.built = False
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)

    # -- weights -------------------------------------------------------------------------
    def build(self, input_shape) -> None:
        """Create W (in, out) and b for inputs whose last axis is ``input_shape[-1]``.

        ``Dense`` calls it on its first batch (Keras's lazy build); ``Linear`` at once.
        """
        in_features = input_shape[-1] if len(input_shape) else None
        if not _is_positive_int(in_features):
            raise ValueError(f"{self._where()}: cannot build from input shape "
                             f"{tuple(input_shape)}; the last axis must be the features")
        if self.built:  # building twice would orphan the Parameters an optimizer holds
            if in_features == self.in_features:
                return
            raise ValueError(f"{self._where()}: already built for {self.in_features} input "
                             f"features, cannot rebuild for input shape {tuple(input_shape)}")
        dtype = self._param_dtype or backend.get_default_dtype()
        self.in_features = int(in_features)
        self.weight = Parameter(np.empty((self.in_features, self.out_features), dtype=dtype))
        if self.use_bias:
            self.bias = Parameter(np.empty(self.out_features, dtype=dtype))
        self.built = True
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh initial weights (the layer's initializers, or PyTorch's default)."""
        rng = backend.get_generator(self._rng)
        if self.kernel_initializer is None:
            # PyTorch: kaiming_uniform_(W, a=sqrt(5)) is U(-1/sqrt(in), 1/sqrt(in)); same for b
            init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
            if self.bias is not None:
                bound = 1.0 / math.sqrt(self.in_features)
                init.uniform_(self.bias, -bound, bound, rng=rng)
            return
        init.get_initializer(self.kernel_initializer)(self.weight, rng=rng)
        if self.bias is not None:
            init.get_initializer(self.bias_initializer)(self.bias, rng=rng)

    @property
    def kernel(self) -> Parameter | None:
        """Keras's name for ``weight`` (shape (in, out))."""
        return self.weight

    @property
    def units(self) -> int:
        """Keras's name for ``out_features``."""
        return self.out_features

    @property
    def activation_name(self) -> str | None:
        """The activation's table name ("relu", "sigmoid", "softmax", ...; "linear" if none).

        None for a custom callable. The Keras-style fit loop reads it to fuse a final
        sigmoid/softmax with the matching cross-entropy (see ``forward``).
        """
        return "linear" if self.activation is None else activation_name_of(self.activation)

    # -- forward -------------------------------------------------------------------------
    def _where(self) -> str:
        return f"Linear({self.in_features} -> {self.out_features})"

    def forward(self, x, apply_activation: bool = True):
        """``activation(x @ W + b)``.

        Args:
            x: inputs (..., in_features): a Tensor, NumPy array or list (arrays take the
                weights' dtype).
            apply_activation: False returns the pre-activation z = x @ W + b (the logits
                of an output layer), which the fit loop feeds to a fused, stable loss.
        """
        if not self.built:
            x = _as_input(x, self._param_dtype or backend.get_default_dtype())
            if x.ndim == 0:
                raise ValueError(f"{self._where()}: expected input with a feature axis "
                                 f"(N, features), received shape {x.shape}")
            self.build(x.shape)
        else:
            x = _as_input(x, self.weight.dtype)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"{self._where()}: expected input with {self.in_features} "
                             f"features, received shape {x.shape}")
        z = F.linear(x, self.weight, self.bias)
        if not apply_activation or self.activation is None:
            return z
        if not z.requires_grad and isinstance(self.activation, ReLU):
            np.maximum(z.data, 0, out=z.data)  # no graph (predict): z is ours, rectify in place
            return z
        return self.activation(z)

    # -- regularization, saving, printing ------------------------------------------------
    def penalties(self):
        return ((self.kernel_regularizer, self.weight), (self.bias_regularizer, self.bias))

    def _build_from_state(self, state, prefix: str) -> None:
        saved = state.get(prefix + "weight")
        if not self.built and saved is not None and np.ndim(saved) == 2:
            self.build((None, np.shape(saved)[0]))

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")

    def _dtype_name(self) -> str | None:
        if self.weight is not None:
            return str(self.weight.dtype)
        return None if self._param_dtype is None else str(self._param_dtype)

    def get_config(self) -> dict:
        return {"in_features": self.in_features, "out_features": self.out_features,
                "bias": self.use_bias, "dtype": self._dtype_name()}


class Dense(Linear):
    """Keras's fully connected layer: ``activation(x @ kernel + bias)``, built lazily.

    The same class as ``Linear`` underneath (``isinstance(Dense(2), nn.Linear)``); the
    input width is read from the first batch (or given by ``input_shape``/``input_dim``).

    Args:
        units: the number of output units (> 0).
        activation: a name ("relu", "sigmoid", "softmax", "tanh", ... see
            ``nn.activation.ACTIVATIONS``), None ("linear"), a Module or a callable.
        use_bias: learn a bias (default True).
        kernel_initializer: a name from ``nn.init.INITIALIZERS`` or ``fn(tensor, rng=None)``;
            default "glorot_uniform" (Keras's). Use "he_uniform"/"he_normal" under ReLU.
        bias_initializer: default "zeros".
        kernel_regularizer: None, "l1", "l2", "l1_l2" or a penalty callable (e.g.
            ``nn.regularizers.L2(1e-4)``); summed by ``model.regularization_loss()``.
        bias_regularizer: the same for the bias.
        input_shape: the shape of one sample, e.g. ``(4,)``: build the weights now.
        input_dim: the same as ``input_shape=(input_dim,)``.
        name: the layer name (default "dense", "dense_1", ...).
        rng: Generator or int seed for the initial weights.
        dtype: the parameters' dtype (default float32).

    Attributes:
        weight (alias ``kernel``): shape (in_features, units), unlike PyTorch's (out, in);
            drawn by ``kernel_initializer`` when the layer is built. None before.
        bias: shape (units,), from ``bias_initializer``; None before the build or without
            a bias.
        built: whether the weights exist yet. ``parameters()`` yields nothing before.
        activation_name: the activation's table name ("linear" when none).

    Shape:
        input (N, in_features) or (..., in_features); output (..., units).

    The fit loop's fusion hook: ``layer(x, apply_activation=False)`` returns the
    pre-activation z (logits), so a final "sigmoid"/"softmax" can be folded into a stable
    cross-entropy from logits.

    Example:
        >>> import glassnet as gn
        >>> layer = Dense(3, activation="relu")
        >>> layer.built, list(layer.parameters())
        (False, [])
        >>> layer(gn.ones(5, 4)).shape, layer.kernel.shape, layer.built
        ((5, 3), (4, 3), True)
        >>> layer
        Dense(in_features=4, units=3, activation='relu')
    """

    def __init__(self, units: int, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, input_shape=None,
                 input_dim=None, name: str | None = None, rng=None, dtype=None):
        Module.__init__(self)
        if not _is_positive_int(units):
            raise ValueError(f"Dense: units must be a positive integer. Received: units={units!r}")
        self._setup(units, use_bias, rng, dtype)
        self.name = name if name is not None else unique_name("dense")
        init.get_initializer(kernel_initializer)  # unknown names fail here, not at build
        init.get_initializer(bias_initializer)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = get_regularizer(kernel_regularizer)
        self.bias_regularizer = get_regularizer(bias_regularizer)
        resolved = get_activation(activation)
        self.__dict__["activation"] = None if isinstance(resolved, Identity) else resolved
        if input_dim is not None:
            input_shape = (input_dim,)
        if input_shape is not None:
            if not isinstance(input_shape, (tuple, list)):
                raise TypeError(f"Dense '{self.name}': input_shape must be a tuple such as "
                                f"(4,), received {input_shape!r}")
            self.build((None, *input_shape))

    def _where(self) -> str:
        return f"Dense '{self.name}'"

    def extra_repr(self) -> str:
        text = f"in_features={self.in_features}, units={self.out_features}, " \
               f"activation={self.activation_name!r}"
        return text if self.use_bias else text + ", use_bias=False"

    def get_config(self) -> dict:
        def initializer(spec):
            name = init.initializer_name(spec)
            if name is None:
                raise TypeError(f"Dense '{self.name}': cannot describe the custom initializer "
                                f"{spec!r} in a config")
            return name

        activation = "linear" if self.activation is None else activation_config(self.activation)
        return {
            "units": self.out_features,
            "activation": activation,
            "use_bias": self.use_bias,
            "kernel_initializer": initializer(self.kernel_initializer),
            "bias_initializer": initializer(self.bias_initializer),
            "kernel_regularizer": regularizer_config(self.kernel_regularizer),
            "bias_regularizer": regularizer_config(self.bias_regularizer),
            "input_dim": self.in_features,
            "name": self.name,
            "dtype": self._dtype_name(),
        }
