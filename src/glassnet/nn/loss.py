"""Loss modules (PyTorch style): ``criterion = nn.MSELoss(); loss = criterion(pred, y)``.

Each one stores its settings and calls the function of the same name in
``glassnet.functional``, where the formula is documented.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> nn.MSELoss()(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0]))    # (1 + 4) / 2
    tensor(2.5)
"""

from __future__ import annotations

import numpy as np

from glassnet import functional as F
from glassnet.nn.module import Module


class _Loss(Module):
    """Base of the loss modules: ``reduction`` is 'mean' (default), 'sum' or 'none'."""

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        if reduction not in F.REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: reduction must be one of "
                             f"{F.REDUCTIONS}, received {reduction!r}")
        self.reduction = reduction

    def __call__(self, prediction, target):
        return self.forward(prediction, target)

    def _settings(self) -> dict:
        """The settings that differ from the defaults (for repr and config)."""
        return {"reduction": self.reduction} if self.reduction != "mean" else {}

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self._settings().items())

    def get_config(self) -> dict:
        return {"reduction": self.reduction}


class MSELoss(_Loss):
    """Mean squared error, ``mean((prediction - target)^2)``: the regression loss.

    Example:
        >>> import glassnet as gn
        >>> MSELoss(reduction="sum")(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0]))
        tensor(5.)
    """

    def forward(self, prediction, target):
        return F.mse_loss(prediction, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error, ``mean(|prediction - target|)``.

    Example:
        >>> import glassnet as gn
        >>> L1Loss()(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0]))
        tensor(1.5)
    """

    def forward(self, prediction, target):
        return F.l1_loss(prediction, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber: ``0.5 e^2`` for ``|e| <= delta``, else ``delta (|e| - 0.5 delta)``.

    Args:
        reduction: 'mean', 'sum' or 'none'.
        delta: where the loss turns from squared to linear (> 0, default 1.0).

    Example:
        >>> import glassnet as gn
        >>> HuberLoss(delta=1.0)(gn.tensor([0.5, 3.0]), gn.tensor([0.0, 0.0]))
        tensor(1.3125)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction)
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be > 0, received {delta}")
        self.delta = float(delta)

    def forward(self, prediction, target):
        return F.huber_loss(prediction, target, reduction=self.reduction, delta=self.delta)

    def _settings(self) -> dict:
        settings = super()._settings()
        return settings if self.delta == 1.0 else {**settings, "delta": self.delta}

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "delta": self.delta}


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities (after a sigmoid).

    ``loss = -(t log p + (1 - t) log(1 - p))``. ``BCEWithLogitsLoss`` on the raw
    scores is the numerically stable form.

    Example:
        >>> import glassnet as gn
        >>> BCELoss()(gn.tensor([0.9, 0.2]), gn.tensor([1.0, 0.0]))
        tensor(0.1643)
    """

    def forward(self, probabilities, target):
        return F.binary_cross_entropy(probabilities, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid + binary cross-entropy in one stable step, from raw scores (logits).

    Args:
        reduction: 'mean', 'sum' or 'none'.
        pos_weight: weight of the positive class (a number or one per output).

    Example:
        >>> import glassnet as gn
        >>> BCEWithLogitsLoss()(gn.tensor([0.0]), gn.tensor([1.0]))     # log 2
        tensor(0.6931)
    """

    def __init__(self, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction)
        self.pos_weight = None if pos_weight is None else np.asarray(
            getattr(pos_weight, "data", pos_weight))

    def forward(self, logits, target):
        return F.binary_cross_entropy_with_logits(logits, target, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)

    def _settings(self) -> dict:
        settings = super()._settings()
        if self.pos_weight is not None:
            settings["pos_weight"] = self.pos_weight.tolist()
        return settings

    def get_config(self) -> dict:
        return {"reduction": self.reduction, **self._settings()}


class CrossEntropyLoss(_Loss):
    """Softmax + cross-entropy from raw scores (logits): the multi-class loss.

    ``loss_i = logsumexp(z_i) - z_i[label_i]``; targets are integer labels (N,) or
    probabilities/one-hot (N, C).

    Args:
        weight: optional per-class weights, shape (C,).
        reduction: 'mean' (weighted mean with ``weight``), 'sum' or 'none'.
        label_smoothing: eps in [0, 1): targets become (1 - eps) t + eps / C.

    Example:
        >>> import glassnet as gn
        >>> CrossEntropyLoss()(gn.tensor([[2.0, 0.0, 0.0]]), gn.tensor([0]))
        tensor(0.2395)
    """

    def __init__(self, weight=None, reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(reduction)
        if not 0 <= label_smoothing < 1:
            raise ValueError(f"CrossEntropyLoss: label_smoothing must be in [0, 1), "
                             f"received {label_smoothing}")
        self.weight = None if weight is None else np.asarray(getattr(weight, "data", weight))
        self.label_smoothing = float(label_smoothing)

    def forward(self, logits, target):
        return F.cross_entropy(logits, target, reduction=self.reduction,
                               label_smoothing=self.label_smoothing, weight=self.weight)

    def _settings(self) -> dict:
        settings = super()._settings()
        if self.weight is not None:
            settings["weight"] = self.weight.tolist()
        if self.label_smoothing:
            settings["label_smoothing"] = self.label_smoothing
        return settings

    def get_config(self) -> dict:
        return {"reduction": self.reduction, **self._settings()}


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (after ``LogSoftmax``).

    ``nn.NLLLoss()(nn.LogSoftmax()(z), y)`` equals ``nn.CrossEntropyLoss()(z, y)``.

    Example:
        >>> import glassnet as gn
        >>> NLLLoss()(gn.tensor([[-0.1, -2.4]]), gn.tensor([1]))
        tensor(2.4)
    """

    def forward(self, log_probabilities, target):
        return F.nll_loss(log_probabilities, target, reduction=self.reduction)
