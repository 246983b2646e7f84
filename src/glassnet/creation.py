"""Ways to make tensors: from data, filled with a value, ranges and random numbers.

Floating-point results are float32 unless ``dtype`` says otherwise; random ones come
from glassnet's default generator (``gn.seed``) or the ``rng`` you pass.

Example:
    >>> import glassnet as gn
    >>> gn.zeros(2, 3).shape
    (2, 3)
    >>> gn.arange(3)
    tensor([0, 1, 2])
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.tensor import Tensor


def _shape(shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def tensor(data, dtype=None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``.

    Floats become float32 unless ``dtype`` is given; integer data (class labels) stays
    int64.

    Example:
        >>> import glassnet as gn
        >>> gn.tensor([[1.0, 0.5]]).dtype, gn.tensor([1, 2]).dtype
        (dtype('float32'), dtype('int64'))
    """
    t = Tensor(np.array(data.data if isinstance(data, Tensor) else data, copy=True), dtype=dtype)
    return t.requires_grad_(requires_grad) if requires_grad else t


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares memory with ``array`` and keeps its dtype (no conversion)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, received {type(array).__name__}")
    return Tensor._from_op(array, None)


def _filled(shape, value, dtype, requires_grad) -> Tensor:
    data = np.full(_shape(shape), value, dtype=backend.as_dtype(dtype))
    return Tensor(data, requires_grad=requires_grad, dtype=data.dtype)


def zeros(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros. Example: ``gn.zeros(2, 3)`` or ``gn.zeros((2, 3))``."""
    return _filled(shape, 0, dtype, requires_grad)


def ones(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones. Example: ``gn.ones(4)``."""
    return _filled(shape, 1, dtype, requires_grad)


def full(shape, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``. Example: ``gn.full((2, 2), 0.5)``."""
    return _filled((shape,), fill_value, dtype, requires_grad)


def zeros_like(other, dtype=None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and dtype, unless given) of ``other``."""
    other = other if isinstance(other, Tensor) else Tensor(other)
    return zeros(other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad)


def ones_like(other, dtype=None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and dtype, unless given) of ``other``."""
    other = other if isinstance(other, Tensor) else Tensor(other)
    return ones(other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in [start, stop) (integers stay int64, as NumPy).

    Example:
        >>> import glassnet as gn
        >>> gn.arange(0.0, 1.0, 0.25)
        tensor([0.  , 0.25, 0.5 , 0.75])
    """
    data = np.arange(start, stop, step) if stop is not None else np.arange(start)
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def rand(*shape, dtype=None, rng=None, requires_grad: bool = False) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    data = backend.get_generator(rng).random(_shape(shape))
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def randn(*shape, dtype=None, rng=None, requires_grad: bool = False) -> Tensor:
    """Standard normal random numbers (mean 0, standard deviation 1)."""
    data = backend.get_generator(rng).standard_normal(_shape(shape))
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)
