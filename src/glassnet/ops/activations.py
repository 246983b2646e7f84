"""Activation functions: the non-linearity applied to each neuron's weighted sum z.

Where the derivative can be written with the output y, backward uses the saved output
(sigmoid: y(1 - y), tanh: 1 - y^2, relu: y > 0), as the textbooks and the fast
libraries do. Formulas, plots and examples are on the ``glassnet.functional`` wrappers.
"""

from __future__ import annotations

import numpy as np

from glassnet.ops._special import normal_cdf, normal_pdf
from glassnet.tensor import Op


class ReLU(Op):
    """relu(z) = max(0, z);  d/dz = 1 where z > 0, else 0."""

    def forward(self, z):
        self.out = np.maximum(z, 0)
        return self.out

    def backward(self, grad):
        return grad * (self.out > 0)


class LeakyReLU(Op):
    """leaky_relu(z) = z if z > 0 else slope * z;  d/dz = 1 or slope."""

    def __init__(self, negative_slope=0.01):
        self.slope = negative_slope

    def forward(self, z):
        self.positive = z > 0
        return np.where(self.positive, z, z * z.dtype.type(self.slope))

    def backward(self, grad):
        return grad * np.where(self.positive, 1, self.slope).astype(grad.dtype)


class ELU(Op):
    """elu(z) = z if z > 0 else alpha (e^z - 1);  d/dz = 1 or y + alpha."""

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, z):
        self.positive = z > 0
        negative_part = self.alpha * np.expm1(np.minimum(z, 0))  # no overflow for large z
        self.out = np.where(self.positive, z, negative_part).astype(z.dtype, copy=False)
        return self.out

    def backward(self, grad):
        return grad * np.where(self.positive, 1, self.out + self.alpha).astype(grad.dtype)


class GELU(Op):
    """gelu(z) = z * Phi(z) (Phi: the standard normal CDF);  d/dz = Phi(z) + z * phi(z).

    The tanh approximation: y = z/2 (1 + t), t = tanh(u), u = sqrt(2/pi) (z + 0.044715 z^3);
    d/dz = (1 + t)/2 + z/2 (1 - t^2) du/dz.
    """

    def __init__(self, approximate="none"):
        self.approximate = approximate

    def forward(self, z):
        self.z = z
        if self.approximate == "tanh":
            inner = np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)
            self.t = np.tanh(inner)
            return (0.5 * z * (1 + self.t)).astype(z.dtype, copy=False)
        self.cdf = normal_cdf(z)
        return z * self.cdf

    def backward(self, grad):
        z = self.z
        if self.approximate == "tanh":
            d_inner = np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * z**2)
            local = 0.5 * (1 + self.t) + 0.5 * z * (1 - self.t**2) * d_inner
        else:
            local = self.cdf + z * normal_pdf(z)
        return (grad * local).astype(grad.dtype, copy=False)


class Sigmoid(Op):
    """sigmoid(z) = 1 / (1 + e^-z);  d/dz = y (1 - y)."""

    def forward(self, z):
        self.out = stable_sigmoid(z)
        return self.out

    def backward(self, grad):
        return grad * self.out * (1 - self.out)


def stable_sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z) without overflow: e^-|z| never exceeds 1.

    For z >= 0 it is 1 / (1 + e^-z), for z < 0 the equal e^z / (1 + e^z).

    Example:
        >>> import numpy as np
        >>> stable_sigmoid(np.array([-1000.0, 0.0, 2.0])).round(4)
        array([0.    , 0.5   , 0.8808])
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype, copy=False)


class Tanh(Op):
    """tanh(z);  d/dz = 1 - y^2."""

    def forward(self, z):
        self.out = np.tanh(z)
        return self.out

    def backward(self, grad):
        return grad * (1 - self.out * self.out)


class Softplus(Op):
    """softplus(z) = ln(1 + e^z) (a smooth relu);  d/dz = sigmoid(z)."""

    def forward(self, z):
        self.z = z
        return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))

    def backward(self, grad):
        return grad * stable_sigmoid(self.z)


class SiLU(Op):
    """silu(z) = z * sigmoid(z) (also called swish);  d/dz = s + z s (1 - s)."""

    def forward(self, z):
        self.z = z
        self.s = stable_sigmoid(z)
        return z * self.s

    def backward(self, grad):
        s = self.s
        return grad * (s + self.z * s * (1 - s))


class Softmax(Op):
    """softmax(z)_i = e^z_i / sum_j e^z_j;  backward: y * (g - sum(g * y))."""

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, z):
        e = np.exp(z - z.max(axis=self.axis, keepdims=True))  # shift: no overflow
        self.out = e / e.sum(axis=self.axis, keepdims=True)
        return self.out

    def backward(self, grad):
        y = self.out
        return y * (grad - (grad * y).sum(axis=self.axis, keepdims=True))


class LogSoftmax(Op):
    """log_softmax(z) = z - log(sum(e^z));  backward: g - softmax(z) * sum(g)."""

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, z):
        shifted = z - z.max(axis=self.axis, keepdims=True)
        self.out = shifted - np.log(np.exp(shifted).sum(axis=self.axis, keepdims=True))
        return self.out

    def backward(self, grad):
        softmax = np.exp(self.out)
        return grad - softmax * grad.sum(axis=self.axis, keepdims=True)
