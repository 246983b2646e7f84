"""Pooling layers: shrink an image by summarising each small window (its max or mean).

Pooling has no weights. It halves the height and width with the usual 2x2 windows, so the
next layers see a larger part of the image for the same cost, and small shifts of the
input change the output less.

* PyTorch style, NCHW images: ``MaxPool2d(kernel_size, stride=None, padding=0)``,
  ``nn.AvgPool2d(...)``.
* Keras style, NHWC images: ``MaxPool2D(pool_size=2, strides=None, padding="valid")``
  (alias ``MaxPooling2D``), ``nn.AveragePooling2D`` (alias ``AvgPool2D``),
  ``nn.GlobalAveragePooling2D()`` and ``nn.GlobalMaxPooling2D()`` (one number per channel).

Example:
    >>> import glassnet as gn
    >>> MaxPool2D(2)(gn.zeros(8, 26, 26, 16)).shape          # NHWC, 26 / 2 = 13
    (8, 13, 13, 16)
    >>> MaxPool2d(2)(gn.zeros(8, 16, 26, 26)).shape          # NCHW
    (8, 16, 13, 13)
"""

from __future__ import annotations

import numpy as np

from glassnet import functional_conv as FC
from glassnet.nn.conv import _check_padding
from glassnet.nn.module import Module, _as_input, unique_name


def _as_images(x):
    """Tensors as they are; float arrays keep their dtype (float64 stays float64)."""
    dtype = x.dtype if isinstance(x, np.ndarray) and x.dtype.kind == "f" else None
    return _as_input(x, dtype)


class _Pool2d(Module):
    """What the pooling layers share: window, stride, padding, layout and a name."""

    data_format = "channels_first"
    default_name = "max_pool2d"

    def __init__(self, kernel_size, stride=None, padding=0, name: str | None = None):
        super().__init__()
        where = type(self).__name__
        self.kernel_size = FC._pair(kernel_size, "kernel_size", where, minimum=1)
        self.stride = self.kernel_size if stride is None else FC._pair(stride, "stride", where,
                                                                       minimum=1)
        self.padding = _check_padding(padding, where)
        self.name = name if name is not None else unique_name(self.default_name)

    def _where(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def _pool(self, x):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def forward(self, x):
        return self._pool(_as_images(x))

    def extra_repr(self) -> str:
        padding = self.padding if isinstance(self.padding, str) else tuple(self.padding)
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={padding!r}"

    def get_config(self) -> dict:
        padding = self.padding if isinstance(self.padding, str) else list(self.padding)
        return {"kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": padding, "name": self.name}


class MaxPool2d(_Pool2d):
    """PyTorch's max pooling over NCHW images: the largest value of each window.

    ``y[n, c, h, w] = max over i, j of x[n, c, s*h + i, s*w + j]`` (padding counts as -inf).
    In the backward pass each window's gradient goes to its largest input only (the
    first one on ties, as in PyTorch).

    Args:
        kernel_size: the window, an int or (kh, kw).
        stride: the step between windows; defaults to ``kernel_size``.
        padding: an int or a pair (at most half the window), "valid" or "same".
        name: the layer name.

    Shape:
        input (N, C, H, W); output (N, C, H_out, W_out), out = (in + 2 p - k) // s + 1.

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> x = gn.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> MaxPool2d(2)(x)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """

    def _pool(self, x):
        return FC._max_pool2d(x, self.kernel_size, self.stride, self.padding, self.data_format,
                              self._where())


class AvgPool2d(_Pool2d):
    """PyTorch's average pooling over NCHW images: the mean of each window.

    Args:
        kernel_size: the window, an int or (kh, kw).
        stride: the step between windows; defaults to ``kernel_size``.
        padding: an int or a pair (at most half the window), "valid" or "same".
        count_include_pad: divide by kh * kw also where the window covers padding
            (default True, as PyTorch); False averages the real pixels only.
        name: the layer name.

    Shape:
        input (N, C, H, W); output (N, C, H_out, W_out).

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> AvgPool2d(2)(gn.tensor(np.arange(16.0).reshape(1, 1, 4, 4)))
        tensor([[[[ 2.5,  4.5],
                  [10.5, 12.5]]]])
    """

    default_name = "avg_pool2d"

    def __init__(self, kernel_size, stride=None, padding=0, count_include_pad: bool = True,
                 name: str | None = None):
        super().__init__(kernel_size, stride, padding, name)
        self.count_include_pad = bool(count_include_pad)

    def _pool(self, x):
        return FC._avg_pool2d(x, self.kernel_size, self.stride, self.padding,
                              self.count_include_pad, self.data_format, self._where())

    def get_config(self) -> dict:
        return {**super().get_config(), "count_include_pad": self.count_include_pad}


def _keras_config(layer) -> dict:
    padding = layer.padding if isinstance(layer.padding, str) else list(layer.padding)
    return {"pool_size": list(layer.kernel_size), "strides": list(layer.stride),
            "padding": padding, "name": layer.name}


class MaxPool2D(MaxPool2d):
    """Keras's max pooling over NHWC images (alias ``MaxPooling2D``).

    The same computation as ``MaxPool2d``, with Keras's arguments and layout. With
    ``padding="same"`` the output is ceil(in / strides) and the padding never wins.

    Args:
        pool_size: the window, an int or a pair (default 2).
        strides: the step between windows; defaults to ``pool_size``.
        padding: "valid" (default) or "same".
        name: the layer name (default "max_pooling2d", ...).

    Shape:
        input (N, H, W, C); output (N, H_out, W_out, C).

    Example:
        >>> import glassnet as gn
        >>> x = gn.zeros(2, 7, 7, 3)
        >>> MaxPool2D()(x).shape, MaxPool2D(padding="same")(x).shape     # 7 // 2, ceil(7 / 2)
        ((2, 3, 3, 3), (2, 4, 4, 3))
    """

    data_format = "channels_last"
    default_name = "max_pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="valid", name: str | None = None):
        super().__init__(pool_size, strides, padding, name)

    @property
    def pool_size(self) -> tuple:
        """Keras's name for ``kernel_size``: the (height, width) of each window."""
        return self.kernel_size

    @property
    def strides(self) -> tuple:
        """Keras's name for ``stride``: how far the window moves (rows, columns)."""
        return self.stride

    def get_config(self) -> dict:
        return _keras_config(self)


class AveragePooling2D(AvgPool2d):
    """Keras's average pooling over NHWC images (alias ``AvgPool2D``).

    With ``padding="same"`` each window averages only the real pixels it covers (Keras's
    rule; PyTorch's ``AvgPool2d`` counts the zeros by default).

    Args:
        pool_size: the window, an int or a pair (default 2).
        strides: the step between windows; defaults to ``pool_size``.
        padding: "valid" (default) or "same".
        name: the layer name (default "average_pooling2d", ...).

    Shape:
        input (N, H, W, C); output (N, H_out, W_out, C).

    Example:
        >>> import glassnet as gn
        >>> AveragePooling2D(2)(gn.ones(1, 4, 4, 1)).shape
        (1, 2, 2, 1)
    """

    data_format = "channels_last"
    default_name = "average_pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="valid", name: str | None = None):
        super().__init__(pool_size, strides, padding, count_include_pad=False, name=name)

    @property
    def pool_size(self) -> tuple:
        """Keras's name for ``kernel_size``: the (height, width) of each window."""
        return self.kernel_size

    @property
    def strides(self) -> tuple:
        """Keras's name for ``stride``: how far the window moves (rows, columns)."""
        return self.stride

    def get_config(self) -> dict:
        return _keras_config(self)


MaxPooling2D = MaxPool2D
AvgPool2D = AveragePooling2D


class _GlobalPool2D(Module):
    """Reduce each channel of an NHWC image to one number."""

    default_name = "global_average_pooling2d"

    def __init__(self, keepdims: bool = False, name: str | None = None):
        super().__init__()
        self.keepdims = bool(keepdims)
        self.name = name if name is not None else unique_name(self.default_name)

    def forward(self, x):
        x = _as_images(x)
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__} '{self.name}': expected a 4-D batch of "
                             f"images (N, H, W, C), received shape {x.shape}")
        return self._reduce(x)

    def extra_repr(self) -> str:
        return "keepdims=True" if self.keepdims else ""

    def get_config(self) -> dict:
        return {"keepdims": self.keepdims, "name": self.name}


class GlobalAveragePooling2D(_GlobalPool2D):
    """The mean of each channel over the whole image: (N, H, W, C) -> (N, C).

    Often replaces Flatten + Dense at the end of a CNN: far fewer weights.

    Args:
        keepdims: keep the spatial axes, giving (N, 1, 1, C).
        name: the layer name.

    Example:
        >>> import glassnet as gn
        >>> GlobalAveragePooling2D()(gn.ones(2, 5, 5, 8)).shape
        (2, 8)
    """

    def _reduce(self, x):
        return x.mean(axis=(1, 2), keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPool2D):
    """The largest value of each channel over the whole image: (N, H, W, C) -> (N, C).

    Args:
        keepdims: keep the spatial axes, giving (N, 1, 1, C).
        name: the layer name.

    Example:
        >>> import glassnet as gn
        >>> GlobalMaxPooling2D()(gn.ones(2, 5, 5, 8)).shape
        (2, 8)
    """

    default_name = "global_max_pooling2d"

    def _reduce(self, x):
        return x.max(axis=(1, 2), keepdims=self.keepdims)
