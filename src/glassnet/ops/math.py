"""Elementwise arithmetic, matrix multiply and friends.

Each class is one operation. ``forward`` gets NumPy arrays and saves what ``backward``
needs; ``backward`` gets dL/doutput and returns dL/dinput for each input. Inputs that
were broadcast (a bias added to every row) get their gradient summed back to their own
shape by ``unbroadcast``. The user-facing documentation lives in ``glassnet.functional``.
"""

from __future__ import annotations

import numpy as np

from glassnet.tensor import Op, unbroadcast


class Add(Op):
    """a + b;  d/da = 1, d/db = 1."""

    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        return a + b

    def backward(self, grad):
        return unbroadcast(grad, self.a_shape), unbroadcast(grad, self.b_shape)


class Sub(Op):
    """a - b;  d/da = 1, d/db = -1."""

    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        return a - b

    def backward(self, grad):
        return unbroadcast(grad, self.a_shape), unbroadcast(-grad, self.b_shape)


class Mul(Op):
    """a * b;  d/da = b, d/db = a."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        grad_a = unbroadcast(grad * self.b, self.a.shape) if self.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * self.a, self.b.shape) if self.needs_input_grad[1] else None
        return grad_a, grad_b


class Div(Op):
    """a / b;  d/da = 1/b, d/db = -a/b^2."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, grad):
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = unbroadcast(grad / self.b, self.a.shape)
        if self.needs_input_grad[1]:
            grad_b = unbroadcast(-grad * self.a / (self.b * self.b), self.b.shape)
        return grad_a, grad_b


class Pow(Op):
    """a ** p;  d/da = p * a^(p-1), d/dp = a^p * log(a)."""

    def forward(self, a, p):
        self.a, self.p = a, p
        self.out = np.power(a, p)
        return self.out

    def backward(self, grad):
        grad_a = grad_p = None
        if self.needs_input_grad[0]:
            grad_a = unbroadcast(grad * self.p * np.power(self.a, self.p - 1), self.a.shape)
        if self.needs_input_grad[1]:
            grad_p = unbroadcast(grad * self.out * np.log(self.a), self.p.shape)
        return grad_a, grad_p


class Neg(Op):
    """-a;  d/da = -1."""

    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad


class MatMul(Op):
    """a @ b (matrix product, batched and 1-D like NumPy);  d/da = g @ b.T, d/db = a.T @ g."""

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"MatMul: both inputs need at least 1 dimension, received "
                             f"shapes {a.shape} and {b.shape}")
        inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != inner_b:
            raise ValueError(
                f"MatMul: shapes {a.shape} and {b.shape} cannot be multiplied "
                f"({a.shape[-1]} columns in the first, {inner_b} rows in the second)"
            )
        self.a, self.b = a, b
        return a @ b

    def backward(self, grad):
        a, b = self.a, self.b
        # Treat 1-D operands as a row (a) or a column (b) so one formula covers all cases.
        a2 = a[np.newaxis, :] if a.ndim == 1 else a
        b2 = b[:, np.newaxis] if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if self.needs_input_grad[1]:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b


class Exp(Op):
    """e^a;  d/da = e^a (the output itself)."""

    def forward(self, a):
        self.out = np.exp(a)
        return self.out

    def backward(self, grad):
        return grad * self.out


class Log(Op):
    """ln(a);  d/da = 1/a."""

    def forward(self, a):
        self.a = a
        return np.log(a)

    def backward(self, grad):
        return grad / self.a


class Sqrt(Op):
    """sqrt(a);  d/da = 1 / (2 sqrt(a))  (infinite at 0, as in PyTorch)."""

    def forward(self, a):
        self.out = np.sqrt(a)
        return self.out

    def backward(self, grad):
        with np.errstate(divide="ignore"):
            return grad / (2 * self.out)


class Abs(Op):
    """|a|;  d/da = sign(a)  (0 at 0, as in PyTorch)."""

    def forward(self, a):
        self.a = a
        return np.abs(a)

    def backward(self, grad):
        return grad * np.sign(self.a)


class Clip(Op):
    """clip(a, low, high);  d/da = 1 where low <= a <= high, else 0 (as PyTorch's clamp)."""

    def __init__(self, low=None, high=None):
        self.low, self.high = low, high

    def forward(self, a):
        self.a = a
        return np.clip(a, self.low, self.high)

    def backward(self, grad):
        inside = np.ones(self.a.shape, dtype=bool)
        if self.low is not None:
            inside &= self.a >= self.low
        if self.high is not None:
            inside &= self.a <= self.high
        return grad * inside


class Maximum(Op):
    """max(a, b) elementwise;  the gradient goes to the larger input, split evenly on ties."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.maximum(a, b)

    def backward(self, grad):
        share_a = (self.a > self.b) + 0.5 * (self.a == self.b)
        return _split(grad, share_a, self.a.shape, self.b.shape, self.needs_input_grad)


class Minimum(Op):
    """min(a, b) elementwise;  the gradient goes to the smaller input, split evenly on ties."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.minimum(a, b)

    def backward(self, grad):
        share_a = (self.a < self.b) + 0.5 * (self.a == self.b)
        return _split(grad, share_a, self.a.shape, self.b.shape, self.needs_input_grad)


def _split(grad, share_a, a_shape, b_shape, needs):
    """Give ``share_a`` of the gradient to a and the rest to b (Maximum, Minimum, Where)."""
    share_a = share_a.astype(grad.dtype, copy=False)
    grad_a = unbroadcast(grad * share_a, a_shape) if needs[0] else None
    grad_b = unbroadcast(grad * (1 - share_a), b_shape) if needs[1] else None
    return grad_a, grad_b


class Where(Op):
    """where(condition, a, b): a where condition holds, else b; the gradient follows the choice."""

    integer_inputs = (0,)

    def forward(self, condition, a, b):
        self.condition = condition.astype(bool, copy=False)
        self.a_shape, self.b_shape = a.shape, b.shape
        return np.where(self.condition, a, b)

    def backward(self, grad):
        share_a = np.broadcast_to(self.condition, grad.shape)
        grad_a, grad_b = _split(grad, share_a, self.a_shape, self.b_shape,
                                self.needs_input_grad[1:])
        return None, grad_a, grad_b


class Cast(Op):
    """a.astype(dtype);  the gradient is cast back to a's dtype."""

    integer_inputs = (0,)

    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, a):
        self.input_dtype = a.dtype
        return a.astype(self.dtype)

    def backward(self, grad):
        return grad.astype(self.input_dtype)
