"""Shape operations: reshape, transpose, indexing, concatenate, stack.

They move numbers around without changing them, so the backward pass moves the
gradient back to where each number came from.
"""

from __future__ import annotations

import numpy as np

from glassnet.tensor import Op


class Reshape(Op):
    """a.reshape(shape);  the gradient is reshaped back."""

    integer_inputs = (0,)  # moving integers around keeps them integers (labels)

    def __init__(self, shape):
        self.shape = shape

    def forward(self, a):
        self.input_shape = a.shape
        try:
            return a.reshape(self.shape)
        except ValueError:
            raise ValueError(
                f"Reshape: cannot reshape an array of shape {a.shape} ({a.size} elements) "
                f"into shape {self.shape}"
            ) from None

    def backward(self, grad):
        return grad.reshape(self.input_shape)


class Transpose(Op):
    """a.transpose(axes) (reverse all axes when axes is None);  the inverse permutation back."""

    integer_inputs = (0,)  # moving integers around keeps them integers (labels)

    def __init__(self, axes=None):
        self.axes = axes

    def forward(self, a):
        if self.axes is not None and sorted(x % a.ndim for x in self.axes) != list(range(a.ndim)):
            raise ValueError(
                f"Transpose: axes {self.axes} are not a permutation of the {a.ndim} axes "
                f"of shape {a.shape}"
            )
        return np.transpose(a, self.axes)

    def backward(self, grad):
        if self.axes is None:
            return np.transpose(grad)
        return np.transpose(grad, np.argsort([x % grad.ndim for x in self.axes]))


def _is_basic(index) -> bool:
    """Basic indices (ints, slices, None, ...) never select an element twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
               for p in parts)


class GetItem(Op):
    """a[index] (slices, integers, integer or boolean arrays);  gradient scattered back."""

    integer_inputs = (0,)  # moving integers around keeps them integers (labels)

    def __init__(self, index):
        self.index = index

    def forward(self, a):
        self.input_shape, self.dtype = a.shape, a.dtype
        try:
            return a[self.index]
        except IndexError as error:
            raise IndexError(f"GetItem: index into shape {a.shape}: {error}") from None

    def backward(self, grad):
        out = np.zeros(self.input_shape, dtype=self.dtype)
        if _is_basic(self.index):
            out[self.index] = grad
        else:
            np.add.at(out, self.index, grad)  # repeated indices add up
        return out


class Concatenate(Op):
    """concatenate([a, b, ...], axis);  each input gets its slice of the gradient."""

    def __init__(self, axis=0):
        self.axis = axis

    def forward(self, *arrays):
        self.sizes = [a.shape[self.axis] for a in arrays]
        try:
            return np.concatenate(arrays, axis=self.axis)
        except ValueError:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(
                f"Concatenate: all shapes must match except on axis {self.axis}, "
                f"received {shapes}"
            ) from None

    def backward(self, grad):
        cuts = np.cumsum(self.sizes)[:-1]
        return tuple(np.split(grad, cuts, axis=self.axis))


class Stack(Op):
    """stack([a, b, ...], axis): a new axis;  each input gets its slice of the gradient."""

    def __init__(self, axis=0):
        self.axis = axis

    def forward(self, *arrays):
        if len({a.shape for a in arrays}) > 1:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"Stack: all inputs must have the same shape, received {shapes}")
        return np.stack(arrays, axis=self.axis)

    def backward(self, grad):
        return tuple(np.moveaxis(grad, self.axis, 0))
