"""The op registry: sample inputs, a PyTorch reference and bad inputs for every op.

The tests walk this list (like PyTorch's OpInfo): each op's backward is checked against
finite differences in float64 and, when PyTorch is installed, its forward and backward
against the same expression in torch. An ``Op`` subclass with no entry here fails the
suite, so a new op cannot land untested.

Each ``OpInfo`` says how to call the op from the public API (``fn``), how to call the
same thing in torch (``torch_fn``, given the torch module first), and which inputs to try
(``samples``: float arrays are differentiated, integer arrays are passed as they are).
"""

from __future__ import annotations

import numpy as np

from glassnet import functional as F
from glassnet.ops import activations, losses, math, nn, reductions, shape
from glassnet.ops.opinfo import ErrorInput, OpInfo, Sample  # noqa: F401 (re-exported)


def _r(rng, *shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, size=shape)


def _positive(rng, *shape):
    return rng.uniform(0.5, 2.5, size=shape)


def _unary(rng, avoid_zero=False):
    """A matrix, a broadcast-free vector, a 0-d value and an edge case."""
    base = [Sample((_r(rng, 3, 4),)), Sample((_r(rng, 5),)), Sample((np.array(0.7),))]
    edge = np.array([-1e3, -3.0, -0.5, 0.25, 3.0, 1e3])
    if not avoid_zero:
        edge = np.concatenate([edge, [0.0]])
    return base + [Sample((edge,))]


def _kinked(rng):
    """Inputs for functions with a kink at 0: stay away from it (finite differences)."""
    x = _r(rng, 3, 4)
    x[np.abs(x) < 0.05] = 0.3
    return [Sample((x,)), Sample((np.array([-1e3, -2.0, -0.5, 0.5, 2.0, 1e3]),))]


def _binary(rng, b_positive=False):
    make_b = _positive if b_positive else _r
    return [
        Sample((_r(rng, 3, 4), make_b(rng, 3, 4))),
        Sample((_r(rng, 3, 4), make_b(rng, 4))),  # b broadcast over rows
        Sample((_r(rng, 3, 1), make_b(rng, 1, 4))),  # both broadcast
        Sample((_r(rng, 2, 3), np.array(1.5))),  # scalar tensor
    ]


def _reductions(rng):
    x = _r(rng, 3, 4, 2)
    return [
        Sample((x,)),
        Sample((x,), {"axis": 1}),
        Sample((x,), {"axis": (0, 2), "keepdims": True}),
        Sample((x,), {"axis": -1}),
    ]


def _torch_reduce(name):
    def call(torch, x, axis=None, keepdims=False):
        if axis is None:
            out = getattr(torch, name)(x)
            return out.reshape((1,) * x.ndim) if keepdims else out
        return getattr(torch, name)(x, dim=axis, keepdim=keepdims)

    return call


def _max_samples(rng):
    ties = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]])
    return _reductions(rng) + [Sample((ties,)), Sample((ties,), {"axis": 1})]


def _logits_and_labels(rng):
    logits = _r(rng, 4, 3) * 2
    labels = np.array([0, 2, 1, 2])
    probs = rng.dirichlet(np.ones(3), size=4)
    extreme = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]])
    return [
        Sample((logits, labels)),
        Sample((logits, labels), {"reduction": "sum"}),
        Sample((logits, labels), {"reduction": "none"}),
        Sample((logits, labels), {"label_smoothing": 0.1}),
        Sample((logits, labels), {"weight": np.array([1.0, 2.0, 0.5])}),
        Sample((logits, probs)),
        Sample((extreme, np.array([0, 2]))),
    ]


def _torch_cross_entropy(torch, logits, target, weight=None, **kwargs):
    if weight is not None:
        weight = torch.as_tensor(weight, dtype=logits.dtype)
    return torch.nn.functional.cross_entropy(logits, target, weight=weight, **kwargs)


def _bce_logits(rng):
    z = _r(rng, 4, 2) * 3
    t = rng.uniform(0, 1, size=(4, 2))
    extreme = np.array([1e4, -1e4, 0.0, 30.0])
    return [
        Sample((z, t)),
        Sample((z, t), {"reduction": "sum"}),
        Sample((z, t), {"reduction": "none"}),
        Sample((z, t), {"pos_weight": np.array([2.0, 0.5])}),
        Sample((extreme, np.array([1.0, 0.0, 1.0, 0.0]))),
    ]


def _torch_bce_logits(torch, z, t, pos_weight=None, **kwargs):
    if pos_weight is not None:
        pos_weight = torch.as_tensor(pos_weight, dtype=z.dtype)
    return torch.nn.functional.binary_cross_entropy_with_logits(z, t, pos_weight=pos_weight,
                                                                **kwargs)


def _bce(rng):
    p = rng.uniform(0.05, 0.95, size=(4, 2))
    t = (rng.uniform(size=(4, 2)) > 0.5).astype(float)
    return [Sample((p, t)), Sample((p, t), {"reduction": "none"})]


def _linear(rng):
    return [
        Sample((_r(rng, 5, 3), _r(rng, 3, 2), _r(rng, 2))),
        Sample((_r(rng, 5, 3), _r(rng, 3, 2))),
        Sample((_r(rng, 2, 4, 3), _r(rng, 3, 2), _r(rng, 2))),  # extra leading axis
    ]


def _torch_linear(torch, x, w, b=None):
    return torch.nn.functional.linear(x, w.T, b)


def _matmul(rng):
    return [
        Sample((_r(rng, 3, 4), _r(rng, 4, 2))),
        Sample((_r(rng, 4), _r(rng, 4, 2))),
        Sample((_r(rng, 3, 4), _r(rng, 4))),
        Sample((_r(rng, 2, 3, 4), _r(rng, 4, 5))),  # batched, b broadcast
    ]


def _where(rng):
    condition = rng.uniform(size=(3, 4)) > 0.5
    return [
        Sample((condition, _r(rng, 3, 4), _r(rng, 3, 4))),
        Sample((condition, _r(rng, 4), _r(rng, 3, 1))),
    ]


def _dropout_fn(x, p=0.3):
    return F.dropout(x, p=p, training=True, rng=np.random.default_rng(7))


OP_INFOS = [
    # -- math
    OpInfo(math.Add, lambda a, b: a + b, _binary, lambda torch, a, b: a + b,
           [ErrorInput((np.ones((2, 3)), np.ones((4,))), {}, ValueError, r"\(2, 3\).*\(4,\)")]),
    OpInfo(math.Sub, lambda a, b: a - b, _binary, lambda torch, a, b: a - b),
    OpInfo(math.Mul, lambda a, b: a * b, _binary, lambda torch, a, b: a * b),
    OpInfo(math.Div, lambda a, b: a / b, lambda rng: _binary(rng, b_positive=True),
           lambda torch, a, b: a / b),
    OpInfo(math.Pow, lambda a, b=None, p=None: a ** (b if p is None else p),
           lambda rng: [Sample((_positive(rng, 3, 4), _r(rng, 3, 4))),
                        Sample((_positive(rng, 3, 4), np.array(2.0))),
                        Sample((_r(rng, 5),), {"p": 3.0}),  # constant exponent, negative base
                        Sample((_r(rng, 5),), {"p": 2})],
           lambda torch, a, b=None, p=None: a ** (b if p is None else p)),
    OpInfo(math.Neg, lambda a: -a, _unary, lambda torch, a: -a),
    OpInfo(math.MatMul, lambda a, b: a @ b, _matmul, lambda torch, a, b: a @ b,
           [ErrorInput((np.ones((2, 3)), np.ones((4, 5))), {}, ValueError,
                       r"\(2, 3\) and \(4, 5\) cannot be multiplied")]),
    OpInfo(math.Exp, F.exp, lambda rng: [Sample((_r(rng, 3, 4),)), Sample((np.array(0.3),))],
           lambda torch, a: torch.exp(a)),
    OpInfo(math.Log, F.log, lambda rng: [Sample((_positive(rng, 3, 4),))],
           lambda torch, a: torch.log(a)),
    OpInfo(math.Sqrt, F.sqrt, lambda rng: [Sample((_positive(rng, 3, 4),))],
           lambda torch, a: torch.sqrt(a)),
    OpInfo(math.Abs, F.abs, _kinked, lambda torch, a: torch.abs(a)),
    OpInfo(math.Clip, lambda a, **k: F.clip(a, **k),
           lambda rng: [Sample((_kinked(rng)[0].args[0],), {"min": -0.5, "max": 0.8}),
                        Sample((_kinked(rng)[0].args[0],), {"min": 0.1})],
           lambda torch, a, min=None, max=None: torch.clamp(a, min=min, max=max)),
    OpInfo(math.Maximum, F.maximum,
           lambda rng: _binary(rng) + [Sample((np.array([1.0, 2.0]), np.array([1.0, 3.0])))],
           lambda torch, a, b: torch.maximum(a, b)),
    OpInfo(math.Minimum, F.minimum,
           lambda rng: _binary(rng) + [Sample((np.array([1.0, 2.0]), np.array([1.0, 3.0])))],
           lambda torch, a, b: torch.minimum(a, b)),
    OpInfo(math.Where, F.where, _where, lambda torch, c, a, b: torch.where(c, a, b)),
    OpInfo(math.Cast, lambda a: (a.astype("float64") * 3.0).astype(a.dtype),
           lambda rng: [Sample((_r(rng, 3),))], lambda torch, a: (a.double() * 3.0).to(a.dtype)),
    # -- reductions
    OpInfo(reductions.Sum, lambda a, **k: a.sum(**k), _reductions, _torch_reduce("sum")),
    OpInfo(reductions.Mean, lambda a, **k: a.mean(**k), _reductions, _torch_reduce("mean")),
    OpInfo(reductions.Max, lambda a, **k: a.max(**k), _max_samples, _torch_reduce("amax")),
    OpInfo(reductions.Min, lambda a, **k: a.min(**k), _max_samples, _torch_reduce("amin")),
    # -- shape
    OpInfo(shape.Reshape, lambda a, shape: a.reshape(shape),
           lambda rng: [Sample((_r(rng, 3, 4),), {"shape": (2, 6)}),
                        Sample((_r(rng, 3, 4),), {"shape": (-1,)})],
           lambda torch, a, shape: a.reshape(shape),
           [ErrorInput((np.ones((3, 4)),), {"shape": (5, 2)}, ValueError,
                       r"shape \(3, 4\).*into shape \(5, 2\)")]),
    OpInfo(shape.Transpose, lambda a, axes=None: a.transpose(*(axes or ())),
           lambda rng: [Sample((_r(rng, 3, 4),)), Sample((_r(rng, 2, 3, 4),), {"axes": (1, 2, 0)})],
           lambda torch, a, axes=None: a.permute(*axes) if axes else a.T),
    OpInfo(shape.GetItem, lambda a, index: a[index],
           lambda rng: [Sample((_r(rng, 4, 3),), {"index": (slice(1, 3), 0)}),
                        Sample((_r(rng, 4, 3),), {"index": np.array([0, 2, 2])}),  # repeated row
                        Sample((_r(rng, 4, 3),),
                               {"index": (np.arange(4), np.array([0, 2, 1, 1]))})],
           lambda torch, a, index: a[torch.as_tensor(index) if isinstance(index, np.ndarray)
                                     else tuple(torch.as_tensor(i) if isinstance(i, np.ndarray)
                                                else i for i in index)]),
    OpInfo(shape.Concatenate, lambda *ts, axis=0: F.concatenate(ts, axis=axis),
           lambda rng: [Sample((_r(rng, 2, 3), _r(rng, 1, 3))),
                        Sample((_r(rng, 2, 3), _r(rng, 2, 2)), {"axis": 1})],
           lambda torch, *ts, axis=0: torch.cat(ts, dim=axis),
           [ErrorInput((np.ones((2, 3)), np.ones((2, 2))), {"axis": 0}, ValueError,
                       r"except on axis 0")]),
    OpInfo(shape.Stack, lambda *ts, axis=0: F.stack(ts, axis=axis),
           lambda rng: [Sample((_r(rng, 2, 3), _r(rng, 2, 3))),
                        Sample((_r(rng, 2, 3), _r(rng, 2, 3)), {"axis": 2})],
           lambda torch, *ts, axis=0: torch.stack(ts, dim=axis)),
    # -- activations
    OpInfo(activations.ReLU, F.relu, _kinked, lambda torch, z: torch.relu(z)),
    OpInfo(activations.LeakyReLU, lambda z, **k: F.leaky_relu(z, **k),
           lambda rng: _kinked(rng) + [Sample((_kinked(rng)[0].args[0],),
                                              {"negative_slope": 0.2})],
           lambda torch, z, **k: torch.nn.functional.leaky_relu(z, **k)),
    OpInfo(activations.ELU, lambda z, **k: F.elu(z, **k),
           lambda rng: _kinked(rng) + [Sample((_kinked(rng)[0].args[0],), {"alpha": 0.5})],
           lambda torch, z, **k: torch.nn.functional.elu(z, **k)),
    OpInfo(activations.GELU, lambda z, **k: F.gelu(z, **k),
           lambda rng: _unary(rng) + [Sample((_r(rng, 3, 4),), {"approximate": "tanh"})],
           lambda torch, z, **k: torch.nn.functional.gelu(z, **k),
           [ErrorInput((np.ones(2),), {"approximate": "fast"}, ValueError, r"'none' or 'tanh'")]),
    OpInfo(activations.Sigmoid, F.sigmoid, _unary, lambda torch, z: torch.sigmoid(z)),
    OpInfo(activations.Tanh, F.tanh, _unary, lambda torch, z: torch.tanh(z)),
    OpInfo(activations.Softplus, F.softplus, _unary,
           lambda torch, z: torch.nn.functional.softplus(z)),
    OpInfo(activations.SiLU, F.silu, _unary, lambda torch, z: torch.nn.functional.silu(z)),
    OpInfo(activations.Softmax, lambda z, **k: F.softmax(z, **k),
           lambda rng: [Sample((_r(rng, 3, 4),)), Sample((_r(rng, 3, 4),), {"axis": 0}),
                        Sample((np.array([[1e4, 0.0, -1e4]]),))],
           lambda torch, z, axis=-1: torch.softmax(z, dim=axis)),
    OpInfo(activations.LogSoftmax, lambda z, **k: F.log_softmax(z, **k),
           lambda rng: [Sample((_r(rng, 3, 4),)), Sample((_r(rng, 3, 4),), {"axis": 0}),
                        Sample((np.array([[1e4, 0.0, -1e4]]),))],
           lambda torch, z, axis=-1: torch.log_softmax(z, dim=axis)),
    # -- fused layer ops
    OpInfo(nn.Linear, F.linear, _linear, _torch_linear,
           [ErrorInput((np.ones((2, 3)), np.ones((4, 5))), {}, ValueError,
                       r"input has shape \(2, 3\).*expects 4 features")]),
    OpInfo(nn.Dropout, _dropout_fn, lambda rng: [Sample((_r(rng, 20, 5),))], None,
           [ErrorInput((np.ones(3),), {"p": 1.0}, ValueError, r"p must be in \[0, 1\)")]),
    # -- fused losses
    OpInfo(losses.SoftmaxCrossEntropy, lambda z, t, **k: F.cross_entropy(z, t, **k),
           _logits_and_labels, _torch_cross_entropy,
           [ErrorInput((np.ones((2, 3)), np.array([0, 3])), {}, ValueError,
                       r"labels must be in \[0, 2\].*received \[3\]"),
            ErrorInput((np.ones((2, 3)), np.array([0.0, 1.0])), {}, ValueError,
                       r"class labels must be integers")]),
    OpInfo(losses.SigmoidBinaryCrossEntropy,
           lambda z, t, **k: F.binary_cross_entropy_with_logits(z, t, **k),
           _bce_logits, _torch_bce_logits,
           [ErrorInput((np.ones((4, 1)), np.ones(4)), {}, ValueError,
                       r"prediction shape \(4, 1\) and target shape \(4,\) differ")]),
    OpInfo(losses.BinaryCrossEntropy, lambda p, t, **k: F.binary_cross_entropy(p, t, **k),
           _bce, lambda torch, p, t, **k: torch.nn.functional.binary_cross_entropy(p, t, **k),
           [ErrorInput((np.array([1.5]), np.array([1.0])), {}, ValueError,
                       r"probabilities in \[0, 1\]")]),
]


# Ops defined by other modules keep their entries beside them.
from glassnet.ops import samples_conv, samples_nn  # noqa: E402

OP_INFOS += samples_conv.OP_INFOS + samples_nn.OP_INFOS


def registry() -> dict:
    """The OpInfos by op class.

    Example:
        >>> from glassnet.ops import math
        >>> registry()[math.MatMul].name
        'MatMul'
    """
    return {info.op: info for info in OP_INFOS}
