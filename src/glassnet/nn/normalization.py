"""Batch normalisation: keep each unit's inputs at mean 0, variance 1 while training.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> bn = nn.BatchNorm1d(2)
    >>> y = bn(gn.tensor([[1.0, 10.0], [3.0, 30.0]]))     # each column -> (-1, 1)
    >>> y.data.round(3)
    array([[-1., -1.],
           [ 1.,  1.]], dtype=float32)
    >>> bn.running_mean                                    # 0.9 * 0 + 0.1 * (2, 20)
    array([0.2, 2. ], dtype=float32)
"""

from __future__ import annotations

import warnings

import numpy as np

from glassnet import backend
from glassnet.nn import init
from glassnet.nn.module import Module, Parameter, _as_input, unique_name
from glassnet.ops.normalization import batch_norm


class BatchNorm1d(Module):
    """Batch normalisation over (N, C) or (N, C, L) inputs, channels on axis 1.

    Training: each channel is normalised with its batch mean and (biased) variance,
    ``y = weight * (x - mean) / sqrt(var + eps) + bias``, and the running statistics move
    towards the batch's (with the unbiased variance), exactly as PyTorch:
    ``running = (1 - momentum) * running + momentum * batch``.
    Evaluation (``eval()``): the running statistics are used instead.

    Args:
        num_features: C, the number of channels; None to read it from the first batch
            (Keras-style).
        eps: added to the variance (Keras's ``epsilon`` is accepted too).
        momentum: the weight of each new batch in the running statistics - PyTorch's
            meaning (default 0.1). Keras's ``momentum=0.99`` means the opposite (the
            weight of the old value): write ``momentum=0.01`` here for the same effect.
            None: a cumulative average over all batches.
        affine: learn a per-channel scale (weight, init 1) and shift (bias, init 0).
        track_running_stats: keep running statistics (else batch statistics are used in
            evaluation too).
        dtype: the parameters' dtype (default float32).
        name: the layer name.

    Attributes:
        weight, bias: gamma and beta, shape (C,) (None without ``affine``).
        running_mean, running_var: buffers (NumPy arrays, shape (C,)), init 0 and 1.
        num_batches_tracked: buffer (0-d int64 array).

    Shape:
        input (N, C) or (N, C, L); output the same.

    Example:
        >>> import glassnet as gn
        >>> bn = BatchNorm1d(3)
        >>> bn, bn.num_parameters()
        (BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True), 6)
    """

    def __init__(self, num_features: int | None = None, eps: float = 1e-5,
                 momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, *, epsilon: float | None = None,
                 dtype=None, name: str | None = None):
        super().__init__()
        eps = eps if epsilon is None else epsilon
        where = type(self).__name__
        if num_features is not None and (isinstance(num_features, bool) or
                                         not isinstance(num_features, (int, np.integer))
                                         or num_features <= 0):
            raise ValueError(f"{where}: num_features must be a positive integer or None, "
                             f"received {num_features!r}")
        if not eps > 0:
            raise ValueError(f"{where}: eps must be > 0, received {eps}")
        if momentum is not None and not 0 <= momentum <= 1:
            raise ValueError(f"{where}: momentum must be in [0, 1] or None, "
                             f"received {momentum}")
        if momentum is not None and momentum > 0.5:
            warnings.warn(f"{where}: momentum={momentum} uses PyTorch's meaning (the weight "
                          f"of each NEW batch); Keras's momentum={momentum} is "
                          f"momentum={1 - momentum:.4g} here", UserWarning, stacklevel=2)
        self.num_features = None
        self.eps = float(eps)
        self.momentum = momentum
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        self._param_dtype = None if dtype is None else backend.as_dtype(dtype)
        self.built = False
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        for buffer in ("running_mean", "running_var", "num_batches_tracked"):
            self.register_buffer(buffer, None)
        if name is not None:
            self.name = name
        else:
            self.name = unique_name("batch_normalization" if where == "BatchNormalization"
                                    else "batch_norm1d")
        if num_features is not None:
            self.build((None, num_features))

    def build(self, input_shape) -> None:
        """Create the parameters and running statistics for ``input_shape[1]`` channels."""
        channels = int(input_shape[1])
        if self.built:  # building twice would orphan the Parameters an optimizer holds
            if channels == self.num_features:
                return
            raise ValueError(f"{self._where()}: already built for {self.num_features} "
                             f"channels, cannot rebuild for input shape {tuple(input_shape)}")
        dtype = self._param_dtype or backend.get_default_dtype()
        self.num_features = channels
        if self.affine:
            self.weight = Parameter(np.ones(channels, dtype=dtype))
            self.bias = Parameter(np.zeros(channels, dtype=dtype))
        if self.track_running_stats:
            self.running_mean = np.zeros(channels, dtype=dtype)
            self.running_var = np.ones(channels, dtype=dtype)
            self.num_batches_tracked = np.zeros((), dtype=np.int64)
        self.built = True

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats and self.built:
            self.running_mean.fill(0)
            self.running_var.fill(1)
            self.num_batches_tracked.fill(0)

    def reset_parameters(self) -> None:
        """Running statistics reset; weight 1, bias 0."""
        self.reset_running_stats()
        if self.affine and self.built:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def _where(self) -> str:
        return f"{type(self).__name__}({self.num_features})"

    def forward(self, x):
        if not self.built:
            x = _as_input(x, self._param_dtype or backend.get_default_dtype())
            if x.ndim not in (2, 3):
                raise ValueError(f"{self._where()}: expected input of shape (N, C) or "
                                 f"(N, C, L), received shape {x.shape}")
            self.build(x.shape)
        else:
            dtype = self.weight.dtype if self.weight is not None else self._param_dtype
            x = _as_input(x, dtype)
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            c = self.num_features
            raise ValueError(f"{self._where()}: expected input of shape (N, {c}) or "
                             f"(N, {c}, L), received shape {x.shape}")
        factor = self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        use_running = not self.training and self.track_running_stats
        return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                          training=not use_running, momentum=factor, eps=self.eps)

    def _build_from_state(self, state, prefix: str) -> None:
        for key in ("running_mean", "weight"):
            saved = state.get(prefix + key)
            if not self.built and saved is not None and np.ndim(saved) == 1:
                self.build((None, np.shape(saved)[0]))

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")

    def get_config(self) -> dict:
        dtype = self.weight.dtype if self.weight is not None else self._param_dtype
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum,
                "affine": self.affine, "track_running_stats": self.track_running_stats,
                "dtype": None if dtype is None else str(dtype), "name": self.name}


class BatchNormalization(BatchNorm1d):
    """Keras's name for ``BatchNorm1d`` (same class underneath; input width read lazily).

    ``momentum`` keeps PyTorch's meaning: Keras's ``momentum=0.99`` is ``momentum=0.01``
    here. Channels are on axis 1, which for (N, features) inputs after a Dense layer is
    also Keras's axis -1.

    Example:
        >>> import glassnet as gn
        >>> bn = BatchNormalization(epsilon=1e-3)
        >>> bn(gn.randn(8, 5)).shape, bn.num_features
        ((8, 5), 5)
    """
