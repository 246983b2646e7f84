"""Convolution and pooling over images (2-D): im2col for the convolution, kernel offsets.

A convolution layer slides a small kernel (kh x kw weights per input channel) over the
image. Each output pixel is a weighted sum of one kh x kw window of the (zero-padded)
input, over all input channels:

    y[n, ho, wo, o] = b[o] + sum over (i, j, c) of x[n, s*ho + i, s*wo + j, c] * w[i, j, c, o]

The ops walk the kernel offsets (i, j): a small fixed loop of kh * kw steps, each one
moving a whole strided slice ``x[:, i::s, j::s, :]`` of the image at once (no loop over
pixels or samples).

- ``Conv2d`` gathers those slices into one matrix (im2col: one row per output pixel, one
  column per (i, j, c)) and does a single matrix product with the kernel. Its backward
  pass is two matrix products and a scatter-add of each offset's slice back (col2im).
- ``MaxPool2d`` keeps, per window, the largest value and which offset held it; the
  gradient goes back to that one input (the first one on ties, as in PyTorch).
- ``AvgPool2d`` averages each window; every input of a window gets ``grad / count``.

Layouts: the ops compute channels-last (NHWC: batch, height, width, channels), where a
window's values and the kernel's weights line up for the matrix product without moving
the output. With ``channels_last=False`` (PyTorch's NCHW) the input is viewed as NHWC by
a transpose (no copy) and the result is viewed back, so one code path serves both the
PyTorch-style and the Keras-style layers. Kernels come in the matching convention:
(out, in, kh, kw) for NCHW as PyTorch stores them, (kh, kw, in, out) for NHWC as Keras.

Arguments arrive checked by ``glassnet.functional_conv``: ``stride`` is (sh, sw) and
``padding`` is ((top, bottom), (left, right)) in pixels.
"""

from __future__ import annotations

import numpy as np

from glassnet.tensor import Op


def _to_nhwc(x: np.ndarray, channels_last: bool) -> np.ndarray:
    return x if channels_last else x.transpose(0, 2, 3, 1)


def _from_nhwc(y: np.ndarray, channels_last: bool) -> np.ndarray:
    return y if channels_last else y.transpose(0, 3, 1, 2)


def _pad(x: np.ndarray, padding, value=0.0) -> np.ndarray:
    """Pad the height and width of an NHWC array with ``value``."""
    if not any(any(side) for side in padding):
        return x
    return np.pad(x, ((0, 0), *padding, (0, 0)), constant_values=value)


def _crop(x_pad: np.ndarray, padding) -> np.ndarray:
    """Undo ``_pad``: cut the padding off again (for gradients)."""
    (top, bottom), (left, right) = padding
    return x_pad[:, top:x_pad.shape[1] - bottom, left:x_pad.shape[2] - right, :]


def _output_size(padded_hw, kernel, stride) -> tuple:
    """ho = (padded_h - kh) // sh + 1, and the same for the width."""
    return tuple((n - k) // s + 1 for n, k, s in zip(padded_hw, kernel, stride))


def _offsets(kernel, out_hw, stride):
    """For each kernel offset (i, j): the strided slice of the padded input it meets.

    ``x_pad[:, rows, cols]`` holds, for every output pixel (ho, wo), the input value under
    kernel position (i, j): ``x_pad[:, s*ho + i, s*wo + j]``.
    """
    (kh, kw), (ho, wo), (sh, sw) = kernel, out_hw, stride
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + sh * (ho - 1) + 1, sh)
            cols = slice(j, j + sw * (wo - 1) + 1, sw)
            yield i, j, (slice(None), rows, cols)


class Conv2d(Op):
    """2-D convolution (cross-correlation) by im2col + one matmul;  backward: matmuls + col2im.

    y[n, o, i, j] = b_o + sum_{c, u, v} x[n, c, i*s + u, j*s + v] * W[o, c, u, v]; with the
    patches as rows X (im2col) and W as a matrix: Y = X @ W + b, so dW = X^T @ G,
    db = sum of G's rows and dX = G @ W^T, folded back onto the image by col2im.
    """

    def __init__(self, stride=(1, 1), padding=((0, 0), (0, 0)), channels_last=False):
        self.stride, self.padding, self.channels_last = stride, padding, channels_last

    def _weight_matrix(self, weight):
        """The kernel as a (kh * kw * in, out) matrix, rows in the order of im2col's columns."""
        if self.channels_last:  # Keras: (kh, kw, in, out)
            return weight.reshape(-1, weight.shape[3])
        return weight.transpose(2, 3, 1, 0).reshape(-1, weight.shape[0])  # PyTorch: (out, in, ..)

    def forward(self, x, weight, bias=None):
        kernel = weight.shape[:2] if self.channels_last else weight.shape[2:]
        x_pad = _pad(_to_nhwc(x, self.channels_last), self.padding)
        n, channels = x_pad.shape[0], x_pad.shape[3]
        out_hw = _output_size(x_pad.shape[1:3], kernel, self.stride)
        # im2col: cols[n, ho, wo, i, j, c] = x_pad[n, s*ho + i, s*wo + j, c]
        cols = np.empty((n, *out_hw, *kernel, channels), dtype=x.dtype)
        for i, j, window in _offsets(kernel, out_hw, self.stride):
            cols[:, :, :, i, j, :] = x_pad[window]
        self.cols = cols.reshape(n * out_hw[0] * out_hw[1], -1)
        self.weight, self.padded_shape, self.kernel = weight, x_pad.shape, kernel
        y = self.cols @ self._weight_matrix(weight)
        if bias is not None:
            y += bias
        return _from_nhwc(y.reshape(n, *out_hw, -1), self.channels_last)

    def backward(self, grad):
        grad = _to_nhwc(grad, self.channels_last)
        out_hw = grad.shape[1:3]
        grad_rows = grad.reshape(-1, grad.shape[3])  # one row per output pixel
        grad_x = grad_w = grad_b = None
        if self.needs_input_grad[0]:
            grad_cols = grad_rows @ self._weight_matrix(self.weight).T
            grad_cols = grad_cols.reshape(*grad.shape[:3], *self.kernel, -1)
            grad_pad = np.zeros(self.padded_shape, dtype=grad.dtype)
            for i, j, window in _offsets(self.kernel, out_hw, self.stride):  # col2im
                grad_pad[window] += grad_cols[:, :, :, i, j, :]
            grad_x = _from_nhwc(_crop(grad_pad, self.padding), self.channels_last)
        if self.needs_input_grad[1]:
            grad_w = (self.cols.T @ grad_rows).reshape(*self.kernel, -1, grad.shape[3])
            grad_w = grad_w if self.channels_last else grad_w.transpose(3, 2, 0, 1)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            grad_b = grad_rows.sum(axis=0)
        return grad_x, grad_w, grad_b


class MaxPool2d(Op):
    """Largest value of each window;  the gradient goes to it (the first one on ties)."""

    def __init__(self, kernel=(2, 2), stride=(2, 2), padding=((0, 0), (0, 0)),
                 channels_last=False):
        self.kernel, self.stride = kernel, stride
        self.padding, self.channels_last = padding, channels_last

    def forward(self, x):
        x_pad = _pad(_to_nhwc(x, self.channels_last), self.padding, value=-np.inf)
        out_hw = _output_size(x_pad.shape[1:3], self.kernel, self.stride)
        best = winner = None
        for k, (_, _, window) in enumerate(_offsets(self.kernel, out_hw, self.stride)):
            candidate = x_pad[window]
            if best is None:
                best, winner = candidate.copy(), np.zeros(candidate.shape, dtype=np.int32)
                continue
            better = candidate > best  # strictly greater: an earlier offset wins a tie
            best = np.where(better, candidate, best)
            winner[better] = k
        self.winner, self.padded_shape = winner, x_pad.shape
        return _from_nhwc(best, self.channels_last)

    def backward(self, grad):
        grad = _to_nhwc(grad, self.channels_last)
        grad_pad = np.zeros(self.padded_shape, dtype=grad.dtype)
        zero = grad.dtype.type(0)
        for k, (_, _, window) in enumerate(_offsets(self.kernel, grad.shape[1:3], self.stride)):
            grad_pad[window] += np.where(self.winner == k, grad, zero)
        return _from_nhwc(_crop(grad_pad, self.padding), self.channels_last)


class AvgPool2d(Op):
    """Mean of each window;  each input in a window gets grad / (number of values averaged)."""

    def __init__(self, kernel=(2, 2), stride=(2, 2), padding=((0, 0), (0, 0)),
                 channels_last=False, count_include_pad=True):
        self.kernel, self.stride = kernel, stride
        self.padding, self.channels_last = padding, channels_last
        self.count_include_pad = count_include_pad

    def _window_sum(self, x_pad, out_hw):
        total = None
        for _, _, window in _offsets(self.kernel, out_hw, self.stride):
            total = x_pad[window].copy() if total is None else total + x_pad[window]
        return total

    def forward(self, x):
        x = _to_nhwc(x, self.channels_last)
        x_pad = _pad(x, self.padding)
        out_hw = _output_size(x_pad.shape[1:3], self.kernel, self.stride)
        if self.count_include_pad:  # PyTorch's default: padded zeros count
            self.count = x.dtype.type(self.kernel[0] * self.kernel[1])
        else:  # Keras "same": average over the real pixels of each window only
            ones = _pad(np.ones((1, *x.shape[1:3], 1), dtype=x.dtype), self.padding)
            self.count = self._window_sum(ones, out_hw)
        self.padded_shape = x_pad.shape
        return _from_nhwc(self._window_sum(x_pad, out_hw) / self.count, self.channels_last)

    def backward(self, grad):
        grad = _to_nhwc(grad, self.channels_last)
        share = grad / self.count
        grad_pad = np.zeros(self.padded_shape, dtype=grad.dtype)
        for _, _, window in _offsets(self.kernel, grad.shape[1:3], self.stride):
            grad_pad[window] += share
        return _from_nhwc(_crop(grad_pad, self.padding), self.channels_last)
