"""The functions behind every layer and loss, with their maths and an example each.

Each function checks its inputs, then applies one op from ``glassnet.ops`` (or composes
a few). ``import glassnet.functional as F`` and use them on tensors, PyTorch style.

Example:
    >>> import glassnet as gn
    >>> import glassnet.functional as F
    >>> z = gn.tensor([-2.0, 0.0, 3.0])
    >>> F.relu(z)
    tensor([0., 0., 3.])
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.ops import activations as _act
from glassnet.ops import losses as _loss
from glassnet.ops import math as _math
from glassnet.ops import nn as _nn
from glassnet.ops import shape as _shape
from glassnet.tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")

# the public functions (``glassnet.nn.functional``, PyTorch's spelling, re-exports these)
__all__ = [
    "abs", "avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cat", "clamp", "clip", "concatenate", "conv2d", "cross_entropy", "dropout", "elu", "exp",
    "gelu", "huber_loss", "l1_loss", "leaky_relu", "linear", "log", "log_softmax", "matmul",
    "max_pool2d", "maximum", "minimum", "mse_loss", "nll_loss", "relu", "sigmoid", "silu",
    "softmax", "softplus", "sqrt", "stack", "tanh", "where",
]

# Convolution and pooling live in their own module (imported here for F.conv2d etc.).
from glassnet.functional_conv import avg_pool2d, conv2d, max_pool2d  # noqa: E402, F401
from glassnet.ops.normalization import batch_norm  # noqa: E402, F401


def _tensor(x, like: Tensor | None = None) -> Tensor:
    """x as a Tensor; plain float data takes the float dtype of ``like`` (never upcast)."""
    if isinstance(x, Tensor):
        return x
    if like is not None and like.dtype.kind == "f" and np.asarray(x).dtype.kind in "fb":
        return Tensor(x, dtype=like.dtype)
    return Tensor(x)


def _pair(prediction, target) -> tuple:
    """A loss's two inputs as tensors: a plain-array target follows the prediction's dtype."""
    prediction = _tensor(prediction, like=target if isinstance(target, Tensor) else None)
    return prediction, _tensor(target, like=prediction)


# ----------------------------------------------------------------------------- activations


def relu(z) -> Tensor:
    """Rectified linear unit: ``relu(z) = max(0, z)``; derivative 1 for z > 0, else 0.

    The default for hidden layers: cheap, and it does not saturate for positive z. A
    unit whose z stays negative outputs 0 and gets no gradient ("dying ReLU").

    Example:
        >>> import glassnet as gn
        >>> relu(gn.tensor([-1.0, 0.5]))
        tensor([0. , 0.5])
    """
    return _act.ReLU.apply(z)


def leaky_relu(z, negative_slope: float = 0.01) -> Tensor:
    """``leaky_relu(z) = z if z > 0 else negative_slope * z``: a small slope keeps units alive.

    Example:
        >>> import glassnet as gn
        >>> leaky_relu(gn.tensor([-10.0, 2.0]), 0.1)
        tensor([-1.,  2.])
    """
    return _act.LeakyReLU.apply(z, negative_slope=negative_slope)


def elu(z, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: ``elu(z) = z if z > 0 else alpha * (e^z - 1)``.

    Smooth, and negative outputs (down to -alpha) keep the mean activation near zero.

    Example:
        >>> import glassnet as gn
        >>> elu(gn.tensor([-1.0, 1.0]))
        tensor([-0.6321,  1.    ])
    """
    return _act.ELU.apply(z, alpha=alpha)


def gelu(z, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit: ``gelu(z) = z * Phi(z)``, Phi the standard normal CDF.

    ``approximate="tanh"`` uses ``0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))`` as
    PyTorch and Keras offer. Used in transformers.

    Example:
        >>> import glassnet as gn
        >>> gelu(gn.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.    ,  0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', received {approximate!r}")
    return _act.GELU.apply(z, approximate=approximate)


def sigmoid(z) -> Tensor:
    """Logistic sigmoid: ``sigmoid(z) = 1 / (1 + e^-z)``, in (0, 1); derivative ``y (1 - y)``.

    The output activation for binary classification. Its derivative is at most 0.25, so
    stacks of sigmoid layers shrink gradients (the vanishing gradient problem).

    Example:
        >>> import glassnet as gn
        >>> sigmoid(gn.tensor([0.0, 2.0]))
        tensor([0.5   , 0.8808])
    """
    return _act.Sigmoid.apply(z)


def tanh(z) -> Tensor:
    """Hyperbolic tangent, in (-1, 1) and centred at 0; derivative ``1 - y^2``.

    Example:
        >>> import glassnet as gn
        >>> tanh(gn.tensor([0.0, 1.0]))
        tensor([0.    , 0.7616])
    """
    return _act.Tanh.apply(z)


def softplus(z) -> Tensor:
    """``softplus(z) = ln(1 + e^z)``, a smooth ReLU; derivative ``sigmoid(z)``.

    Example:
        >>> import glassnet as gn
        >>> softplus(gn.tensor([0.0]))
        tensor([0.6931])
    """
    return _act.Softplus.apply(z)


def silu(z) -> Tensor:
    """Sigmoid linear unit (swish): ``silu(z) = z * sigmoid(z)``.

    Example:
        >>> import glassnet as gn
        >>> silu(gn.tensor([1.0]))
        tensor([0.7311])
    """
    return _act.SiLU.apply(z)


def softmax(z, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """``softmax(z)_i = e^z_i / sum_j e^z_j``: scores to probabilities that sum to 1.

    The output activation for multi-class classification. Computed as
    ``e^(z - max z)`` so large scores do not overflow.

    Example:
        >>> import glassnet as gn
        >>> softmax(gn.tensor([1.0, 2.0, 3.0]))
        tensor([0.09  , 0.2447, 0.6652])
    """
    return _act.Softmax.apply(z, axis=axis if dim is None else dim)


def log_softmax(z, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """``log_softmax(z) = z - log(sum_j e^z_j)``: the log-probabilities, computed stably.

    Example:
        >>> import glassnet as gn
        >>> log_softmax(gn.tensor([0.0, 0.0]))
        tensor([-0.6931, -0.6931])
    """
    return _act.LogSoftmax.apply(z, axis=axis if dim is None else dim)


# ----------------------------------------------------------------------------- elementwise maths


def exp(x) -> Tensor:
    """``y = e^x`` elementwise; derivative ``dy/dx = e^x = y``.

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([0.0, 1.0], requires_grad=True)
        >>> y = exp(x)
        >>> y
        tensor([1.    , 2.7183], grad_fn=<Exp>)
        >>> y.sum().backward(); x.grad.round(4)
        array([1.    , 2.7183], dtype=float32)
    """
    return _math.Exp.apply(x)


def log(x) -> Tensor:
    """Natural logarithm ``y = ln(x)`` elementwise; derivative ``dy/dx = 1/x``.

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([0.5, 1.0, 2.0], requires_grad=True)
        >>> log(x)
        tensor([-0.6931,  0.    ,  0.6931], grad_fn=<Log>)
        >>> log(x).sum().backward(); x.grad
        array([2. , 1. , 0.5], dtype=float32)
    """
    return _math.Log.apply(x)


def sqrt(x) -> Tensor:
    """Square root ``y = sqrt(x)`` elementwise; derivative ``dy/dx = 1 / (2 sqrt(x))``.

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([1.0, 4.0], requires_grad=True)
        >>> sqrt(x)
        tensor([1., 2.], grad_fn=<Sqrt>)
        >>> sqrt(x).sum().backward(); x.grad
        array([0.5 , 0.25], dtype=float32)
    """
    return _math.Sqrt.apply(x)


def abs(x) -> Tensor:  # noqa: A001 - the name users expect
    """``y = |x|`` elementwise; derivative ``dy/dx = sign(x)`` (0 at x = 0).

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([-2.0, 3.0], requires_grad=True)
        >>> abs(x)
        tensor([2., 3.], grad_fn=<Abs>)
        >>> abs(x).sum().backward(); x.grad
        array([-1.,  1.], dtype=float32)
    """
    return _math.Abs.apply(x)


def clip(x, min=None, max=None) -> Tensor:  # noqa: A002
    """Limit values to ``[min, max]``; the gradient is 0 where a value was clipped.

    Example:
        >>> import glassnet as gn
        >>> clip(gn.tensor([-5.0, 0.5, 5.0]), 0.0, 1.0)
        tensor([0. , 0.5, 1. ])
    """
    if min is None and max is None:
        raise ValueError("clip: give at least one of min and max")
    return _math.Clip.apply(x, low=min, high=max)


clamp = clip


def maximum(a, b) -> Tensor:
    """Elementwise maximum ``y = max(a, b)`` (broadcast); ties share the gradient.

    ``dy/da = 1`` where ``a > b``, 0 where ``a < b`` and 1/2 where ``a == b`` (``dy/db`` mirrors).

    Example:
        >>> import glassnet as gn
        >>> a = gn.tensor([1.0, 5.0, 2.0], requires_grad=True)
        >>> b = gn.tensor([3.0, 0.0, 2.0], requires_grad=True)
        >>> y = maximum(a, b)
        >>> y
        tensor([3., 5., 2.], grad_fn=<Maximum>)
        >>> y.sum().backward(); a.grad, b.grad
        (array([0. , 1. , 0.5], dtype=float32), array([1. , 0. , 0.5], dtype=float32))
    """
    return _math.Maximum.apply(a, b)


def minimum(a, b) -> Tensor:
    """Elementwise minimum ``y = min(a, b)`` (broadcast); ties share the gradient.

    ``dy/da = 1`` where ``a < b``, 0 where ``a > b`` and 1/2 where ``a == b`` (``dy/db`` mirrors).

    Example:
        >>> import glassnet as gn
        >>> a = gn.tensor([1.0, 5.0, 2.0], requires_grad=True)
        >>> b = gn.tensor([3.0, 0.0, 2.0], requires_grad=True)
        >>> y = minimum(a, b)
        >>> y
        tensor([1., 0., 2.], grad_fn=<Minimum>)
        >>> y.sum().backward(); a.grad, b.grad
        (array([1. , 0. , 0.5], dtype=float32), array([0. , 1. , 0.5], dtype=float32))
    """
    return _math.Minimum.apply(a, b)


def where(condition, a, b) -> Tensor:
    """Pick ``a`` where ``condition`` is true, else ``b`` (all broadcast together).

    Example:
        >>> import glassnet as gn
        >>> x = gn.tensor([-1.0, 2.0])
        >>> where(x > 0, x, 0.0)
        tensor([0., 2.])
    """
    return _math.Where.apply(condition, a, b)


def matmul(a, b) -> Tensor:
    """Matrix product ``C = a @ b``, ``C_ij = sum_k a_ik b_kj`` (NumPy rules for 1-D and batches).

    Backward: ``dL/da = dL/dC @ b^T`` and ``dL/db = a^T @ dL/dC``.

    Shape:
        a: (..., n, k), b: (..., k, m) -> (..., n, m).

    Example:
        >>> import glassnet as gn
        >>> a = gn.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> b = gn.tensor([[1.0], [0.5]], requires_grad=True)
        >>> c = matmul(a, b)
        >>> c
        tensor([[2.],
                [5.]], grad_fn=<MatMul>)
        >>> c.sum().backward(); b.grad
        array([[4.],
               [6.]], dtype=float32)
    """
    return _math.MatMul.apply(a, b)


def concatenate(tensors, axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis.

    Example:
        >>> import glassnet as gn
        >>> concatenate([gn.ones(2), gn.zeros(1)])
        tensor([1., 1., 0.])
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    return _shape.Concatenate.apply(*tensors, axis=axis if dim is None else dim)


cat = concatenate


def stack(tensors, axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join same-shaped tensors along a new axis.

    Example:
        >>> import glassnet as gn
        >>> stack([gn.ones(2), gn.zeros(2)]).shape
        (2, 2)
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    return _shape.Stack.apply(*tensors, axis=axis if dim is None else dim)


# ----------------------------------------------------------------------------- layers


def linear(x, weight, bias=None) -> Tensor:
    """The weighted sum of a dense layer: ``z = x @ W + b`` (one fused op).

    Args:
        x: inputs, shape (N, in_features) (or (..., in_features)).
        weight: W, shape (in_features, out_features). Unlike PyTorch's (out, in), stored
            the way the maths is written.
        bias: b, shape (out_features,), or None.

    Example (the tutorials' 2-node layer, one neuron written out):
        >>> import glassnet as gn
        >>> x = gn.tensor([[1.0, 0.5, -1.0, 2.0]])
        >>> W = gn.tensor([[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]])
        >>> b = gn.tensor([0.1, -0.2])
        >>> linear(x, W, b)      # z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1
        tensor([[ 0.95, -1.3 ]])
    """
    x, weight = _tensor(x), _tensor(weight)
    if weight.ndim != 2:
        raise ValueError(f"linear: weight must be 2-D (in, out), received shape {weight.shape}")
    if x.ndim == 0 or x.shape[-1] != weight.shape[0]:
        raise ValueError(
            f"linear: input has shape {x.shape} but the weight {weight.shape} expects "
            f"{weight.shape[0]} features in the last axis"
        )
    if bias is None:
        return _nn.Linear.apply(x, weight)
    return _nn.Linear.apply(x, weight, bias)


def dropout(x, p: float = 0.5, training: bool = True, rng=None) -> Tensor:
    """Inverted dropout: zero each value with probability p, scale the rest by 1/(1-p).

    In evaluation (``training=False``) it is the identity, and thanks to the scaling the
    expected activation is the same in both modes.

    Example:
        >>> import glassnet as gn
        >>> y = dropout(gn.ones(1000), p=0.2, rng=0)
        >>> sorted(set(y.tolist()))           # zeros, and survivors scaled by 1/0.8
        [0.0, 1.25]
    """
    if not 0 <= p < 1:
        raise ValueError(f"dropout: p must be in [0, 1), received {p}")
    if not training or p == 0:
        return _tensor(x)
    return _nn.Dropout.apply(x, p=p, rng=backend.get_generator(rng))


# ----------------------------------------------------------------------------- losses


def _check_reduction(name: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {REDUCTIONS}, received {reduction!r}")


def _check_same_shape(name: str, prediction: Tensor, target: Tensor) -> None:
    if prediction.shape != target.shape:
        raise ValueError(
            f"{name}: prediction shape {prediction.shape} and target shape {target.shape} "
            f"differ; reshape the target (e.g. y.reshape(-1, 1)) so they match"
        )


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def mse_loss(prediction, target, reduction: str = "mean") -> Tensor:
    """Mean squared error: ``mean((prediction - target)^2)``; the regression loss.

    Example:
        >>> import glassnet as gn
        >>> mse_loss(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0]))   # (1 + 4) / 2
        tensor(2.5)
    """
    prediction, target = _pair(prediction, target)
    _check_reduction("mse_loss", reduction)
    _check_same_shape("mse_loss", prediction, target)
    diff = prediction - target
    return _reduce(diff * diff, reduction)


def l1_loss(prediction, target, reduction: str = "mean") -> Tensor:
    """Mean absolute error: ``mean(|prediction - target|)``; less swayed by outliers.

    Example:
        >>> import glassnet as gn
        >>> l1_loss(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0]))
        tensor(1.5)
    """
    prediction, target = _pair(prediction, target)
    _check_reduction("l1_loss", reduction)
    _check_same_shape("l1_loss", prediction, target)
    return _reduce((prediction - target).abs(), reduction)


def huber_loss(prediction, target, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """Huber loss: squared for small errors, linear for large ones.

    ``loss = 0.5 e^2 if |e| <= delta else delta (|e| - 0.5 delta)``, e = prediction - target.

    Example:
        >>> import glassnet as gn
        >>> huber_loss(gn.tensor([0.5, 3.0]), gn.tensor([0.0, 0.0]))  # (0.125 + 2.5) / 2
        tensor(1.3125)
    """
    prediction, target = _pair(prediction, target)
    _check_reduction("huber_loss", reduction)
    _check_same_shape("huber_loss", prediction, target)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be > 0, received {delta}")
    error = (prediction - target).abs()
    small = error <= delta
    losses = where(small, 0.5 * error * error, delta * (error - 0.5 * delta))
    return _reduce(losses, reduction)


def binary_cross_entropy(probabilities, target, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy on probabilities: ``-(t log p + (1 - t) log(1 - p))``.

    Each log is clamped at -100 (as PyTorch's ``BCELoss``), so p = 0 or 1 gives a large
    finite loss. Prefer ``binary_cross_entropy_with_logits``: more accurate and stable.

    Example:
        >>> import glassnet as gn
        >>> binary_cross_entropy(gn.tensor([0.9, 0.2]), gn.tensor([1.0, 0.0]))
        tensor(0.1643)
    """
    probabilities, target = _pair(probabilities, target)
    _check_reduction("binary_cross_entropy", reduction)
    _check_same_shape("binary_cross_entropy", probabilities, target)
    p = probabilities.data
    if p.size and (np.nanmin(p) < 0 or np.nanmax(p) > 1):
        raise ValueError(
            "binary_cross_entropy: inputs must be probabilities in [0, 1], received values in "
            f"[{np.nanmin(p):.4g}, {np.nanmax(p):.4g}]; for raw scores use "
            "binary_cross_entropy_with_logits"
        )
    return _loss.BinaryCrossEntropy.apply(probabilities, target, reduction=reduction)


def binary_cross_entropy_with_logits(logits, target, reduction: str = "mean",
                                     pos_weight=None) -> Tensor:
    """Sigmoid and binary cross-entropy in one stable step, from raw scores (logits).

    ``loss = max(z, 0) - z t + log(1 + e^-|z|)``, which equals
    ``-(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z)))`` but never overflows; its
    gradient is simply ``sigmoid(z) - t``.

    Args:
        logits: raw scores z, any shape.
        target: targets t in [0, 1], the same shape.
        reduction: 'mean', 'sum' or 'none'.
        pos_weight: weight of the positive class (a scalar or one per output).

    Example:
        >>> import glassnet as gn
        >>> binary_cross_entropy_with_logits(gn.tensor([10000.0, -10000.0]),
        ...                                  gn.tensor([1.0, 0.0]))
        tensor(0.)
    """
    logits, target = _pair(logits, target)
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    _check_same_shape("binary_cross_entropy_with_logits", logits, target)
    return _loss.SigmoidBinaryCrossEntropy.apply(
        logits, target, reduction=reduction, pos_weight=pos_weight
    )


def _check_labels(name: str, target: Tensor, classes: int) -> None:
    labels = target.data
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"{name}: class labels must be integers, received dtype {labels.dtype}"
            + (f" (e.g. {labels.ravel()[:3].tolist()})" if labels.size else "")
            + "; convert them with .astype(int), or pass one-hot/probability targets of "
            "shape (N, C)"
        )
    bad = labels[(labels < 0) | (labels >= classes)]
    if bad.size:
        raise ValueError(
            f"{name}: class labels must be in [0, {classes - 1}] for {classes} classes, "
            f"received {sorted(set(bad.tolist()))[:10]}"
        )


def cross_entropy(logits, target, reduction: str = "mean", label_smoothing: float = 0.0,
                  weight=None) -> Tensor:
    """Softmax and cross-entropy in one stable step, from raw scores (logits).

    Per sample: ``loss = -sum_c t_c log softmax(z)_c = logsumexp(z) - z[label]``, and the
    gradient is ``softmax(z) - t``, where t is the one-hot label (or the given
    probabilities), smoothed to ``(1 - eps) t + eps / C`` by ``label_smoothing=eps``.

    Args:
        logits: raw scores, shape (N, C).
        target: integer labels of shape (N,) in [0, C), or probabilities/one-hot (N, C).
        reduction: 'mean' (weighted mean when ``weight`` is given), 'sum' or 'none'.
        label_smoothing: eps in [0, 1).
        weight: optional per-class weights, shape (C,).

    Example:
        >>> import glassnet as gn
        >>> logits = gn.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 1e4]])
        >>> cross_entropy(logits, gn.tensor([0, 2]))   # (0.2395 + 0) / 2, stable at 1e4
        tensor(0.1198)
    """
    logits, target = _pair(logits, target)
    _check_reduction("cross_entropy", reduction)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must have shape (N, C), received {logits.shape}")
    if not 0 <= label_smoothing < 1:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1), "
                         f"received {label_smoothing}")
    n, classes = logits.shape
    if target.ndim == 2:
        if target.shape != logits.shape:
            raise ValueError(f"cross_entropy: probability targets must have the logits' shape "
                             f"{logits.shape}, received {target.shape}")
        target = target if target.dtype == logits.dtype else target.astype(logits.dtype)
    else:
        if target.shape != (n,):
            raise ValueError(f"cross_entropy: expected {n} labels of shape ({n},) for logits "
                             f"{logits.shape}, received shape {target.shape}")
        _check_labels("cross_entropy", target, classes)
    class_weight = None
    if weight is not None:
        class_weight = np.asarray(weight.data if isinstance(weight, Tensor) else weight)
        if class_weight.shape != (classes,):
            raise ValueError(f"cross_entropy: weight must have shape ({classes},), "
                             f"received {class_weight.shape}")
    return _loss.SoftmaxCrossEntropy.apply(
        logits, target, reduction=reduction, label_smoothing=label_smoothing,
        class_weight=class_weight,
    )


def nll_loss(log_probabilities, target, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood: ``-log_probabilities[i, label_i]``, averaged.

    ``nll_loss(log_softmax(z), y)`` equals ``cross_entropy(z, y)``.

    Example:
        >>> import glassnet as gn
        >>> nll_loss(gn.tensor([[-0.1, -2.4]]), gn.tensor([1]))
        tensor(2.4)
    """
    log_probabilities, target = _tensor(log_probabilities), _tensor(target)
    _check_reduction("nll_loss", reduction)
    if log_probabilities.ndim != 2 or target.shape != log_probabilities.shape[:1]:
        raise ValueError(f"nll_loss: expected log-probabilities (N, C) and labels (N,), "
                         f"received {log_probabilities.shape} and {target.shape}")
    _check_labels("nll_loss", target, log_probabilities.shape[1])
    picked = log_probabilities[np.arange(len(target.data)), target.data]
    return _reduce(-picked, reduction)
