"""Recurrent layers: read a sequence one step at a time, carrying a state from step to step.

Input (N, T, F): N sequences of T steps with F features each (Keras's layout, PyTorch's
``batch_first=True``). At every step t the layer mixes the step's input x_t with its
previous state h_{t-1}; the output is the last state h_T, or every h_t with
``return_sequences=True``.

* ``nn.SimpleRNN(units)``: h_t = tanh(x_t W + h_{t-1} U + b).
* ``LSTM(units)``: a memory cell c_t guarded by input, forget and output gates, so
  information (and gradient) can survive many steps.
* ``GRU(units)``: update and reset gates, no separate cell; fewer weights than LSTM.

The layers are written with ordinary differentiable ops (matmul, sigmoid, tanh, slicing,
stack), so autograd does backpropagation through time on its own: the Python loop over
the T steps is the recurrence itself (no loop over samples or units). The input part
x_t W + b is computed for all steps at once, before the loop.

Weights are Keras's, in Keras's gate order: ``kernel`` (F, gates * units) for the input,
``recurrent_kernel`` (units, gates * units) for the state, ``bias``. Each gate owns one
block of ``units`` columns. The layers are built on the first batch (F read from it).

Example:
    >>> import glassnet as gn
    >>> lstm = LSTM(32)
    >>> x = gn.zeros(4, 10, 3)                 # 4 sequences, 10 steps, 3 features
    >>> lstm(x).shape, lstm.kernel.shape, lstm.recurrent_kernel.shape
    ((4, 32), (3, 128), (32, 128))
    >>> GRU(8, return_sequences=True)(x).shape
    (4, 10, 8)
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet import functional as F
from glassnet.nn import init
from glassnet.nn.activation import activation_config, get_activation
from glassnet.nn.module import Module, Parameter, _as_input, unique_name
from glassnet.tensor import Tensor


def orthogonal_(tensor, gain: float = 1.0, rng=None):
    """Fill a 2-D weight with an orthogonal matrix (rows or columns orthonormal), times gain.

    Keras's default for recurrent kernels: multiplying the state by an orthogonal matrix
    keeps its length, so over many steps it neither explodes nor vanishes as quickly.
    Drawn as the Q of a QR decomposition of a normal matrix, signs fixed so that Q is
    uniformly distributed (Saxe et al., 2014).

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> w = orthogonal_(gn.zeros(3, 12), rng=0)          # rows orthonormal
        >>> np.allclose(w.data @ w.data.T, np.eye(3), atol=1e-6)
        True
    """
    array = tensor.data if isinstance(tensor, Tensor) else tensor
    rows, cols = array.shape[0], int(np.prod(array.shape[1:]))
    normal = backend.get_generator(rng).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(normal)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    array[...] = gain * q.reshape(array.shape)
    return tensor


def _get_initializer(spec):
    if isinstance(spec, str) and spec.strip().lower() == "orthogonal":
        return orthogonal_
    return init.get_initializer(spec)


def _initializer_name(spec):
    if spec is orthogonal_ or (isinstance(spec, str) and spec.strip().lower() == "orthogonal"):
        return "orthogonal"
    return init.initializer_name(spec)


class _Recurrent(Module):
    """The part every recurrent layer shares: weights, lazy build, the loop over time."""

    gates = 1  # how many blocks of `units` columns the weights hold

    def _setup(self, units, activation, use_bias, kernel_initializer, recurrent_initializer,
               bias_initializer, return_sequences, name, rng, dtype):
        where = type(self).__name__
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"{where}: units must be a positive integer. Received: "
                             f"units={units!r}")
        self.units = int(units)
        self.input_size = None
        self.use_bias = bool(use_bias)
        self.return_sequences = bool(return_sequences)
        self.__dict__["activation"] = get_activation(activation)  # not a child module
        for spec in (kernel_initializer, recurrent_initializer, bias_initializer):
            _get_initializer(spec)  # unknown names fail here, not at build
        self.kernel_initializer = kernel_initializer
        self.recurrent_initializer = recurrent_initializer
        self.bias_initializer = bias_initializer
        self._rng = None if rng is None else backend.get_generator(rng)
        self._param_dtype = None if dtype is None else backend.as_dtype(dtype)
        self.name = name if name is not None else unique_name(_default_name(where))
        self.built = False
        for weight in ("kernel", "recurrent_kernel", "bias"):
            self.register_parameter(weight, None)

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def build(self, input_shape) -> None:
        """Create the weights for sequences whose last axis has ``input_shape[-1]`` features."""
        features = input_shape[-1]
        if isinstance(features, bool) or not isinstance(features, (int, np.integer)) \
                or features <= 0:
            raise ValueError(f"{self._where()}: cannot build from input shape "
                             f"{tuple(input_shape)}; the last axis must be the features")
        dtype = self._param_dtype or backend.get_default_dtype()
        width = self.gates * self.units
        self.input_size = int(features)
        self.kernel = Parameter(np.empty((self.input_size, width), dtype=dtype))
        self.recurrent_kernel = Parameter(np.empty((self.units, width), dtype=dtype))
        if self.use_bias:
            self.bias = Parameter(np.empty(self._bias_shape(), dtype=dtype))
        self.built = True
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh initial weights from the layer's initializers."""
        rng = backend.get_generator(self._rng)
        _get_initializer(self.kernel_initializer)(self.kernel, rng=rng)
        _get_initializer(self.recurrent_initializer)(self.recurrent_kernel, rng=rng)
        if self.bias is not None:
            _get_initializer(self.bias_initializer)(self.bias, rng=rng)

    # -- forward -------------------------------------------------------------------------
    def _where(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def _check_input(self, x) -> Tensor:
        x = _as_input(x, self.kernel.dtype if self.built else
                      (self._param_dtype or backend.get_default_dtype()))
        if x.ndim != 3:
            raise ValueError(f"{self._where()}: expected a 3-D input (batch, timesteps, "
                             f"features), received shape {x.shape}; a single sequence needs "
                             f"a batch axis: x.reshape(1, timesteps, features)")
        if x.shape[1] == 0:
            raise ValueError(f"{self._where()}: received sequences with 0 timesteps "
                             f"(shape {x.shape})")
        if not self.built:
            self.build(x.shape)
        if x.shape[2] != self.input_size:
            raise ValueError(f"{self._where()}: expected input with {self.input_size} features "
                             f"per step, received shape {x.shape}")
        return x

    def _input_bias(self):
        """The bias added to x_t W (all of it, except GRU's recurrent half)."""
        return self.bias

    def _zero_state(self, batch: int, dtype):
        return Tensor._from_op(np.zeros((batch, self.units), dtype=dtype), None)

    def step(self, x_t, state):  # pragma: no cover - defined by subclasses
        """One time step: (x_t W + b, previous state) -> (output h_t, new state)."""
        raise NotImplementedError

    def forward(self, x):
        """Run the sequence through the layer; the last h_T, or every h_t (N, T, units)."""
        x = self._check_input(x)
        projected = F.linear(x, self.kernel, self._input_bias())  # x_t W + b, every t at once
        state = self._zero_state(x.shape[0], x.dtype)
        outputs = []
        for t in range(x.shape[1]):
            output, state = self.step(projected[:, t], state)
            outputs.append(output)
        return F.stack(outputs, axis=1) if self.return_sequences else outputs[-1]

    # -- saving, printing ----------------------------------------------------------------
    def _build_from_state(self, state, prefix: str) -> None:
        saved = state.get(prefix + "kernel")
        if not self.built and saved is not None and np.ndim(saved) == 2:
            self.build((None, None, np.shape(saved)[0]))

    def extra_repr(self) -> str:
        text = f"units={self.units}"
        if self.input_size is not None:
            text = f"input_size={self.input_size}, " + text
        if self.return_sequences:
            text += ", return_sequences=True"
        return text

    def get_config(self) -> dict:
        names = [_initializer_name(spec) for spec in (self.kernel_initializer,
                                                      self.recurrent_initializer,
                                                      self.bias_initializer)]
        if None in names:
            raise TypeError(f"{self._where()}: cannot describe a custom initializer in a config")
        dtype = self.kernel.dtype if self.kernel is not None else self._param_dtype
        return {
            "units": self.units,
            "activation": activation_config(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": names[0],
            "recurrent_initializer": names[1],
            "bias_initializer": names[2],
            "return_sequences": self.return_sequences,
            "input_shape": None if self.input_size is None else [None, self.input_size],
            "name": self.name,
            "dtype": None if dtype is None else str(dtype),
        }


def _default_name(class_name: str) -> str:
    return {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru"}.get(class_name,
                                                                        class_name.lower())


def _build_now(layer, input_shape) -> None:
    """Keras's ``input_shape=(timesteps, features)``: build the weights at once."""
    if input_shape is None:
        return
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
        raise ValueError(f"{layer._where()}: input_shape must be (timesteps, features) of one "
                         f"sequence, received {input_shape!r}")
    layer.build((None, *input_shape))


class SimpleRNN(_Recurrent):
    """The plain (Elman) recurrent layer: the new state is a squashed mix of input and state.

    At each step t:

        h_t = activation(x_t W + h_{t-1} U + b)         h_0 = 0

    Simple, but gradients through many steps shrink or grow by the same factor again and
    again, so it struggles with long-range dependencies (use LSTM or GRU for those).

    Args:
        units: the size of the state h (and of the output).
        activation: default "tanh".
        use_bias: learn b (default True).
        kernel_initializer: for W; default "glorot_uniform".
        recurrent_initializer: for U; default "orthogonal".
        bias_initializer: default "zeros".
        return_sequences: output every h_t (N, T, units) instead of the last (N, units).
        input_shape: (timesteps, features) of one sequence: build the weights now.
        name, rng, dtype: the layer name, a Generator or seed for the initial weights, the
            parameters' dtype (default float32).

    Attributes:
        kernel: W, shape (features, units).
        recurrent_kernel: U, shape (units, units).
        bias: b, shape (units,).

    Shape:
        input (N, T, features); output (N, units), or (N, T, units).

    Example:
        >>> import glassnet as gn
        >>> rnn = SimpleRNN(4, input_shape=(5, 2))
        >>> rnn, rnn.num_parameters()                     # 2*4 + 4*4 + 4
        (SimpleRNN(input_size=2, units=4), 28)
        >>> rnn(gn.zeros(3, 5, 2)).shape
        (3, 4)
    """

    def __init__(self, units: int, activation="tanh", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", return_sequences: bool = False, input_shape=None,
                 name: str | None = None, rng=None, dtype=None):
        super().__init__()
        self._setup(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                    bias_initializer, return_sequences, name, rng, dtype)
        _build_now(self, input_shape)

    def step(self, x_t, h):
        """h_t = activation(x_t W + b + h_(t-1) U); the output is the new state."""
        h = self.activation(x_t + h @ self.recurrent_kernel)
        return h, h


class LSTM(_Recurrent):
    """Long short-term memory (Hochreiter & Schmidhuber, 1997): a gated memory cell.

    At each step t, with z = x_t W + h_{t-1} U + b split into four blocks of ``units``
    columns in Keras's gate order (input, forget, cell candidate, output - the same order
    as PyTorch's i, f, g, o):

        i = sigmoid(z_i)            how much new information to write
        f = sigmoid(z_f)            how much of the old cell to keep
        g = tanh(z_g)               the candidate values
        o = sigmoid(z_o)            how much of the cell to show
        c_t = f * c_{t-1} + i * g   the cell: an additive path through time
        h_t = o * tanh(c_t)         h_0 = c_0 = 0

    Because c_t is updated by addition, its gradient can flow over many steps without
    vanishing (as long as f stays near 1).

    Args:
        units: the size of the state h and the cell c.
        activation: for g and the output (default "tanh").
        recurrent_activation: for the gates i, f, o (default "sigmoid").
        use_bias: learn b (default True).
        kernel_initializer: for W; default "glorot_uniform".
        recurrent_initializer: for U; default "orthogonal".
        bias_initializer: default "zeros".
        unit_forget_bias: start the forget gate's bias at 1 (Keras's default, True), so the
            cell remembers from the start.
        return_sequences: output every h_t (N, T, units) instead of the last (N, units).
        input_shape: (timesteps, features) of one sequence: build the weights now.
        name, rng, dtype: the layer name, a Generator or seed, the parameters' dtype.

    Attributes:
        kernel: W, shape (features, 4 * units), blocks [i | f | g | o].
        recurrent_kernel: U, shape (units, 4 * units).
        bias: b, shape (4 * units,). PyTorch keeps two biases (b_ih + b_hh); their sum is b.

    Shape:
        input (N, T, features); output (N, units), or (N, T, units).

    Example:
        >>> import glassnet as gn
        >>> lstm = LSTM(3, input_shape=(5, 2))
        >>> lstm.num_parameters()                          # 4 * (2*3 + 3*3 + 3)
        72
        >>> lstm.bias.data.tolist()                        # forget gate starts at 1
        [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """

    gates = 4

    def __init__(self, units: int, activation="tanh", recurrent_activation="sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, return_sequences: bool = False,
                 input_shape=None, name: str | None = None, rng=None, dtype=None):
        super().__init__()
        self._setup(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                    bias_initializer, return_sequences, name, rng, dtype)
        self.__dict__["recurrent_activation"] = get_activation(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        _build_now(self, input_shape)

    def reset_parameters(self) -> None:
        """Fresh initial weights; the forget gate's bias starts at 1 with ``unit_forget_bias``."""
        super().reset_parameters()
        if self.bias is not None and self.unit_forget_bias:
            self.bias.data[self.units:2 * self.units] = 1.0

    def _zero_state(self, batch: int, dtype):
        return (super()._zero_state(batch, dtype), super()._zero_state(batch, dtype))

    def step(self, x_t, state):
        """z = x_t W + b + h U split into i, f, g, o; c_t = f c + i g; h_t = o tanh(c_t).

        (i, f, o use the recurrent activation, g and the output the activation.)
        """
        h, c = state
        u, gate = self.units, self.recurrent_activation
        z = x_t + h @ self.recurrent_kernel
        i = gate(z[:, :u])
        f = gate(z[:, u:2 * u])
        g = self.activation(z[:, 2 * u:3 * u])
        o = gate(z[:, 3 * u:])
        c = f * c + i * g
        h = o * self.activation(c)
        return h, (h, c)

    def get_config(self) -> dict:
        return {**super().get_config(),
                "recurrent_activation": activation_config(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class GRU(_Recurrent):
    """Gated recurrent unit (Cho et al., 2014): an update gate mixes old state and new.

    At each step t, in Keras's gate order (update z, reset r, candidate h~; PyTorch orders
    its blocks r, z, n), with x_t W + b_in split into blocks x_z, x_r, x_h:

        with reset_after=True (default; Keras 2+ and PyTorch, cuDNN-compatible):
            s = h_{t-1} U + b_rec                       split into s_z, s_r, s_h
            z = sigmoid(x_z + s_z)
            r = sigmoid(x_r + s_r)
            h~ = tanh(x_h + r * s_h)
        with reset_after=False (the original paper; no recurrent bias):
            z = sigmoid(x_z + h_{t-1} U_z)
            r = sigmoid(x_r + h_{t-1} U_r)
            h~ = tanh(x_h + (r * h_{t-1}) U_h)
        h_t = z * h_{t-1} + (1 - z) * h~               h_0 = 0

    z near 1 keeps the old state (the gradient passes straight through), z near 0
    replaces it with the candidate.

    Args:
        units: the size of the state h.
        activation: for the candidate (default "tanh").
        recurrent_activation: for the gates z, r (default "sigmoid").
        use_bias: learn the biases (default True).
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            "glorot_uniform", "orthogonal", "zeros".
        return_sequences: output every h_t (N, T, units) instead of the last (N, units).
        reset_after: apply the reset gate after the matrix product (default True), see above.
        input_shape: (timesteps, features) of one sequence: build the weights now.
        name, rng, dtype: the layer name, a Generator or seed, the parameters' dtype.

    Attributes:
        kernel: W, shape (features, 3 * units), blocks [z | r | h].
        recurrent_kernel: U, shape (units, 3 * units).
        bias: shape (2, 3 * units) with reset_after (row 0 b_in, row 1 b_rec, as PyTorch's
            b_ih and b_hh), else (3 * units,).

    Shape:
        input (N, T, features); output (N, units), or (N, T, units).

    Example:
        >>> import glassnet as gn
        >>> gru = GRU(3, input_shape=(5, 2))
        >>> gru.bias.shape, gru.num_parameters()         # 3 * (2*3 + 3*3) + 2 * 9
        ((2, 9), 63)
        >>> gru(gn.zeros(4, 5, 2)).shape
        (4, 3)
    """

    gates = 3

    def __init__(self, units: int, activation="tanh", recurrent_activation="sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 return_sequences: bool = False, reset_after: bool = True, input_shape=None,
                 name: str | None = None, rng=None, dtype=None):
        super().__init__()
        self._setup(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                    bias_initializer, return_sequences, name, rng, dtype)
        self.__dict__["recurrent_activation"] = get_activation(recurrent_activation)
        self.reset_after = bool(reset_after)
        _build_now(self, input_shape)

    def _bias_shape(self) -> tuple:
        width = self.gates * self.units
        return (2, width) if self.reset_after else (width,)

    def _input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def step(self, x_t, h):
        """z, r = gate(x W + h U) parts; h~ = act(x W_h + r * (h U_h)); h_t = z h + (1 - z) h~.

        With ``reset_after=False`` the reset gate applies before the product: (r * h) U_h.
        """
        u, gate = self.units, self.recurrent_activation
        if self.reset_after:
            s = h @ self.recurrent_kernel
            if self.bias is not None:
                s = s + self.bias[1]
            z = gate(x_t[:, :u] + s[:, :u])
            r = gate(x_t[:, u:2 * u] + s[:, u:2 * u])
            candidate = self.activation(x_t[:, 2 * u:] + r * s[:, 2 * u:])
        else:
            s = h @ self.recurrent_kernel[:, :2 * u]
            z = gate(x_t[:, :u] + s[:, :u])
            r = gate(x_t[:, u:2 * u] + s[:, u:])
            reset_state = (r * h) @ self.recurrent_kernel[:, 2 * u:]
            candidate = self.activation(x_t[:, 2 * u:] + reset_state)
        h = z * h + (1 - z) * candidate
        return h, h

    def get_config(self) -> dict:
        return {**super().get_config(),
                "recurrent_activation": activation_config(self.recurrent_activation),
                "reset_after": self.reset_after}
