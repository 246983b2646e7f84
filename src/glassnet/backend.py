"""Dtype policy and randomness: the two settings every other module shares.

glassnet computes in float32 unless told otherwise (fast, and what the big frameworks
use), keeps float64 when asked (gradient checks need it), and never changes a dtype
behind your back. All randomness (initial weights, shuffling, dropout masks) comes from
a ``numpy.random.Generator``: pass your own, or seed the default one with ``seed``.

Example:
    >>> import glassnet as gn
    >>> _ = gn.seed(0)
    >>> a = gn.backend.get_generator().random()
    >>> _ = gn.seed(0)
    >>> bool(a == gn.backend.get_generator().random())
    True
"""

from __future__ import annotations

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)

_DTYPE_NAMES = {
    "float32": float32,
    "float": float32,
    "single": float32,
    "float64": float64,
    "double": float64,
    "int64": int64,
    "long": int64,
    "int32": np.dtype(np.int32),
    "bool": np.dtype(np.bool_),
}

_default_dtype = float32
_generator = np.random.default_rng()


def as_dtype(dtype) -> np.dtype:
    """Turn ``gn.float32``, a NumPy dtype, a Python type or a name into a NumPy dtype.

    Args:
        dtype: ``None`` (the default dtype), ``gn.float32``/``gn.float64``, ``np.float64``,
            ``"float64"``, ``float`` (the default float dtype) or ``int``.

    Returns:
        numpy.dtype

    Example:
        >>> as_dtype("float64"), as_dtype(None), as_dtype(int)
        (dtype('float64'), dtype('float32'), dtype('int64'))
    """
    if dtype is None or dtype is float:
        return _default_dtype
    if dtype is int:
        return int64
    if dtype is bool:
        return np.dtype(np.bool_)
    if isinstance(dtype, str) and dtype in _DTYPE_NAMES:
        return _DTYPE_NAMES[dtype]
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"Unknown dtype {dtype!r}; use gn.float32, gn.float64, a NumPy dtype or one of "
            f"{sorted(_DTYPE_NAMES)}"
        ) from None


def get_default_dtype() -> np.dtype:
    """The float dtype new tensors and parameters get (float32 unless changed).

    Example:
        >>> import glassnet as gn
        >>> get_default_dtype()
        dtype('float32')
        >>> gn.tensor([0.5]).dtype == get_default_dtype()
        True
    """
    return _default_dtype


def set_default_dtype(dtype) -> None:
    """Set the float dtype new tensors and parameters get: float32 or float64.

    Example:
        >>> set_default_dtype("float64"); get_default_dtype()
        dtype('float64')
        >>> set_default_dtype("float32")
    """
    global _default_dtype
    dtype = as_dtype(dtype)
    if dtype not in (float32, float64):
        raise ValueError(f"The default dtype must be float32 or float64, received {dtype}")
    _default_dtype = dtype


def seed(n: int) -> np.random.Generator:
    """Seed glassnet's default random generator and return it.

    Same seed, same data, same machine: bit-identical weights and results.

    Example:
        >>> import glassnet as gn
        >>> int(gn.seed(42).integers(100))
        8
    """
    global _generator
    _generator = np.random.default_rng(n)
    return _generator


def get_generator(rng=None) -> np.random.Generator:
    """Resolve a ``random_state``-style argument into a ``numpy.random.Generator``.

    Args:
        rng: ``None`` (glassnet's default generator, seeded by ``seed``), an int seed
            (a fresh generator seeded with it) or a ``numpy.random.Generator`` (used as is).

    Example:
        >>> bool(get_generator(0).integers(10) == get_generator(0).integers(10))
        True
    """
    if rng is None:
        return _generator
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    if isinstance(rng, np.random.RandomState):
        return np.random.default_rng(rng.randint(0, 2**31 - 1))
    raise TypeError(
        f"Expected None, an int seed or a numpy.random.Generator, received {type(rng).__name__}"
    )
