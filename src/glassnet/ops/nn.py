"""Fused layer operations: one op for what a layer does, so its backward is one step.

``Linear`` computes x @ W + b in one op (instead of MatMul then Add): one graph node,
no temporary for x @ W, and the bias gradient is a single column sum.
"""

from __future__ import annotations

import numpy as np

from glassnet.tensor import Op


class Linear(Op):
    """y = x @ W + b (W stored (in, out));  dx = g @ W.T, dW = x.T @ g, db = sum of g's rows."""

    fresh_grads = True  # three new arrays: the weights keep dW and db without a copy

    def forward(self, x, weight, bias=None):
        if x.shape[-1] != weight.shape[0]:
            raise ValueError(
                f"Linear: input has {x.shape[-1]} features (shape {x.shape}) but the weight "
                f"expects {weight.shape[0]} (shape {weight.shape})"
            )
        self.x, self.weight = x, weight
        out = x @ weight
        if bias is not None:
            out += bias
        return out

    def backward(self, grad):
        x, weight = self.x, self.weight
        grad_x = grad @ weight.T if self.needs_input_grad[0] else None
        grad_w = grad_b = None
        grad_2d = grad.reshape(-1, grad.shape[-1])
        if self.needs_input_grad[1]:
            grad_w = x.reshape(-1, x.shape[-1]).T @ grad_2d
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            grad_b = grad_2d.sum(axis=0)
        return grad_x, grad_w, grad_b


class Dropout(Op):
    """y = x * mask / (1 - p), mask ~ Bernoulli(1 - p) (inverted dropout);  dx = g * same."""

    def __init__(self, p, rng):
        self.p, self.rng = p, rng

    def forward(self, x):
        keep = self.rng.random(x.shape, dtype=np.float64) >= self.p
        self.scaled_mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.p))
        return x * self.scaled_mask

    def backward(self, grad):
        return grad * self.scaled_mask
