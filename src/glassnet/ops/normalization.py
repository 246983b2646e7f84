"""Batch normalisation as one op, with the textbook backward through the batch statistics.

Per channel c (statistics over the batch axis, and the length axis of (N, C, L) inputs):

    x_hat = (x - mean) / sqrt(var + eps)          mean, var: of this batch (training)
    y     = gamma * x_hat + beta                  or the running ones (evaluation)

Backward with batch statistics (m values per channel, g = dL/dy * gamma):

    dL/dx = (g - mean(g) - x_hat * mean(g * x_hat)) / sqrt(var + eps)

because moving one x moves the mean and the variance of its whole channel too. With
running statistics the mean and variance are constants and dL/dx = g / sqrt(var + eps).
"""

from __future__ import annotations

import numpy as np

from glassnet.tensor import Op, Tensor


class BatchNorm(Op):
    """y = gamma * x_hat + beta, x_hat = (x - mean) / sqrt(var + eps), channels on axis 1.

    Backward with g = dL/dy * gamma: batch statistics give dx = (g - mean(g) - x_hat *
    mean(g * x_hat)) / sqrt(var + eps); fixed (running) ones dx = g / sqrt(var + eps);
    dgamma = sum(dL/dy * x_hat), dbeta = sum(dL/dy) over every axis but the channels.
    """

    def __init__(self, mean, var, eps, batch_stats):
        self.mean, self.var, self.eps, self.batch_stats = mean, var, eps, batch_stats

    def forward(self, x, weight=None, bias=None):
        self.axes = (0,) + tuple(range(2, x.ndim))
        self.channel_shape = (1, -1) + (1,) * (x.ndim - 2)
        mean = self.mean.astype(x.dtype, copy=False).reshape(self.channel_shape)
        var = self.var.astype(x.dtype, copy=False).reshape(self.channel_shape)
        self.inv_std = 1.0 / np.sqrt(var + x.dtype.type(self.eps))
        self.x_hat = (x - mean) * self.inv_std
        self.weight = None if weight is None else weight.reshape(self.channel_shape)
        out = self.x_hat if weight is None else self.x_hat * self.weight
        return out if bias is None else out + bias.reshape(self.channel_shape)

    def backward(self, grad):
        g = grad if self.weight is None else grad * self.weight
        grad_x = grad_weight = grad_bias = None
        if self.needs_input_grad[0]:
            if self.batch_stats:
                mean_g = g.mean(axis=self.axes, keepdims=True)
                mean_gx = (g * self.x_hat).mean(axis=self.axes, keepdims=True)
                grad_x = (g - mean_g - self.x_hat * mean_gx) * self.inv_std
            else:
                grad_x = g * self.inv_std
        if len(self.needs_input_grad) > 1 and self.needs_input_grad[1]:
            grad_weight = (grad * self.x_hat).sum(axis=self.axes)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            grad_bias = grad.sum(axis=self.axes)
        return grad_x, grad_weight, grad_bias


def _channels(x: Tensor, where: str) -> int:
    if x.ndim not in (2, 3):
        raise ValueError(f"{where}: expected input of shape (N, C) or (N, C, L), received "
                         f"shape {x.shape}")
    return x.shape[1]


def batch_norm(x, running_mean=None, running_var=None, weight=None, bias=None,
               training: bool = False, momentum: float | None = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Normalise each channel to mean 0 and variance 1, then scale and shift (PyTorch's F).

    ``y = weight * (x - mean) / sqrt(var + eps) + bias``, channels on axis 1.

    In training (or without running statistics) mean and var are the batch's, over the
    batch axis (and the length axis of (N, C, L) inputs), with the biased variance; the
    running statistics (NumPy arrays, updated in place) then move towards them:

        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * var * m / (m - 1)

    (the unbiased variance, m values per channel), exactly as PyTorch. ``momentum=None``
    is not accepted here: the layer computes the cumulative-average factor itself. In
    evaluation the running statistics are used.

    Args:
        x: input (N, C) or (N, C, L).
        running_mean, running_var: NumPy arrays (C,) or None.
        weight, bias: gamma and beta (C,), or None.
        training: use (and track) the batch statistics.
        momentum: the update factor of the running statistics (PyTorch's meaning).
        eps: added to the variance before the square root.

    Example:
        >>> import glassnet as gn
        >>> y = batch_norm(gn.tensor([[1.0], [3.0]]), training=True)   # mean 2, var 1
        >>> y.data.ravel().round(3)
        array([-1.,  1.], dtype=float32)
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    channels = _channels(x, "batch_norm")
    if weight is None and bias is not None:
        raise ValueError("batch_norm: a bias without a weight is not supported; pass both")
    inputs = [x] + [p for p in (weight, bias) if p is not None]
    if not training and running_mean is not None and running_var is not None:
        return BatchNorm.apply(*inputs, mean=np.asarray(running_mean),
                               var=np.asarray(running_var), eps=eps, batch_stats=False)
    axes = (0,) + tuple(range(2, x.ndim))
    count = x.numel() // channels
    if count < 2:
        raise ValueError(f"batch_norm: expected more than 1 value per channel when training, "
                         f"received input shape {x.shape}")
    mean = x.data.mean(axis=axes)
    var = x.data.var(axis=axes)
    if training:
        _update_running(running_mean, mean, momentum)
        _update_running(running_var, var * (count / (count - 1)), momentum)
    return BatchNorm.apply(*inputs, mean=mean, var=var, eps=eps, batch_stats=True)


def _update_running(running, batch_value, momentum) -> None:
    """running = (1 - momentum) * running + momentum * batch_value, in place."""
    if running is None:
        return
    if momentum is None or not 0 <= momentum <= 1:
        raise ValueError(f"batch_norm: momentum must be a number in [0, 1], received {momentum}")
    running *= 1.0 - momentum
    running += momentum * batch_value
