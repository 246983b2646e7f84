"""Weight initialisation: how a network's weights start decides whether it can learn.

Every function fills a Parameter/Tensor (or NumPy array) in place and returns it; random
ones take ``rng=`` (a ``numpy.random.Generator``, an int seed, or None for glassnet's
default generator seeded by ``gn.seed``).

Which to use:
    * zeros/ones/constant: for biases. Never for weights: every unit of a layer would
      compute the same thing and get the same gradient, forever (symmetry: no learning).
    * small random (N(0, 1) * 0.01): the tutorials' classic; fine for shallow nets, too
      small for deep ones (signals shrink layer by layer).
    * Xavier/Glorot: keeps the variance of activations and gradients about constant
      across layers for sigmoid and tanh. Var(W) = 2 / (fan_in + fan_out).
    * He/Kaiming: the same idea for ReLU, which zeroes half its inputs: Var(W) = 2 / fan_in.

Fans follow glassnet's weight layout (in, out), unlike PyTorch's (out, in):
``fan_in = shape[0]``, ``fan_out = shape[1]``; for kernels (..., in, out) both are
multiplied by the receptive field size ``prod(shape[:-2])``.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> w = nn.init.xavier_uniform_(gn.zeros(400, 600), rng=0)   # limit sqrt(6 / 1000)
    >>> round(float(w.data.std()), 3), round((2 / 1000) ** 0.5, 3)
    (0.045, 0.045)
"""

from __future__ import annotations

import math

import numpy as np

from glassnet import backend
from glassnet.nn.module import _snake_case
from glassnet.tensor import Tensor


def _array(tensor) -> np.ndarray:
    array = tensor.data if isinstance(tensor, Tensor) else tensor
    if not isinstance(array, np.ndarray):
        raise TypeError(f"init: expected a Parameter, Tensor or NumPy array, received "
                        f"{type(tensor).__name__}")
    return array


def _fill(tensor, values):
    """Write ``values`` into the tensor's array in place (keeping its dtype) and return it."""
    _array(tensor)[...] = values
    return tensor


def compute_fans(shape: tuple) -> tuple:
    """(fan_in, fan_out) for a weight of ``shape`` in glassnet's (in, out) layout.

    2-D (in, out): (shape[0], shape[1]). N-D kernels (..., in, out): both times
    ``prod(shape[:-2])``. 1-D (e.g. a bias): (shape[0], shape[0]), as Keras does.

    Example:
        >>> compute_fans((4, 2)), compute_fans((3, 3, 16, 32))
        ((4, 2), (144, 288))
    """
    if len(shape) == 0:
        raise ValueError("init: cannot compute fans of a 0-d tensor (a single number)")
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended scale for an activation (PyTorch's table).

    linear/sigmoid: 1, tanh: 5/3, relu: sqrt(2), leaky_relu: sqrt(2 / (1 + slope^2)),
    selu: 3/4.

    Example:
        >>> round(calculate_gain("relu"), 4), round(calculate_gain("tanh"), 4)
        (1.4142, 1.6667)
    """
    if nonlinearity in ("linear", "sigmoid", "identity"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; expected one of "
                     f"['leaky_relu', 'linear', 'relu', 'selu', 'sigmoid', 'tanh']")


# ----------------------------------------------------------------------------- constants


def zeros_(tensor, rng=None):
    """Fill with 0. Right for biases; for weights it stops learning (symmetry).

    Example:
        >>> import glassnet as gn
        >>> zeros_(gn.ones(3))
        tensor([0., 0., 0.])
    """
    return _fill(tensor, 0)


def ones_(tensor, rng=None):
    """Fill with 1 (e.g. batch-norm scales).

    Example:
        >>> import glassnet as gn
        >>> ones_(gn.zeros(2))
        tensor([1., 1.])
    """
    return _fill(tensor, 1)


def constant_(tensor, value: float, rng=None):
    """Fill with ``value``.

    Example:
        >>> import glassnet as gn
        >>> constant_(gn.zeros(2), 0.1)
        tensor([0.1, 0.1])
    """
    return _fill(tensor, value)


# ----------------------------------------------------------------------------- random


def normal_(tensor, mean: float = 0.0, std: float = 1.0, rng=None):
    """Fill with draws from N(mean, std^2).

    Example:
        >>> import glassnet as gn
        >>> w = normal_(gn.zeros(10000), mean=1.0, std=0.5, rng=0)
        >>> round(float(w.data.mean()), 2), round(float(w.data.std()), 2)
        (1.0, 0.5)
    """
    if std < 0:
        raise ValueError(f"normal_: std must be >= 0, received {std}")
    array = _array(tensor)
    return _fill(tensor, backend.get_generator(rng).normal(mean, std, size=array.shape))


def uniform_(tensor, a: float = 0.0, b: float = 1.0, rng=None):
    """Fill with draws from U(a, b).

    Example:
        >>> import glassnet as gn
        >>> w = uniform_(gn.zeros(1000), -0.1, 0.1, rng=0)
        >>> bool(w.data.min() >= -0.1 and w.data.max() < 0.1)
        True
    """
    if b < a:
        raise ValueError(f"uniform_: need a <= b, received a={a}, b={b}")
    array = _array(tensor)
    return _fill(tensor, backend.get_generator(rng).uniform(a, b, size=array.shape))


def small_random_(tensor, scale: float = 0.01, rng=None):
    """The tutorials' "small random" weights: N(0, 1) * 0.01.

    Breaks symmetry and keeps sigmoid/tanh units in their linear, non-saturated range;
    fine for shallow networks, but in deep ones the signal shrinks layer after layer.

    Example:
        >>> import glassnet as gn
        >>> w = small_random_(gn.zeros(10000), rng=0)
        >>> round(float(w.data.std()), 3)
        0.01
    """
    array = _array(tensor)
    return _fill(tensor, backend.get_generator(rng).standard_normal(array.shape) * scale)


def xavier_uniform_(tensor, gain: float = 1.0, rng=None):
    """Xavier/Glorot uniform: U(-limit, limit), limit = gain * sqrt(6 / (fan_in + fan_out)).

    For sigmoid and tanh layers (Glorot & Bengio, 2010): the variance
    2 / (fan_in + fan_out) keeps signals and gradients about the same size across
    layers. Keras's default kernel initializer ("glorot_uniform").

    Example:
        >>> import glassnet as gn
        >>> w = xavier_uniform_(gn.zeros(4, 2), rng=0)     # limit sqrt(6 / 6) = 1
        >>> bool(abs(w.data).max() <= 1.0)
        True
    """
    fan_in, fan_out = compute_fans(_array(tensor).shape)
    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -limit, limit, rng=rng)


def xavier_normal_(tensor, gain: float = 1.0, rng=None):
    """Xavier/Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)).

    For sigmoid and tanh layers. (Keras's "glorot_normal" draws from a truncated normal
    with the same variance; this is PyTorch's plain normal.)

    Example:
        >>> import glassnet as gn
        >>> w = xavier_normal_(gn.zeros(500, 300), rng=0)  # std sqrt(2 / 800) = 0.05
        >>> round(float(w.data.std()), 3)
        0.05
    """
    fan_in, fan_out = compute_fans(_array(tensor).shape)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng=rng)


def _kaiming_std(tensor, a, mode, nonlinearity) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming init: mode must be 'fan_in' or 'fan_out', received {mode!r}")
    fan_in, fan_out = compute_fans(_array(tensor).shape)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", rng=None):
    """He/Kaiming uniform: U(-bound, bound), bound = gain * sqrt(3 / fan).

    For ReLU layers (He et al., 2015): ReLU zeroes half its inputs, so the weights need
    twice Xavier's variance, Var(W) = 2 / fan_in (gain sqrt(2) for a = 0), to keep the
    signal from shrinking. ``a`` is the negative slope of a leaky ReLU.

    Example:
        >>> import glassnet as gn
        >>> w = kaiming_uniform_(gn.zeros(600, 400), rng=0)    # std sqrt(2 / 600)
        >>> round(float(w.data.std()), 3), round((2 / 600) ** 0.5, 3)
        (0.058, 0.058)
    """
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, rng=rng)


def kaiming_normal_(tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", rng=None):
    """He/Kaiming normal: N(0, std^2), std = gain / sqrt(fan) = sqrt(2 / fan_in) for ReLU.

    For ReLU layers. (Keras's "he_normal" truncates the normal; same variance.)

    Example:
        >>> import glassnet as gn
        >>> w = kaiming_normal_(gn.zeros(800, 200), rng=0)     # std sqrt(2 / 800) = 0.05
        >>> round(float(w.data.std()), 3)
        0.05
    """
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), rng=rng)


# Keras's names for the same functions.
glorot_uniform = xavier_uniform_
glorot_normal = xavier_normal_
he_uniform = kaiming_uniform_
he_normal = kaiming_normal_


def random_normal(tensor, rng=None):
    """Keras's "random_normal": fill ``tensor`` in place with w ~ N(0, 0.05^2).

    Example:
        >>> import glassnet as gn
        >>> w = gn.zeros(1000, 20)
        >>> _ = random_normal(w, rng=0)
        >>> round(float(w.data.std()), 3)
        0.05
    """
    return normal_(tensor, 0.0, 0.05, rng=rng)


def random_uniform(tensor, rng=None):
    """Keras's "random_uniform": fill ``tensor`` in place with w ~ U(-0.05, 0.05).

    Example:
        >>> import glassnet as gn
        >>> w = gn.zeros(1000, 20)
        >>> _ = random_uniform(w, rng=0)
        >>> round(float(w.data.min()), 2), round(float(w.data.max()), 2)
        (-0.05, 0.05)
    """
    return uniform_(tensor, -0.05, 0.05, rng=rng)


# ----------------------------------------------------------------------------- names

#: initializer names (Keras's, plus PyTorch's spellings) -> function(tensor, rng=None).
INITIALIZERS = {
    "zeros": zeros_,
    "ones": ones_,
    "random_normal": random_normal,
    "normal": random_normal,
    "random_uniform": random_uniform,
    "uniform": random_uniform,
    "small_random": small_random_,
    "glorot_uniform": xavier_uniform_,
    "xavier_uniform": xavier_uniform_,
    "glorot_normal": xavier_normal_,
    "xavier_normal": xavier_normal_,
    "he_uniform": kaiming_uniform_,
    "kaiming_uniform": kaiming_uniform_,
    "he_normal": kaiming_normal_,
    "kaiming_normal": kaiming_normal_,
}


def get_initializer(initializer):
    """Resolve a name ("glorot_uniform", "he_normal", "zeros", ...) or a callable.

    Names are case-insensitive and accept Keras's class spellings ("GlorotUniform").
    A callable must fill a tensor in place: ``init(tensor, rng=None)``.

    Raises:
        ValueError: for an unknown name, listing the valid ones.

    Example:
        >>> get_initializer("HeNormal") is kaiming_normal_
        True
    """
    if callable(initializer):
        return initializer
    if not isinstance(initializer, str):
        raise TypeError(f"An initializer must be a name or a callable, received "
                        f"{type(initializer).__name__}")
    key = _snake_case(initializer.strip())
    if key not in INITIALIZERS:
        raise ValueError(f"Unknown initializer {initializer!r}. Valid names: "
                         f"{', '.join(sorted(INITIALIZERS))}")
    return INITIALIZERS[key]


def initializer_name(initializer) -> str | None:
    """The table name of an initializer (a name or one of this module's functions).

    A custom callable has no name (None); an unknown name raises ValueError.

    Example:
        >>> initializer_name("he_normal"), initializer_name(kaiming_normal_)
        ('he_normal', 'he_normal')
        >>> initializer_name(lambda tensor, rng=None: tensor) is None
        True
    """
    if isinstance(initializer, str):
        get_initializer(initializer)  # raises for an unknown name
        return initializer
    for name, function in INITIALIZERS.items():
        if function is initializer:
            return name
    return None

