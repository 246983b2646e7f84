"""Registry entries for the convolution and pooling ops (``glassnet.ops.conv``).

Same form as ``glassnet.ops.samples``: each ``OpInfo`` gives the public call, sample
inputs (small, float64: strides, paddings, both layouts, asymmetric "same" padding), the
same call in PyTorch, and bad inputs with the error they must raise. The registry tests
check every sample against finite differences and against torch.

Ties in max pooling are left out of the samples on purpose: the gradient goes to the
first maximum (as in PyTorch), which finite differences cannot see; the layer tests
check ties against torch instead.
"""

from __future__ import annotations

import numpy as np

from glassnet import functional_conv as FC
from glassnet.ops import conv
from glassnet.ops.opinfo import ErrorInput, OpInfo, Sample


def _r(rng, *shape):
    return rng.uniform(-2.0, 2.0, size=shape)


def _nhwc(x):
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1))


# ----------------------------------------------------------------------------- samples


def _conv_samples(rng):
    x = _r(rng, 2, 2, 5, 5)
    w = _r(rng, 3, 2, 3, 3)
    b = _r(rng, 3)
    keras_kernel = np.ascontiguousarray(w.transpose(2, 3, 1, 0))  # (kh, kw, in, out)
    return [
        Sample((x, w, b)),
        Sample((x, w, b), {"stride": 2, "padding": 1}),
        Sample((x, _r(rng, 3, 2, 2, 3)), {"stride": (2, 1), "padding": (0, 1)}),  # no bias
        Sample((x, _r(rng, 4, 2, 1, 1), _r(rng, 4))),  # 1x1 kernel: a per-pixel Linear
        Sample((x, _r(rng, 2, 2, 5, 5), _r(rng, 2))),  # kernel as large as the image
        Sample((_nhwc(x), keras_kernel, b), {"data_format": "channels_last"}),
        Sample((_nhwc(_r(rng, 1, 2, 6, 6)), keras_kernel, b),  # "same", stride 2: pads (0, 1)
               {"stride": 2, "padding": "same", "data_format": "channels_last"}),
    ]


def _pool_samples(rng, extra=()):
    x = _r(rng, 2, 3, 6, 6)
    return [
        Sample((x, 2)),
        Sample((x, 3), {"stride": 2, "padding": 1}),
        Sample((x, (2, 3)), {"stride": (1, 2)}),
        Sample((_r(rng, 1, 2, 5, 4), 2), {"stride": 1}),  # overlapping windows
        Sample((_nhwc(x), 3),  # "same", stride 2 on 6x6: pads (0, 1), asymmetric
               {"stride": 2, "padding": "same", "data_format": "channels_last"}),
        *[Sample((x, 3), kwargs) for kwargs in extra],
    ]


def _avg_pool_samples(rng):
    return _pool_samples(rng, extra=[{"stride": 2, "padding": 1, "count_include_pad": False}])


# ----------------------------------------------------------------------------- torch references


def _same_pads(torch_x, kernel, stride):
    """Keras "same" padding as torch's F.pad argument (left, right, top, bottom)."""
    pads = []
    for n, k, s in zip(torch_x.shape[2:], kernel, stride):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        pads.append((total // 2, total - total // 2))
    (top, bottom), (left, right) = pads
    return (left, right, top, bottom)


def _two(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _torch_conv2d(torch, x, w, b=None, stride=1, padding=0, data_format="channels_first"):
    functional = torch.nn.functional
    channels_last = data_format == "channels_last"
    if channels_last:
        x, w = x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1)
    if padding == "same":
        x = functional.pad(x, _same_pads(x, w.shape[2:], _two(stride)))
        padding = 0
    y = functional.conv2d(x, w, b, stride=stride, padding=padding)
    return y.permute(0, 2, 3, 1) if channels_last else y


def _torch_pool(name):
    def call(torch, x, kernel_size, stride=None, padding=0, count_include_pad=True,
             data_format="channels_first"):
        functional = torch.nn.functional
        channels_last = data_format == "channels_last"
        x = x.permute(0, 3, 1, 2) if channels_last else x
        stride = kernel_size if stride is None else stride
        if name == "max":
            if padding == "same":
                pads = _same_pads(x, _two(kernel_size), _two(stride))
                x, padding = functional.pad(x, pads, value=-np.inf), 0
            y = functional.max_pool2d(x, kernel_size, stride, padding)
        elif padding == "same":  # Keras averages the real pixels only
            pads = _same_pads(x, _two(kernel_size), _two(stride))
            total = functional.avg_pool2d(functional.pad(x, pads), kernel_size, stride)
            count = functional.avg_pool2d(functional.pad(torch.ones_like(x), pads),
                                          kernel_size, stride)
            y = total / count
        else:
            y = functional.avg_pool2d(x, kernel_size, stride, padding,
                                      count_include_pad=count_include_pad)
        return y.permute(0, 2, 3, 1) if channels_last else y

    return call


def _avg_pool_fn(x, kernel_size, stride=None, padding=0, count_include_pad=None,
                 data_format="channels_first"):
    """Keras's rule: padding="same" averages the real pixels only (count_include_pad=False)."""
    if count_include_pad is None:
        count_include_pad = padding != "same"
    return FC.avg_pool2d(x, kernel_size, stride, padding, count_include_pad,
                         data_format=data_format)


# ----------------------------------------------------------------------------- bad inputs

_IMAGES = np.ones((2, 3, 5, 5))

_CONV_ERRORS = [
    ErrorInput((np.ones((3, 5, 5)), np.ones((4, 3, 3, 3))), {}, ValueError,
               r"conv2d: expected a 4-D batch of images \(N, C, H, W\), received shape "
               r"\(3, 5, 5\)"),
    ErrorInput((_IMAGES, np.ones((4, 2, 3, 3))), {}, ValueError,
               r"expected input with 2 channels .* received 3 channels"),
    ErrorInput((_IMAGES, np.ones((4, 3, 3, 3))), {"data_format": "channels_last"}, ValueError,
               r"expected input with 3 channels .* received 5 channels"),
    ErrorInput((_IMAGES, np.ones((4, 3, 7, 7))), {"padding": 0}, ValueError,
               r"7x7 kernel is larger than the padded input 5x5"),
    ErrorInput((_IMAGES, np.ones((4, 3, 3)),), {}, ValueError, r"kernel must be 4-D"),
    ErrorInput((_IMAGES, np.ones((4, 3, 3, 3)), np.ones(3)), {}, ValueError,
               r"bias must have shape \(4,\).*received \(3,\)"),
    ErrorInput((_IMAGES, np.ones((4, 3, 3, 3))), {"stride": 0}, ValueError,
               r"stride must be an int >= 1.*received 0"),
    ErrorInput((_IMAGES, np.ones((4, 3, 3, 3))), {"padding": "full"}, ValueError,
               r"padding must be 'valid', 'same'"),
    ErrorInput((_IMAGES, np.ones((4, 3, 3, 3))), {"data_format": "NCHW"}, ValueError,
               r"data_format must be one of"),
]

_POOL_ERRORS = [
    ErrorInput((np.ones((5, 5)), 2), {}, ValueError, r"expected a 4-D batch of images"),
    ErrorInput((_IMAGES, 2), {"padding": 2}, ValueError,
               r"padding \(\(2, 2\), \(2, 2\)\) must be at most half the kernel size \(2, 2\)"),
    ErrorInput((_IMAGES, 6), {}, ValueError, r"6x6 kernel is larger than the padded input 5x5"),
    ErrorInput((_IMAGES, 0), {}, ValueError, r"kernel_size must be an int >= 1"),
]

OP_INFOS = [
    OpInfo(conv.Conv2d, FC.conv2d, _conv_samples, _torch_conv2d, _CONV_ERRORS),
    OpInfo(conv.MaxPool2d, FC.max_pool2d, _pool_samples, _torch_pool("max"), _POOL_ERRORS),
    OpInfo(conv.AvgPool2d, _avg_pool_fn, _avg_pool_samples, _torch_pool("avg"),
           [ErrorInput((_IMAGES, 3), {"stride": (1, 2, 3)}, ValueError,
                       r"avg_pool2d: stride must be .* received \(1, 2, 3\)")]),
]
