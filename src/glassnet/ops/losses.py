"""Fused loss operations, computed from logits so extreme values stay finite.

softmax followed by cross-entropy, done separately, overflows (e^1000) or takes log(0).
Done together it simplifies to  loss = logsumexp(z) - z[label]  and its gradient to
softmax(z) - onehot(label): stable and cheap. The same holds for sigmoid with binary
cross-entropy:  loss = max(z, 0) - z * t + log(1 + e^-|z|),  gradient sigmoid(z) - t.
"""

from __future__ import annotations

import numpy as np

from glassnet.ops.activations import stable_sigmoid
from glassnet.tensor import Op


def _reduce(losses: np.ndarray, reduction: str, weights_sum=None) -> np.ndarray:
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    denominator = losses.size if weights_sum is None else weights_sum
    return losses.sum() / losses.dtype.type(denominator)


def _spread(grad: np.ndarray, shape: tuple, reduction: str, count) -> np.ndarray:
    """The incoming gradient per sample: scalar (mean/sum) or one per sample (none)."""
    if reduction == "none":
        return grad.reshape(shape)
    if reduction == "mean":
        return np.full(shape, grad / count, dtype=grad.dtype)
    return np.full(shape, grad, dtype=grad.dtype)


class SoftmaxCrossEntropy(Op):
    """Cross-entropy of softmax(logits) against integer labels or target probabilities.

    Per sample:  loss = -sum_c W_c * log_softmax(z)_c, where W = t * class_weight and t
    is the one-hot label (or the given probabilities), smoothed to (1 - eps) t + eps / C.
    d/dz = softmax(z) * sum_c W_c - W  (= softmax(z) - t without class weights).
    """

    integer_inputs = (1,)

    def __init__(self, reduction="mean", label_smoothing=0.0, class_weight=None):
        self.reduction, self.smoothing, self.class_weight = reduction, label_smoothing, class_weight

    def forward(self, logits, target):
        n, classes = logits.shape
        shifted = logits - logits.max(axis=1, keepdims=True)
        self.log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        labels = target.dtype.kind in "iu"
        if labels:
            t = np.zeros_like(logits)
            t[np.arange(n), target] = 1
        else:
            t = target
        self.target_scale = 1 - self.smoothing
        if self.smoothing:
            t = t * self.target_scale + self.smoothing / classes
        self.count = n
        if self.class_weight is not None:
            weight = self.class_weight.astype(logits.dtype)
            t = t * weight
            if labels:  # PyTorch: the weighted mean divides by the labels' total weight
                self.count = weight[target].sum()
        self.weighted_target = t
        return _reduce(-(t * self.log_probs).sum(axis=1), self.reduction, self.count)

    def backward(self, grad):
        per_sample = _spread(grad, (len(self.log_probs), 1), self.reduction, self.count)
        t = self.weighted_target
        softmax = np.exp(self.log_probs)
        grad_logits = (softmax * t.sum(axis=1, keepdims=True) - t) * per_sample
        grad_target = None
        if self.needs_input_grad[1]:  # probability targets: d/dt = -(1 - eps) w log p
            weight = 1 if self.class_weight is None else self.class_weight
            grad_target = -self.target_scale * weight * self.log_probs * per_sample
        return grad_logits, grad_target


class SigmoidBinaryCrossEntropy(Op):
    """Binary cross-entropy of sigmoid(logits) against targets t in [0, 1].

    Per element:  loss = max(z, 0) - z t + log(1 + e^-|z|)  (= -t log s - (1-t) log(1-s));
    d/dz = sigmoid(z) - t  (without pos_weight).
    """

    def __init__(self, reduction="mean", pos_weight=None):
        self.reduction, self.pos_weight = reduction, pos_weight

    def forward(self, logits, target):
        self.logits, self.target = logits, target
        softplus_neg = np.maximum(-logits, 0) + np.log1p(np.exp(-np.abs(logits)))  # -log s(z)
        if self.pos_weight is None:
            losses = (1 - target) * logits + softplus_neg
        else:
            weight = np.asarray(self.pos_weight, dtype=logits.dtype)
            losses = (1 - target) * logits + (1 + (weight - 1) * target) * softplus_neg
        return _reduce(losses, self.reduction)

    def backward(self, grad):
        z, t = self.logits, self.target
        s = stable_sigmoid(z)
        per_element = _spread(grad, z.shape, self.reduction, z.size)
        if self.pos_weight is None:
            local, local_t = s - t, -z
        else:  # d/dz softplus(-z) = s - 1
            weight = np.asarray(self.pos_weight, dtype=z.dtype)
            softplus_neg = np.maximum(-z, 0) + np.log1p(np.exp(-np.abs(z)))
            local = (1 - t) + (1 + (weight - 1) * t) * (s - 1)
            local_t = -z + (weight - 1) * softplus_neg
        grad_target = local_t * per_element if self.needs_input_grad[1] else None
        return local * per_element, grad_target


class BinaryCrossEntropy(Op):
    """Binary cross-entropy of probabilities p against targets t (PyTorch's BCELoss).

    loss = -(t log p + (1 - t) log(1 - p)), each log clamped at -100 as PyTorch does, so
    p = 0 or 1 gives a large finite loss instead of inf.
    d/dp = (p - t) / max(p (1 - p), 1e-12),  d/dt = log(1 - p) - log(p).
    """

    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def forward(self, p, t):
        self.p, self.t = p, t
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), -100)
            log_1mp = np.maximum(np.log1p(-p), -100)
        self.log_p, self.log_1mp = log_p, log_1mp
        losses = -(t * log_p + (1 - t) * log_1mp)
        return _reduce(losses, self.reduction)

    def backward(self, grad):
        p, t = self.p, self.t
        per_element = _spread(grad, p.shape, self.reduction, p.size)
        local = (p - t) / np.maximum(p * (1 - p), 1e-12)
        grad_p = (local * per_element).astype(p.dtype, copy=False)
        grad_t = None
        if self.needs_input_grad[1]:  # d/dt = log(1 - p) - log(p)
            grad_t = ((self.log_1mp - self.log_p) * per_element).astype(p.dtype, copy=False)
        return grad_p, grad_t
