"""Convolution and pooling functions for images, with their maths and an example each.

PyTorch's conventions by default: images NCHW (batch, channels, height, width) and
kernels (out_channels, in_channels, kh, kw). ``data_format="channels_last"`` switches to
Keras's: images NHWC and kernels (kh, kw, in_channels, out_channels). Both run the same
ops (``glassnet.ops.conv``). Also available as ``glassnet.functional.conv2d`` etc.

Example:
    >>> import numpy as np
    >>> import glassnet as gn
    >>> from glassnet.functional_conv import conv2d, max_pool2d
    >>> images = gn.tensor(np.ones((2, 3, 8, 8)))            # 2 RGB images, 8x8
    >>> kernels = gn.tensor(np.ones((16, 3, 3, 3)))          # 16 filters of 3x3x3
    >>> conv2d(images, kernels, padding=1).shape
    (2, 16, 8, 8)
    >>> max_pool2d(images, 2).shape
    (2, 3, 4, 4)
"""

from __future__ import annotations

from glassnet.ops import conv as _conv
from glassnet.tensor import Tensor

DATA_FORMATS = ("channels_first", "channels_last")


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _pair(value, name: str, where: str, minimum: int) -> tuple:
    """An int or a pair of ints (height, width), each >= minimum."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    valid = len(pair) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= minimum for v in pair)
    if not valid:
        raise ValueError(f"{where}: {name} must be an int >= {minimum} or a pair of them "
                         f"(height, width), received {value!r}")
    return pair


def _check_data_format(data_format: str, where: str) -> bool:
    """True for channels-last (NHWC)."""
    if data_format not in DATA_FORMATS:
        raise ValueError(f"{where}: data_format must be one of {DATA_FORMATS}, "
                         f"received {data_format!r}")
    return data_format == "channels_last"


def _check_images(x: Tensor, channels_last: bool, where: str) -> tuple:
    """Check that x is a 4-D batch of images; return its (height, width)."""
    layout = "(N, H, W, C)" if channels_last else "(N, C, H, W)"
    if x.ndim != 4:
        raise ValueError(f"{where}: expected a 4-D batch of images {layout}, received shape "
                         f"{x.shape}; add a batch axis with x.reshape(1, ...) or a channel "
                         f"axis with x.reshape(..., 1)")
    return x.shape[1:3] if channels_last else x.shape[2:]


def _padding(padding, in_hw, kernel, stride, where: str) -> tuple:
    """Resolve padding into pixels ((top, bottom), (left, right)).

    ``"valid"`` is no padding. ``"same"`` pads so that out = ceil(in / stride), as Keras
    does: total = max((out - 1) * stride + k - in, 0), with the odd pixel at the bottom and
    right. An int p (or a pair) pads p zeros on both sides, as PyTorch does.
    """
    if isinstance(padding, str):
        if padding.lower() == "valid":
            return ((0, 0), (0, 0))
        if padding.lower() == "same":
            sides = []
            for n, k, s in zip(in_hw, kernel, stride):
                total = max((-(-n // s) - 1) * s + k - n, 0)
                sides.append((total // 2, total - total // 2))
            return tuple(sides)
        raise ValueError(f"{where}: padding must be 'valid', 'same', an int or a pair of ints, "
                         f"received {padding!r}")
    ph, pw = _pair(padding, "padding", where, minimum=0)
    return ((ph, ph), (pw, pw))


def _check_fits(in_hw, kernel, padding, where: str) -> None:
    padded = tuple(n + a + b for n, (a, b) in zip(in_hw, padding))
    if padded[0] < kernel[0] or padded[1] < kernel[1]:
        raise ValueError(f"{where}: the {kernel[0]}x{kernel[1]} kernel is larger than the "
                         f"padded input {padded[0]}x{padded[1]} (input {in_hw[0]}x{in_hw[1]}, "
                         f"padding {padding}); use a smaller kernel or more padding")


def _layout_hint(x: Tensor, channels: int, channels_last: bool) -> str:
    """A fix when the channels sit where the other layout puts them (NCHW vs NHWC)."""
    if channels_last and x.shape[1] == channels:
        return ("; the input looks channels-first (N, C, H, W) but channels-last (N, H, W, C) "
                "is expected: use x.transpose(0, 2, 3, 1)")
    if not channels_last and x.shape[3] == channels:
        return ("; the input looks channels-last (N, H, W, C) but channels-first (N, C, H, W) "
                "is expected: use x.permute(0, 3, 1, 2)")
    return ""


def _conv2d(x, weight, bias, stride, padding, data_format, where: str) -> Tensor:
    """``conv2d`` with ``where`` (a function or layer name) in its error messages."""
    x, weight = _tensor(x), _tensor(weight)
    channels_last = _check_data_format(data_format, where)
    in_hw = _check_images(x, channels_last, where)
    if weight.ndim != 4:
        expected = "(kh, kw, in, out)" if channels_last else "(out, in, kh, kw)"
        raise ValueError(f"{where}: the kernel must be 4-D {expected}, received shape "
                         f"{weight.shape}")
    in_channels = x.shape[3] if channels_last else x.shape[1]
    kernel = weight.shape[:2] if channels_last else weight.shape[2:]
    kernel_channels = weight.shape[2] if channels_last else weight.shape[1]
    out_channels = weight.shape[3] if channels_last else weight.shape[0]
    if in_channels != kernel_channels:
        raise ValueError(f"{where}: expected input with {kernel_channels} channels (kernel shape "
                         f"{weight.shape}), received {in_channels} channels in input shape "
                         f"{x.shape}{_layout_hint(x, kernel_channels, channels_last)}")
    stride = _pair(stride, "stride", where, minimum=1)
    padding = _padding(padding, in_hw, kernel, stride, where)
    _check_fits(in_hw, kernel, padding, where)
    params = dict(stride=stride, padding=padding, channels_last=channels_last)
    if bias is None:
        return _conv.Conv2d.apply(x, weight, **params)
    bias = _tensor(bias)
    if bias.shape != (out_channels,):
        raise ValueError(f"{where}: bias must have shape ({out_channels},), one per output "
                         f"channel, received {bias.shape}")
    return _conv.Conv2d.apply(x, weight, bias, **params)


def conv2d(x, weight, bias=None, stride=1, padding=0, *,
           data_format: str = "channels_first") -> Tensor:
    """2-D convolution: slide each kernel over the image, a weighted sum per position.

    For output channel o at position (h, w), with stride s and zero padding:

        y[n, o, h, w] = b[o] + sum over c, i, j of x_padded[n, c, s*h + i, s*w + j] * W[o, c, i, j]

    (strictly a cross-correlation, as in every deep-learning library). Output size per
    axis: ``out = (in + pad_before + pad_after - k) // s + 1``.

    Args:
        x: images, (N, C_in, H, W); (N, H, W, C_in) when ``data_format="channels_last"``.
        weight: kernels, (C_out, C_in, kh, kw) as PyTorch; (kh, kw, C_in, C_out) when
            channels-last, as Keras.
        bias: one number per output channel, shape (C_out,), or None.
        stride: step between windows, an int or (sh, sw). Defaults to 1.
        padding: zeros added around the image: an int or (ph, pw) on both sides as
            PyTorch, ``"valid"`` (none) or ``"same"`` (out = ceil(in / stride), extra pixel
            at the bottom/right, as Keras). Defaults to 0.
        data_format: ``"channels_first"`` (NCHW, PyTorch) or ``"channels_last"`` (NHWC, Keras).

    Returns:
        Tensor (N, C_out, H_out, W_out), or (N, H_out, W_out, C_out) channels-last.

    Example (a 2x2 kernel of ones sums each 2x2 window):
        >>> import numpy as np
        >>> import glassnet as gn
        >>> x = gn.tensor(np.arange(9.0).reshape(1, 1, 3, 3))   # [[0,1,2],[3,4,5],[6,7,8]]
        >>> conv2d(x, gn.ones(1, 1, 2, 2))                        # 0+1+3+4 = 8, ...
        tensor([[[[ 8., 12.],
                  [20., 24.]]]])
        >>> conv2d(x, gn.ones(1, 1, 3, 3), padding="same").shape
        (1, 1, 3, 3)
    """
    return _conv2d(x, weight, bias, stride, padding, data_format, "conv2d")


def _pool_args(x, kernel_size, stride, padding, data_format, where: str) -> dict:
    """Check a pooling call; return the op's parameters."""
    channels_last = _check_data_format(data_format, where)
    in_hw = _check_images(x, channels_last, where)
    kernel = _pair(kernel_size, "kernel_size", where, minimum=1)
    stride = kernel if stride is None else _pair(stride, "stride", where, minimum=1)
    padding = _padding(padding, in_hw, kernel, stride, where)
    if any(side > k // 2 for (before, after), k in zip(padding, kernel)
           for side in (before, after)):
        raise ValueError(f"{where}: padding {padding} must be at most half the kernel size "
                         f"{kernel}, so every window holds part of the image")
    _check_fits(in_hw, kernel, padding, where)
    return dict(kernel=kernel, stride=stride, padding=padding, channels_last=channels_last)


def _max_pool2d(x, kernel_size, stride, padding, data_format, where: str) -> Tensor:
    x = _tensor(x)
    return _conv.MaxPool2d.apply(x, **_pool_args(x, kernel_size, stride, padding,
                                                 data_format, where))


def _avg_pool2d(x, kernel_size, stride, padding, count_include_pad, data_format,
                where: str) -> Tensor:
    x = _tensor(x)
    return _conv.AvgPool2d.apply(x, count_include_pad=count_include_pad,
                                 **_pool_args(x, kernel_size, stride, padding, data_format,
                                              where))


def max_pool2d(x, kernel_size, stride=None, padding=0, *,
               data_format: str = "channels_first") -> Tensor:
    """Max pooling: the largest value of each kh x kw window, per channel.

    ``y[n, c, h, w] = max over i, j of x_padded[n, c, s*h + i, s*w + j]``. Padding is -inf
    (never the maximum). The gradient flows only to the winning input of each window (the
    first one on ties, as in PyTorch).

    Args:
        x: images, (N, C, H, W); (N, H, W, C) when ``data_format="channels_last"``.
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to ``kernel_size`` (windows do not overlap).
        padding: an int or (ph, pw) on both sides (at most half the kernel), ``"valid"`` or
            ``"same"``. Defaults to 0.
        data_format: ``"channels_first"`` (NCHW) or ``"channels_last"`` (NHWC).

    Returns:
        Tensor (N, C, H_out, W_out) (or NHWC), ``out = (in + padding - k) // stride + 1``.

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> x = gn.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> max_pool2d(x, 2)                  # max of each 2x2 block
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """
    return _max_pool2d(x, kernel_size, stride, padding, data_format, "max_pool2d")


def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad: bool = True, *,
               data_format: str = "channels_first") -> Tensor:
    """Average pooling: the mean of each kh x kw window, per channel.

    ``y[n, c, h, w] = mean over i, j of x_padded[n, c, s*h + i, s*w + j]``; every input of a
    window gets ``1 / count`` of its gradient.

    Args:
        x: images, (N, C, H, W); (N, H, W, C) when ``data_format="channels_last"``.
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to ``kernel_size``.
        padding: an int or (ph, pw) on both sides (at most half the kernel), ``"valid"`` or
            ``"same"``. Defaults to 0.
        count_include_pad: divide by kh * kw even where the window covers padding
            (PyTorch's default, True), or only by the number of real pixels (False, as
            Keras's ``padding="same"``).
        data_format: ``"channels_first"`` (NCHW) or ``"channels_last"`` (NHWC).

    Returns:
        Tensor (N, C, H_out, W_out) (or NHWC).

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> x = gn.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> avg_pool2d(x, 2)                  # (0 + 1 + 4 + 5) / 4 = 2.5, ...
        tensor([[[[ 2.5,  4.5],
                  [10.5, 12.5]]]])
    """
    return _avg_pool2d(x, kernel_size, stride, padding, count_include_pad, data_format,
                       "avg_pool2d")
