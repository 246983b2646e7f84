"""Reductions: sum, mean, max and min over some axes (or all of them).

The backward pass spreads the incoming gradient back over the reduced axes: every input
element contributed once to a sum, 1/n to a mean, and only the largest ones to a max.
"""

from __future__ import annotations

import numpy as np

from glassnet.tensor import Op


def _expand(grad: np.ndarray, input_shape: tuple, axis, keepdims: bool) -> np.ndarray:
    """Put back the reduced axes (as size 1) so ``grad`` broadcasts against the input."""
    if axis is None:
        return grad.reshape((1,) * len(input_shape))
    if keepdims:
        return grad
    axes = {a % len(input_shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return grad.reshape(tuple(1 if i in axes else n for i, n in enumerate(input_shape)))


def _spread(grad: np.ndarray, shape: tuple, scale=None) -> np.ndarray:
    """A new array of ``shape`` filled with ``grad`` (times ``scale``) along the reduced axes."""
    out = np.empty(shape, dtype=grad.dtype)
    if scale is None:
        out[...] = grad
    else:
        np.multiply(grad, scale, out=out)
    return out


def _count(input_shape: tuple, axis) -> int:
    if axis is None:
        return int(np.prod(input_shape))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return int(np.prod([input_shape[a] for a in axes]))


class Sum(Op):
    """sum(a, axis);  d/da = 1 for every element."""

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        self.shape = a.shape
        return np.sum(a, axis=self.axis, keepdims=self.keepdims)

    def backward(self, grad):
        return _spread(_expand(grad, self.shape, self.axis, self.keepdims), self.shape)


class Mean(Op):
    """mean(a, axis);  d/da = 1/n for every element (n = number of elements averaged)."""

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        self.shape = a.shape
        return np.mean(a, axis=self.axis, keepdims=self.keepdims)

    def backward(self, grad):
        scale = grad.dtype.type(1.0 / _count(self.shape, self.axis))
        return _spread(_expand(grad, self.shape, self.axis, self.keepdims), self.shape, scale)


class Max(Op):
    """max(a, axis);  d/da = 1 at the maximum (shared evenly among ties), else 0."""

    reduce = staticmethod(np.max)

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        if a.size == 0:
            raise ValueError(f"{type(self).__name__}: cannot reduce an empty array")
        self.a = a
        self.out = self.reduce(a, axis=self.axis, keepdims=True)
        return self.out if self.keepdims else np.squeeze(self.out, axis=self.axis)

    def backward(self, grad):
        winners = self.a == self.out
        share = winners / winners.sum(axis=self.axis, keepdims=True)
        grad = _expand(grad, self.a.shape, self.axis, self.keepdims)
        return (grad * share).astype(self.a.dtype, copy=False)


class Min(Max):
    """min(a, axis);  d/da = 1 at the minimum (shared evenly among ties), else 0."""

    reduce = staticmethod(np.min)
