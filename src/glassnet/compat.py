"""PyTorch's top-level names that are not elsewhere in glassnet: ``import glassnet as torch``.

Tutorials call ``torch.max(outputs, 1)``, ``torch.FloatTensor(X)``, ``torch.sum(x)``. The
functions here are thin wrappers over ``Tensor`` methods (the maths lives there, once);
``glassnet/__init__.py`` exports them next to the re-exports of ``glassnet.functional``
(``relu``, ``sigmoid``, ``softmax``, ``exp``, ``matmul``, ...), PyTorch's dtype names
(``gn.float``, ``gn.long``, ...), ``gn.manual_seed``, ``gn.device`` and
``gn.set_grad_enabled``.

Arguments follow PyTorch: ``dim`` and ``keepdim``; the first argument may be a tensor,
a NumPy array or a list (it becomes a tensor as ``gn.tensor`` would make it).

Example:
    >>> import glassnet as torch          # only the import changes
    >>> outputs = torch.tensor([[0.1, 2.0, 0.3], [1.5, 0.2, 0.1]])
    >>> _, predicted = torch.max(outputs.data, 1)
    >>> predicted
    tensor([1, 0])
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.creation import tensor, zeros
from glassnet.tensor import Tensor

__all__ = ["DoubleTensor", "FloatTensor", "IntTensor", "LongTensor", "argmax", "argmin", "max",
           "mean", "min", "round", "sum"]


def _tensor(input) -> Tensor:
    """A tensor as it is; anything else (a NumPy array, a list) as ``Tensor(input)``."""
    return input if isinstance(input, Tensor) else Tensor(input)


# ----------------------------------------------------------------------------- reductions


def sum(input, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001 - PyTorch's name
    """``torch.sum``: the sum of all elements, or over ``dim`` (see ``Tensor.sum``).

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> gn.sum(x), gn.sum(x, 1), gn.sum(x, dim=0, keepdim=True)
        (tensor(10.), tensor([3., 7.]), tensor([[4., 6.]]))
    """
    return _tensor(input).sum(dim=dim, keepdim=keepdim)


def mean(input, dim=None, keepdim: bool = False) -> Tensor:
    """``torch.mean``: the mean of all elements, or over ``dim`` (see ``Tensor.mean``).

    Example:
        >>> import glassnet as gn
        >>> gn.mean(gn.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0)
        tensor([2., 3.])
    """
    return _tensor(input).mean(dim=dim, keepdim=keepdim)


def max(input, dim=None, keepdim: bool = False):  # noqa: A001 - PyTorch's name
    """``torch.max``: the largest element; with ``dim``, the pair ``(values, indices)``.

    ``torch.max(x)`` is one number; ``values, indices = torch.max(x, 1)`` gives the largest
    value of each row and its column (the predicted class of each row of scores);
    ``torch.max(a, b)`` with a tensor ``b`` is the elementwise maximum. See ``Tensor.max``.

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([[1.0, 5.0], [3.0, 2.0]])
        >>> gn.max(x)
        tensor(5.)
        >>> values, indices = gn.max(x, 1)
        >>> values, indices
        (tensor([5., 3.]), tensor([1, 0]))
        >>> gn.max(x, dim=0).indices
        tensor([1, 0])
    """
    return _tensor(input).max(dim, keepdim)


def min(input, dim=None, keepdim: bool = False):  # noqa: A001 - PyTorch's name
    """``torch.min``: the smallest element; with ``dim``, the pair ``(values, indices)``.

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([[1.0, 5.0], [3.0, 2.0]])
        >>> gn.min(x), gn.min(x, 1).indices
        (tensor(1.), tensor([0, 1]))
    """
    return _tensor(input).min(dim, keepdim)


def argmax(input, dim=None, keepdim: bool = False) -> Tensor:
    """``torch.argmax``: the index of the largest value (flat, or along ``dim``); int64.

    Example:
        >>> import glassnet as gn
        >>> gn.argmax(gn.tensor([[0.1, 0.9], [0.7, 0.3]]), dim=1)
        tensor([1, 0])
    """
    return _tensor(input).argmax(dim=dim, keepdim=keepdim)


def argmin(input, dim=None, keepdim: bool = False) -> Tensor:
    """``torch.argmin``: the index of the smallest value (flat, or along ``dim``); int64.

    Example:
        >>> import glassnet as gn
        >>> gn.argmin(gn.tensor([[0.1, 0.9], [0.7, 0.3]]), dim=1)
        tensor([0, 1])
    """
    return _tensor(input).argmin(dim=dim, keepdim=keepdim)


def round(input, decimals: int = 0) -> Tensor:  # noqa: A001 - PyTorch's name
    """``torch.round``: round to ``decimals`` places, halves to even; no gradient.

    Example:
        >>> import glassnet as gn
        >>> gn.round(gn.tensor([0.2, 0.5, 0.8, 1.5]))
        tensor([0., 0., 1., 2.])
    """
    return _tensor(input).round(decimals)


# ----------------------------------------------------------------------------- legacy constructors


def _legacy(name: str, dtype, args: tuple) -> Tensor:
    """``FloatTensor(data)`` copies data; ``FloatTensor(2, 3)`` makes a (2, 3) tensor."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        return tensor(args[0], dtype=dtype)
    if all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in args):
        return zeros(*args, dtype=dtype) if args else zeros(0, dtype=dtype)
    raise TypeError(f"{name}: expected data (a list, an array or a tensor) or the sizes of a "
                    f"shape, e.g. {name}([[1, 2]]) or {name}(2, 3); received {args!r}")


def FloatTensor(*data) -> Tensor:  # noqa: N802 - PyTorch's name
    """``torch.FloatTensor(X)``: a float32 copy of ``X`` (integers become floats).

    Given sizes instead of data (``FloatTensor(2, 3)``) it makes a tensor of that shape,
    filled with zeros (PyTorch leaves it uninitialised).

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> gn.FloatTensor(np.array([[0, 1], [1, 0]]))
        tensor([[0., 1.],
                [1., 0.]])
        >>> gn.FloatTensor(2, 3).shape
        (2, 3)
    """
    return _legacy("FloatTensor", backend.float32, data)


def DoubleTensor(*data) -> Tensor:  # noqa: N802 - PyTorch's name
    """``torch.DoubleTensor(X)``: a float64 copy of ``X`` (or zeros of the sizes given).

    Example:
        >>> import glassnet as gn
        >>> gn.DoubleTensor([1, 2]).dtype
        dtype('float64')
    """
    return _legacy("DoubleTensor", backend.float64, data)


def LongTensor(*data) -> Tensor:  # noqa: N802 - PyTorch's name
    """``torch.LongTensor(y)``: an int64 copy of ``y``, e.g. class labels (or zeros of sizes).

    Example:
        >>> import glassnet as gn
        >>> gn.LongTensor([0, 2, 1])
        tensor([0, 2, 1])
    """
    return _legacy("LongTensor", backend.int64, data)


def IntTensor(*data) -> Tensor:  # noqa: N802 - PyTorch's name
    """``torch.IntTensor(y)``: an int32 copy of ``y`` (or zeros of the sizes given).

    Example:
        >>> import glassnet as gn
        >>> gn.IntTensor([1, 2]).dtype
        dtype('int32')
    """
    return _legacy("IntTensor", backend.int32, data)
