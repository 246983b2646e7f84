"""Convolution layers: a small kernel of weights slid over the image, one sum per position.

One class underneath two front doors, as ``Linear``/``Dense``:

* ``nn.Conv2d(in_channels, out_channels, kernel_size)`` - PyTorch's: images NCHW
  (batch, channels, height, width), weight (out, in, kh, kw), PyTorch's initialisation.
* ``Conv2D(filters, kernel_size, activation="relu")`` - Keras's: images NHWC
  (batch, height, width, channels), kernel (kh, kw, in, out), input channels read from
  the first batch, Glorot-uniform kernel, zero bias, an optional activation.

Both run the same op (``glassnet.ops.conv.Conv2d``), which reads either layout directly
(an NCHW image is viewed as NHWC without copying), so neither layer pays for transposes.

Example:
    >>> import glassnet as gn
    >>> images = gn.zeros(8, 28, 28, 1)                       # 8 grey 28x28 images, NHWC
    >>> conv = Conv2D(16, 3, activation="relu")
    >>> conv(images).shape, conv.kernel.shape                 # 28 - 3 + 1 = 26
    ((8, 26, 26, 16), (3, 3, 1, 16))
"""

from __future__ import annotations

import math

import numpy as np

from glassnet import backend
from glassnet import functional_conv as FC
from glassnet.nn import init
from glassnet.nn.activation import Identity, activation_config, get_activation
from glassnet.nn.module import Module, Parameter, _as_input, unique_name
from glassnet.nn.regularizers import get_regularizer, regularizer_config


def _positive_int(value, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{where}: {name} must be a positive integer, received {value!r}")
    return int(value)


def _check_padding(padding, where: str):
    """'valid'/'same' (lower-cased) or a pair of non-negative ints."""
    if isinstance(padding, str):
        if padding.lower() not in ("valid", "same"):
            raise ValueError(f"{where}: padding must be 'valid', 'same', an int or a pair of "
                             f"ints, received {padding!r}")
        return padding.lower()
    return FC._pair(padding, "padding", where, minimum=0)


class Conv2d(Module):
    """PyTorch's 2-D convolution over NCHW images.

    Each output channel o is one kernel W[o] (in_channels x kh x kw) slid over the image;
    at every position the output is the weighted sum of the window plus a bias:

        y[n, o, h, w] = b[o] + sum over c, i, j of x_padded[n, c, s*h + i, s*w + j] * W[o, c, i, j]

    Output size per axis: ``out = (in + 2 * padding - k) // stride + 1``.

    Args:
        in_channels: channels of the input images (C_in, e.g. 3 for RGB).
        out_channels: number of kernels, i.e. output channels (C_out).
        kernel_size: kh = kw, or a pair (kh, kw).
        stride: step between windows, an int or a pair. Defaults to 1.
        padding: zeros around the image: an int or a pair on both sides, or "valid" / "same"
            (out = ceil(in / stride)). Defaults to 0.
        bias: learn one bias per output channel (default True).
        rng: a ``numpy.random.Generator`` or int seed for the initial weights.
        dtype: the parameters' dtype (default float32).
        name: the layer name (default "conv2d", "conv2d_1", ...).

    Attributes:
        weight: shape (out_channels, in_channels, kh, kw), as PyTorch stores it;
            U(-k, k) with k = 1 / sqrt(in_channels * kh * kw) (PyTorch's default).
        bias: shape (out_channels,), U(-k, k); None when ``bias=False``.

    Shape:
        input (N, C_in, H, W); output (N, C_out, H_out, W_out).

    Example:
        >>> import glassnet as gn
        >>> conv = Conv2d(3, 8, kernel_size=3, padding=1, rng=0)
        >>> conv
        Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        >>> conv(gn.zeros(2, 3, 32, 32)).shape, conv.num_parameters()    # 8*3*3*3 + 8
        ((2, 8, 32, 32), 224)
    """

    data_format = "channels_first"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 bias: bool = True, *, rng=None, dtype=None, name: str | None = None):
        super().__init__()
        in_channels = _positive_int(in_channels, "in_channels", "Conv2d")
        out_channels = _positive_int(out_channels, "out_channels", "Conv2d")
        self._setup(out_channels, kernel_size, stride, padding, bias, rng, dtype)
        self.name = name if name is not None else unique_name("conv2d")
        self.build((None, in_channels, None, None))

    def _setup(self, out_channels, kernel_size, stride, padding, use_bias, rng, dtype):
        """The state shared by Conv2d and Conv2D, before the weights exist."""
        where = type(self).__name__
        self.in_channels = None
        self.out_channels = out_channels
        self.kernel_size = FC._pair(kernel_size, "kernel_size", where, minimum=1)
        self.stride = FC._pair(stride, "stride", where, minimum=1)
        self.padding = _check_padding(padding, where)
        self.use_bias = bool(use_bias)
        self._rng = None if rng is None else backend.get_generator(rng)
        self._param_dtype = None if dtype is None else backend.as_dtype(dtype)
        self.kernel_initializer = None  # None: PyTorch's default initialisation
        self.bias_initializer = None
        self.kernel_regularizer = None
        self.bias_regularizer = None
        self.__dict__["activation"] = None  # part of the layer, not a child module
        self.built = False
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)

    # -- weights -------------------------------------------------------------------------
    def _channels_of(self, input_shape) -> int:
        return input_shape[1]

    def _weight_shape(self) -> tuple:
        return (self.out_channels, self.in_channels, *self.kernel_size)

    def build(self, input_shape) -> None:
        """Create the kernels for images of shape ``input_shape`` (batch axis first)."""
        self.in_channels = _positive_int(self._channels_of(input_shape), "input channels",
                                         self._where())
        dtype = self._param_dtype or backend.get_default_dtype()
        self.weight = Parameter(np.empty(self._weight_shape(), dtype=dtype))
        if self.use_bias:
            self.bias = Parameter(np.empty(self.out_channels, dtype=dtype))
        self.built = True
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh initial weights (the layer's initializers, or PyTorch's default)."""
        rng = backend.get_generator(self._rng)
        if self.kernel_initializer is None:
            # PyTorch: kaiming_uniform_(W, a=sqrt(5)) is U(-k, k), k = 1/sqrt(fan_in); b too
            fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
            bound = 1.0 / math.sqrt(fan_in)
            init.uniform_(self.weight, -bound, bound, rng=rng)
            if self.bias is not None:
                init.uniform_(self.bias, -bound, bound, rng=rng)
            return
        init.get_initializer(self.kernel_initializer)(self.weight, rng=rng)
        if self.bias is not None:
            init.get_initializer(self.bias_initializer)(self.bias, rng=rng)

    @property
    def kernel(self) -> Parameter | None:
        """Keras's name for ``weight``."""
        return self.weight

    # -- forward -------------------------------------------------------------------------
    def _where(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def forward(self, x):
        """``activation(conv2d(x, weight) + bias)`` (Conv2d has no activation)."""
        if not self.built:
            x = _as_input(x, self._param_dtype or backend.get_default_dtype())
            FC._check_images(x, self.data_format == "channels_last", self._where())
            self.build(x.shape)
        else:
            x = _as_input(x, self.weight.dtype)
        y = FC._conv2d(x, self.weight, self.bias, self.stride, self.padding, self.data_format,
                       self._where())
        return y if self.activation is None else self.activation(y)

    # -- regularization, saving, printing ------------------------------------------------
    def penalties(self):
        return ((self.kernel_regularizer, self.weight), (self.bias_regularizer, self.bias))

    def _build_from_state(self, state, prefix: str) -> None:
        saved = state.get(prefix + "weight")
        if not self.built and saved is not None and np.ndim(saved) == 4:
            channels = np.shape(saved)[2 if self.data_format == "channels_last" else 1]
            shape = [None] * 4
            shape[3 if self.data_format == "channels_last" else 1] = channels
            self.build(tuple(shape))

    def _padding_repr(self):
        return self.padding if isinstance(self.padding, str) else tuple(self.padding)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self._padding_repr()!r}"
        return text if self.use_bias else text + ", bias=False"

    def _dtype_name(self) -> str | None:
        if self.weight is not None:
            return str(self.weight.dtype)
        return None if self._param_dtype is None else str(self._param_dtype)

    def get_config(self) -> dict:
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": self.padding if isinstance(self.padding, str) else
                list(self.padding), "bias": self.use_bias, "dtype": self._dtype_name(),
                "name": self.name}


class Conv2D(Conv2d):
    """Keras's 2-D convolution over NHWC images, built lazily from the first batch.

    The same class as ``Conv2d`` underneath; here images are channels-last and the kernel
    is stored as Keras stores it, (kh, kw, in_channels, filters):

        y[n, h, w, o] = activation(b[o] + sum over i, j, c of x_padded[n, s*h + i, s*w + j, c]
                                                             * kernel[i, j, c, o])

    Args:
        filters: number of kernels, i.e. output channels.
        kernel_size: kh = kw, or a pair (kh, kw).
        strides: step between windows, an int or a pair. Defaults to 1.
        padding: "valid" (no padding, the default) or "same" (zeros so that
            out = ceil(in / strides); an odd extra pixel goes to the bottom/right, as in
            Keras). An int or a pair also works (PyTorch's meaning).
        activation: a name ("relu", ...), None (linear), a Module or a callable.
        use_bias: learn one bias per filter (default True).
        kernel_initializer: a name from ``nn.init.INITIALIZERS`` or a callable; default
            "glorot_uniform" (fan_in = kh * kw * in, fan_out = kh * kw * filters).
        bias_initializer: default "zeros".
        kernel_regularizer, bias_regularizer: None, "l1", "l2", "l1_l2" or a callable.
        input_shape: the shape of one image (H, W, C): build the weights now.
        name: the layer name (default "conv2d", "conv2d_1", ...).
        rng: a ``numpy.random.Generator`` or int seed for the initial weights.
        dtype: the parameters' dtype (default float32).

    Attributes:
        weight (alias ``kernel``): shape (kh, kw, in_channels, filters); None before the
            layer is built.
        bias: shape (filters,).

    Shape:
        input (N, H, W, C_in); output (N, H_out, W_out, filters).

    Example:
        >>> import glassnet as gn
        >>> conv = Conv2D(16, 3, padding="same", activation="relu", input_shape=(8, 8, 1))
        >>> conv
        Conv2D(filters=16, kernel_size=(3, 3), strides=(1, 1), padding='same', activation='relu')
        >>> conv(gn.zeros(4, 8, 8, 1)).shape, conv.num_parameters()      # 3*3*1*16 + 16
        ((4, 8, 8, 16), 160)
    """

    data_format = "channels_last"

    def __init__(self, filters: int, kernel_size, strides=1, padding="valid", activation=None,
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 input_shape=None, name: str | None = None, rng=None, dtype=None):
        Module.__init__(self)
        filters = _positive_int(filters, "filters", "Conv2D")
        self._setup(filters, kernel_size, strides, padding, use_bias, rng, dtype)
        self.name = name if name is not None else unique_name("conv2d")
        init.get_initializer(kernel_initializer)  # unknown names fail here, not at build
        init.get_initializer(bias_initializer)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = get_regularizer(kernel_regularizer)
        self.bias_regularizer = get_regularizer(bias_regularizer)
        resolved = get_activation(activation)
        self.__dict__["activation"] = None if isinstance(resolved, Identity) else resolved
        if input_shape is not None:
            if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
                raise ValueError(f"{self._where()}: input_shape must be the shape of one image "
                                 f"(height, width, channels), received {input_shape!r}")
            self.build((None, *input_shape))

    @property
    def filters(self) -> int:
        """Keras's name for ``out_channels``."""
        return self.out_channels

    @property
    def strides(self) -> tuple:
        """Keras's name for ``stride``."""
        return self.stride

    @property
    def activation_name(self) -> str | None:
        """The activation's table name ("relu", ...; "linear" if none, None if custom)."""
        return "linear" if self.activation is None else getattr(self.activation,
                                                                "activation_name", None)

    def _channels_of(self, input_shape) -> int:
        return input_shape[-1]

    def _weight_shape(self) -> tuple:
        return (*self.kernel_size, self.in_channels, self.out_channels)

    def extra_repr(self) -> str:
        text = (f"filters={self.out_channels}, kernel_size={self.kernel_size}, "
                f"strides={self.stride}, padding={self._padding_repr()!r}, "
                f"activation={self.activation_name!r}")
        return text if self.use_bias else text + ", use_bias=False"

    def get_config(self) -> dict:
        for spec in (self.kernel_initializer, self.bias_initializer):
            if init.initializer_name(spec) is None:
                raise TypeError(f"{self._where()}: cannot describe the custom initializer "
                                f"{spec!r} in a config")
        activation = "linear" if self.activation is None else activation_config(self.activation)
        input_shape = None if self.in_channels is None else [None, None, self.in_channels]
        return {
            "filters": self.out_channels,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.stride),
            "padding": self.padding if isinstance(self.padding, str) else list(self.padding),
            "activation": activation,
            "use_bias": self.use_bias,
            "kernel_initializer": init.initializer_name(self.kernel_initializer),
            "bias_initializer": init.initializer_name(self.bias_initializer),
            "kernel_regularizer": regularizer_config(self.kernel_regularizer),
            "bias_regularizer": regularizer_config(self.bias_regularizer),
            "input_shape": input_shape,
            "name": self.name,
            "dtype": self._dtype_name(),
        }
