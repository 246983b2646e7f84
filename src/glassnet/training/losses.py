"""The loss names ``compile(loss=...)`` understands, in Keras's and PyTorch's spellings.

Each name resolves to a ``LossSpec``: how to compute the loss from what the model outputs,
what targets it expects, and, for the cross-entropies, which output activation it can be
fused with. Names are matched ignoring case and underscores, so ``"binary_crossentropy"``,
``"binary_cross_entropy"`` and Keras's class name ``"BinaryCrossentropy"`` are one loss.

=============================================  ===========================================
name (and aliases)                             loss, on what the model outputs
=============================================  ===========================================
mse, mean_squared_error                        mean((y - t)^2)
mae, mean_absolute_error, l1                   mean(|y - t|)
huber, huber_loss                              0.5 e^2 if |e| <= 1 else |e| - 0.5
binary_crossentropy, bce                       -(t log p + (1 - t) log(1 - p)), p = output
bce_with_logits                                the same with p = sigmoid(output)
categorical_crossentropy                       -sum_c t_c log p_c, one-hot t, p = output
sparse_categorical_crossentropy                -log p[label], integer labels, p = output
cross_entropy (PyTorch's)                      -log softmax(output)[label]; labels or
                                               probabilities as targets
=============================================  ===========================================

Keras's losses take probabilities (``from_logits=False``); PyTorch's ``cross_entropy`` and
``bce_with_logits`` take raw scores (logits). Probabilities are clipped to
[1e-7, 1 - 1e-7] before the log, as Keras does.

**Fusion.** When a model ends in a sigmoid (softmax) and is trained with binary
(categorical, sparse categorical or PyTorch) cross-entropy, the fit loop computes the loss
from the pre-activation logits with ``binary_cross_entropy_with_logits``
(``cross_entropy``): the same value, but it stays finite when the activation saturates
(sigmoid(40) is 1.0 in float32 and log(1 - 1.0) is -inf), and its gradient is simply
``p - t``. ``predict`` still returns probabilities.

Example:
    >>> import glassnet as gn
    >>> spec = get("BinaryCrossentropy")
    >>> spec.name, spec.fused_activation
    ('binary_crossentropy', 'sigmoid')
    >>> p, t = gn.tensor([[0.9], [0.2]]), gn.tensor([[1.0], [0.0]])
    >>> round(spec(p, t).item(), 4)                 # -(log 0.9 + log 0.8) / 2
    0.1643
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassnet import functional as F
from glassnet.tensor import Tensor

__all__ = ["LossSpec", "get", "names", "per_sample"]

EPSILON = 1e-7  # Keras's clip for probabilities


def per_sample(losses: Tensor) -> Tensor:
    """One loss per sample: the mean over every axis but the first (Keras: axis=-1).

    ``per_sample(L)_i = mean_j L_ij`` for (N, ...) losses; (N,) and scalars pass through.

    Example:
        >>> import glassnet as gn
        >>> per_sample(gn.tensor([[1.0, 3.0], [2.0, 2.0]]))
        tensor([2., 2.])
    """
    if losses.ndim <= 1:
        return losses
    return losses.reshape(len(losses), -1).mean(axis=1)


def _finish(losses: Tensor, reduction: str) -> Tensor:
    """'mean' -> a scalar, 'none' -> one loss per sample."""
    return losses.mean() if reduction == "mean" else per_sample(losses)


# --------------------------------------------------------------------------------------------
# the losses, on what the model outputs
# --------------------------------------------------------------------------------------------


def _elementwise(loss_fn, output, target, reduction: str) -> Tensor:
    """An elementwise loss of glassnet.functional: 'mean' in the op itself (one op fewer
    per batch, the same number), 'none' averaged per sample."""
    if reduction == "mean":
        return loss_fn(output, target, reduction="mean")
    return per_sample(loss_fn(output, target, reduction="none"))


def _mse(output, target, reduction="mean"):
    return _elementwise(F.mse_loss, output, target, reduction)


def _mae(output, target, reduction="mean"):
    return _elementwise(F.l1_loss, output, target, reduction)


def _huber(output, target, reduction="mean"):
    return _elementwise(F.huber_loss, output, target, reduction)


def _bce_on_probabilities(output, target, reduction="mean"):
    """Keras's binary cross-entropy: clip p to [eps, 1 - eps], then the formula."""
    p = output.clip(EPSILON, 1 - EPSILON)
    losses = -(target * p.log() + (1 - target) * (1 - p).log())
    return _finish(losses, reduction)


def _bce_with_logits(logits, target, reduction="mean"):
    return _elementwise(F.binary_cross_entropy_with_logits, logits, target, reduction)


def _log_probabilities(output):
    """Keras: normalise each row to sum 1, clip to [eps, 1 - eps], take the log."""
    p = output / output.sum(axis=-1, keepdims=True)
    return p.clip(EPSILON, 1 - EPSILON).log()


def _categorical_on_probabilities(output, target, reduction="mean"):
    losses = -(target * _log_probabilities(output)).sum(axis=-1)
    return _finish(losses, reduction)


def _sparse_on_probabilities(output, target, reduction="mean"):
    labels = target.data if isinstance(target, Tensor) else np.asarray(target)
    losses = -_log_probabilities(output)[np.arange(len(labels)), labels]
    return _finish(losses, reduction)


def _cross_entropy(logits, target, reduction="mean"):
    return F.cross_entropy(logits, target, reduction="mean" if reduction == "mean" else "none")


# --------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LossSpec:
    """One named loss: how to compute it and what it expects.

    Attributes:
        name: the canonical name (Keras's where there is one).
        compute: ``compute(output, target, reduction)`` on what the model outputs;
            reduction "mean" gives a scalar, "none" one loss per sample.
        targets: what the targets must be: "float" (any numbers, shaped like the output),
            "binary" (numbers in [0, 1], shaped like the output), "one_hot" ((N, C) rows),
            "sparse" (integer labels (N,)) or "labels_or_probabilities" (either of the last
            two).
        fused_activation: "sigmoid" or "softmax" when a model ending in that activation
            is trained on its logits with ``from_logits`` instead; None otherwise.
        from_logits: ``from_logits(logits, target, reduction)``, the fused form.

    Example:
        >>> import glassnet as gn
        >>> spec = get("mse")      # mean((output - target)^2)
        >>> spec.name, spec.targets
        ('mean_squared_error', 'float')
        >>> spec(gn.tensor([[1.0], [2.0]]), gn.tensor([[0.0], [0.0]]))   # (1 + 4) / 2
        tensor(2.5)
    """

    name: str
    compute: object
    targets: str = "float"
    fused_activation: str | None = None
    from_logits: object = None

    def __call__(self, output, target, reduction: str = "mean") -> Tensor:
        """The loss of ``output`` against ``target``: a scalar ("mean") or (N,) ("none")."""
        return self.compute(output, target, reduction)


_SPECS = [
    (LossSpec("mean_squared_error", _mse), ("mse",)),
    (LossSpec("mean_absolute_error", _mae), ("mae", "l1", "l1_loss")),
    (LossSpec("huber", _huber), ("huber_loss",)),
    (LossSpec("binary_crossentropy", _bce_on_probabilities, "binary", "sigmoid",
              _bce_with_logits), ("bce", "binary_cross_entropy")),
    (LossSpec("bce_with_logits", _bce_with_logits, "binary"),
     ("binary_crossentropy_with_logits", "binary_cross_entropy_with_logits",
      "bce_with_logits_loss")),
    (LossSpec("categorical_crossentropy", _categorical_on_probabilities, "one_hot",
              "softmax", _cross_entropy), ("categorical_cross_entropy",)),
    (LossSpec("sparse_categorical_crossentropy", _sparse_on_probabilities, "sparse",
              "softmax", _cross_entropy), ("sparse_categorical_cross_entropy",)),
    (LossSpec("cross_entropy", _cross_entropy, "labels_or_probabilities", "softmax",
              _cross_entropy), ("crossentropy", "cross_entropy_loss")),
]


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace(" ", "")


_TABLE = {}
for _spec, _aliases in _SPECS:
    for _name in (_spec.name, *_aliases):
        _TABLE[_key(_name)] = _spec
_SPELLINGS = sorted({name for spec, aliases in _SPECS for name in (spec.name, *aliases)})


def names() -> list:
    """Every loss name ``compile`` accepts (case and underscores do not matter).

    Example:
        >>> "sparse_categorical_crossentropy" in names()
        True
    """
    return list(_SPELLINGS)


def get(name: str) -> LossSpec:
    """The ``LossSpec`` for a loss name.

    Raises:
        ValueError: an unknown name; the message lists the valid ones.

    Example:
        >>> get("mse").name
        'mean_squared_error'
        >>> get("mean_squarred_error")
        Traceback (most recent call last):
        ...
        ValueError: Unknown loss 'mean_squarred_error'. Valid names: bce, ...
    """
    if not isinstance(name, str):
        raise TypeError(f"A loss name must be a string, received {type(name).__name__}")
    spec = _TABLE.get(_key(name))
    if spec is None:
        raise ValueError(
            f"Unknown loss {name!r}. Valid names: {', '.join(_SPELLINGS)}; or pass a "
            f"function loss(prediction, target) or an nn loss module"
        )
    return spec
