"""Ways to make tensors: from data, filled with a value, ranges and random numbers.

Floating-point results are float32 unless ``dtype`` says otherwise; random ones come
from glassnet's default generator (``gn.seed``) or the ``rng`` you pass. Each function also
takes PyTorch's ``device=``: None or the CPU (``"cpu"``, ``gn.device("cpu")``); any other
device raises, as glassnet runs on the CPU.

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


def tensor(data, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A new tensor holding a copy of ``data``.

    Floats become float32 unless ``dtype`` is given; integer data (class labels) stays
    int64.

    Example:
        >>> import glassnet as gn
        >>> gn.tensor([[1.0, 0.5]]).dtype, gn.tensor([1, 2]).dtype
        (dtype('float32'), dtype('int64'))
    """
    backend.check_device(device, "tensor")
    t = Tensor(np.array(data.data if isinstance(data, Tensor) else data, copy=True), dtype=dtype)
    return t.requires_grad_(requires_grad) if requires_grad else t


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares memory with ``array`` and keeps its dtype (no conversion).

    Args:
        array: a NumPy array; writes to it show in the tensor and the other way round.

    Returns:
        A tensor viewing ``array`` (``requires_grad=False``).

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> a = np.array([1.0, 2.0])
        >>> t = gn.from_numpy(a)
        >>> a[0] = 9.0
        >>> t.numpy(), t.dtype
        (array([9., 2.]), dtype('float64'))
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, received {type(array).__name__}")
    return Tensor._from_op(array, None)


def _filled(shape, value, dtype, requires_grad, device, where: str) -> Tensor:
    backend.check_device(device, where)
    data = np.full(_shape(shape), value, dtype=backend.as_dtype(dtype))
    return Tensor(data, requires_grad=requires_grad, dtype=data.dtype)


def zeros(*shape, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A tensor of zeros, given the shape as ``gn.zeros(2, 3)`` or ``gn.zeros((2, 3))``.

    Example:
        >>> import glassnet as gn
        >>> gn.zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]])
        >>> gn.zeros((2,), dtype="float64").dtype
        dtype('float64')
    """
    return _filled(shape, 0, dtype, requires_grad, device, "zeros")


def ones(*shape, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A tensor of ones, given the shape as ``gn.ones(2, 3)`` or ``gn.ones((2, 3))``.

    Example:
        >>> import glassnet as gn
        >>> gn.ones(4)
        tensor([1., 1., 1., 1.])
        >>> gn.ones(2, requires_grad=True)
        tensor([1., 1.], requires_grad=True)
    """
    return _filled(shape, 1, dtype, requires_grad, device, "ones")


def full(shape, fill_value, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A tensor of shape ``shape`` with every entry equal to ``fill_value``.

    Example:
        >>> import glassnet as gn
        >>> gn.full((2, 2), 0.5)
        tensor([[0.5, 0.5],
                [0.5, 0.5]])
    """
    return _filled((shape,), fill_value, dtype, requires_grad, device, "full")


def zeros_like(other, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """Zeros with the shape (and dtype, unless given) of ``other`` (a tensor or array-like).

    Example:
        >>> import glassnet as gn
        >>> gn.zeros_like(gn.ones(2, 2))
        tensor([[0., 0.],
                [0., 0.]])
    """
    other = other if isinstance(other, Tensor) else Tensor(other)
    return zeros(other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad,
                 device=device)


def ones_like(other, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """Ones with the shape (and dtype, unless given) of ``other`` (a tensor or array-like).

    Example:
        >>> import glassnet as gn
        >>> gn.ones_like([[1.0, 2.0, 3.0]])
        tensor([[1., 1., 1.]])
    """
    other = other if isinstance(other, Tensor) else Tensor(other)
    return ones(other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad,
                device=device)


def arange(start, stop=None, step=1, dtype=None, requires_grad: bool = False,
           device=None) -> Tensor:
    """Evenly spaced values in [start, stop) (integers stay int64, as NumPy).

    Example:
        >>> import glassnet as gn
        >>> gn.arange(0.0, 1.0, 0.25)
        tensor([0.  , 0.25, 0.5 , 0.75])
    """
    backend.check_device(device, "arange")
    data = np.arange(start, stop, step) if stop is not None else np.arange(start)
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def rand(*shape, dtype=None, rng=None, requires_grad: bool = False, device=None) -> Tensor:
    """Uniform random numbers in [0, 1): each entry ~ U(0, 1).

    Args:
        *shape: the shape, as ``rand(2, 3)`` or ``rand((2, 3))``.
        dtype: float dtype (default float32).
        rng: seed or ``numpy.random.Generator``; None uses glassnet's default generator.

    Example:
        >>> import glassnet as gn
        >>> x = gn.rand(2, 3, rng=0)
        >>> x.shape, x.dtype
        ((2, 3), dtype('float32'))
        >>> x.numpy().round(2)
        array([[0.64, 0.27, 0.04],
               [0.02, 0.81, 0.91]], dtype=float32)
    """
    backend.check_device(device, "rand")
    data = backend.get_generator(rng).random(_shape(shape))
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def randn(*shape, dtype=None, rng=None, requires_grad: bool = False, device=None) -> Tensor:
    """Standard normal random numbers: each entry ~ N(0, 1) (mean 0, standard deviation 1).

    Args:
        *shape: the shape, as ``randn(2, 3)`` or ``randn((2, 3))``.
        dtype: float dtype (default float32).
        rng: seed or ``numpy.random.Generator``; None uses glassnet's default generator.

    Example:
        >>> import glassnet as gn
        >>> gn.randn(3, rng=0).numpy().round(2)
        array([ 0.13, -0.13,  0.64], dtype=float32)
        >>> x = gn.randn(10_000, rng=1).numpy()
        >>> round(float(x.mean()), 1), round(float(x.std()), 1)
        (0.0, 1.0)
    """
    backend.check_device(device, "randn")
    data = backend.get_generator(rng).standard_normal(_shape(shape))
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)
