"""Gradient clipping: rescale or cap gradients in place before ``optimizer.step()``.

Exploding gradients (common in recurrent networks) make a single step throw the weights
far away. Clipping the total norm keeps the direction and caps the length; clipping by
value caps every element. Both also live in ``glassnet.nn.utils`` (as in PyTorch).
"""

from __future__ import annotations

import math

import numpy as np

from glassnet import backend
from glassnet.tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _gradients(parameters, where: str) -> list:
    """The ``.grad`` arrays of the parameters that have one (a single tensor is allowed)."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = []
    for index, p in enumerate(parameters):
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{where}: expected tensors (e.g. model.parameters()), but item {index} is "
                f"{type(p).__name__}"
            )
        if p.grad is not None:
            grads.append(p.grad)
    return grads


def _check_number(where: str, name: str, value, expected: str, is_valid) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{where}: {name} must be a number, received {value!r}")
    if not is_valid(float(value)):
        raise ValueError(f"{where}: expected {expected}, received {name}={value}")
    return float(value)


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False):
    """Scale all gradients together so that their total norm is at most ``max_norm``.

    The total norm treats every gradient as one long vector::

        total_norm = (sum over all elements of |g| ** norm_type) ** (1 / norm_type)
        scale = min(1, max_norm / (total_norm + 1e-6))
        g = g * scale                                 # for every gradient, in place

    Args:
        parameters: tensors (e.g. ``model.parameters()``) or a single tensor; those
            without a gradient are skipped.
        max_norm: the largest total norm allowed, >= 0.
        norm_type: the p of the p-norm (> 0), or ``float("inf")`` / ``"inf"`` for the
            largest absolute value. Defaults to 2 (Euclidean).
        error_if_nonfinite: raise RuntimeError when the total norm is NaN or infinite
            (otherwise the gradients are scaled by it anyway, as in PyTorch).

    Returns:
        The total norm before clipping, as a NumPy float of the gradients' dtype
        (``.item()`` gives a Python float, as with PyTorch's tensor).

    Example:
        >>> import glassnet as gn
        >>> from glassnet.optim import clip_grad_norm_
        >>> w = gn.zeros(2, requires_grad=True)
        >>> (w * gn.tensor([3.0, 4.0])).sum().backward()     # w.grad = [3, 4], norm 5
        >>> round(clip_grad_norm_([w], max_norm=1.0).item(), 4)
        5.0
        >>> w.grad.round(4)                                   # [3, 4] / 5
        array([0.6, 0.8], dtype=float32)
    """
    where = "clip_grad_norm_"
    max_norm = _check_number(where, "max_norm", max_norm, "max_norm >= 0", lambda x: x >= 0)
    norm_type = float(norm_type) if isinstance(norm_type, str) else norm_type
    norm_type = _check_number(where, "norm_type", norm_type, "norm_type > 0 or inf",
                              lambda x: x > 0)
    grads = [g for g in _gradients(parameters, where) if g.size]
    if not grads:
        return backend.get_default_dtype().type(0.0)
    dtype = np.result_type(*grads)
    with np.errstate(over="ignore"):  # an overflowing norm is reported as inf
        total_norm = dtype.type(_total_norm(grads, norm_type))
    if error_if_nonfinite and not np.isfinite(total_norm):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            f"non-finite, so it cannot be clipped. To disable this error and scale the "
            f"gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    with np.errstate(invalid="ignore"):  # a non-finite norm turns gradients into NaN, knowingly
        scale = np.minimum(max_norm / (total_norm + dtype.type(1e-6)), dtype.type(1.0))
        if scale < 1 or np.isnan(scale):
            for g in grads:
                g *= scale
    return total_norm


def _total_norm(grads: list, norm_type: float) -> float:
    """(sum |g|^p)^(1/p) over all gradients, from one norm per gradient (as PyTorch does)."""
    if math.isinf(norm_type):
        return max(np.max(np.abs(g)) for g in grads)
    if norm_type == 2:
        flat = [g.ravel() for g in grads]
        return math.sqrt(sum(float(np.dot(f, f)) for f in flat))  # one BLAS pass per gradient
    norms = np.array([np.sum(np.abs(g) ** norm_type) ** (1 / norm_type) for g in grads])
    return np.sum(norms ** norm_type) ** (1 / norm_type)


def clip_grad_value_(parameters, clip_value: float) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``, in place.

    ``g = min(max(g, -clip_value), clip_value)`` for every element of every gradient.

    Args:
        parameters: tensors (e.g. ``model.parameters()``) or a single tensor; those
            without a gradient are skipped.
        clip_value: the largest absolute value allowed, >= 0.

    Example:
        >>> import glassnet as gn
        >>> from glassnet.optim import clip_grad_value_
        >>> w = gn.zeros(3, requires_grad=True)
        >>> (w * gn.tensor([0.5, -3.0, 2.0])).sum().backward()
        >>> clip_grad_value_([w], clip_value=1.0)
        >>> w.grad
        array([ 0.5, -1. ,  1. ], dtype=float32)
    """
    where = "clip_grad_value_"
    clip_value = _check_number(where, "clip_value", clip_value, "clip_value >= 0",
                               lambda x: x >= 0)
    for g in _gradients(parameters, where):
        np.clip(g, -clip_value, clip_value, out=g)
