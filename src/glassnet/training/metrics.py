"""Metrics: numbers that say how good a model is, computed over a whole epoch.

Two ways to use them:

- functions on whole arrays, ``accuracy(y_true, y_pred)``, ``r2(y_true, y_pred)``, ... (the
  arguments in scikit-learn's and Keras's order: truth first), returning a Python float;
- streaming classes for the fit loop, ``Accuracy()``, ``R2Score()``, ... with Keras's methods
  ``update_state(y_true, y_pred, sample_weight=None)``, ``result()`` and ``reset_state()``.
  They accumulate sums and counts batch by batch, so the value at the end of an epoch is the
  value on all its samples (not a mean of batch means, which is wrong for precision, recall,
  F1, RMSE and R^2).

Each function is its class used once, so there is one implementation of each formula.

``y_pred`` may be what a model outputs or plain class labels:

- scores of shape (N, C) with C > 1 (probabilities or logits): the predicted class is the
  argmax;
- one column or a 1-D array: floats that are not all whole numbers are probabilities of the
  positive class, thresholded at 0.5 (as Keras's binary accuracy); whole numbers are labels
  (as scikit-learn). Labels 0/1 give the same answer either way.

``y_true`` may be labels (N,) or (N, 1), or one-hot rows (N, C).

Example:
    >>> import numpy as np
    >>> from glassnet.training import metrics
    >>> y_true = np.array([0, 1, 1, 0])
    >>> y_prob = np.array([[0.2], [0.9], [0.4], [0.1]])      # a sigmoid output
    >>> metrics.accuracy(y_true, y_prob)                     # 3 of 4 right
    0.75
    >>> metrics.confusion_matrix(y_true, y_prob)
    array([[2, 0],
           [1, 1]])
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Metric",
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "Precision",
    "Recall",
    "F1Score",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "RootMeanSquaredError",
    "R2Score",
    "MeanMetricWrapper",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "precision",
    "recall",
    "f1",
    "f1_score",
    "mae",
    "mse",
    "rmse",
    "r2",
    "r2_score",
    "confusion_matrix",
    "get",
    "names",
]

AVERAGES = ("auto", "binary", "micro", "macro", "weighted")


# --------------------------------------------------------------------------------------------
# turning arrays into labels
# --------------------------------------------------------------------------------------------


def _array(values, name: str, where: str) -> np.ndarray:
    array = np.asarray(values.data if hasattr(values, "data") else values)
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"{where}: {name} must hold numbers, received dtype {array.dtype}; encode "
            f"string labels first, e.g. with np.unique(y, return_inverse=True)"
        )
    if array.ndim == 0:
        raise ValueError(f"{where}: {name} must hold one value per sample, received a scalar")
    return array


def _weights(sample_weight, n: int, where: str):
    if sample_weight is None:
        return None
    weight = np.asarray(sample_weight, dtype=np.float64).reshape(-1)
    if weight.shape != (n,):
        raise ValueError(
            f"{where}: sample_weight must have one weight per sample ({n}), received shape "
            f"{np.shape(sample_weight)}"
        )
    return weight


def _is_whole(values: np.ndarray) -> bool:
    if values.dtype.kind in "iub":
        return True
    if values.size and values.flat[0] != np.round(values.flat[0]):
        return False  # probabilities: decided by the first value, no pass over the array
    return bool(np.all(values == np.round(values)))


def _as_labels(y: np.ndarray, name: str, where: str) -> np.ndarray:
    """Class labels from labels, one-hot rows, scores or probabilities (see module doc)."""
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    if y.ndim > 2:
        raise ValueError(f"{where}: {name} must be labels (N,) or scores (N, C), "
                         f"received shape {y.shape}")
    flat = y.reshape(-1)
    if not _is_whole(flat):
        return (flat > 0.5).astype(np.int64)
    labels = flat.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"{where}: class labels must be >= 0, received "
                         f"{sorted(set(labels[labels < 0].tolist()))[:10]} in {name}")
    return labels


def _labels_pair(y_true, y_pred, where: str):
    y_true = _array(y_true, "y_true", where)
    y_pred = _array(y_pred, "y_pred", where)
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"{where}: y_true and y_pred have different numbers of samples: shapes "
            f"{y_true.shape} and {y_pred.shape}"
        )
    return _as_labels(y_true, "y_true", where), _as_labels(y_pred, "y_pred", where), y_pred


def _matched(y_true, y_pred, where: str):
    """Truth and prediction as float arrays of one shape: (N,) vs (N, 1) is reshaped."""
    y_true = _array(y_true, "y_true", where)
    y_pred = _array(y_pred, "y_pred", where)
    if y_true.shape != y_pred.shape:
        if y_true.size != y_pred.size or len(y_true) != len(y_pred):
            raise ValueError(
                f"{where}: y_true shape {y_true.shape} does not match y_pred shape "
                f"{y_pred.shape}"
            )
        y_true = y_true.reshape(y_pred.shape)
    return y_true.astype(np.float64, copy=False), y_pred.astype(np.float64, copy=False)


def _per_sample_mean(values: np.ndarray) -> np.ndarray:
    """One number per sample: the mean over every axis but the first (Keras: axis=-1)."""
    return values.reshape(len(values), -1).mean(axis=1) if values.ndim > 1 else values


# --------------------------------------------------------------------------------------------
# the streaming classes
# --------------------------------------------------------------------------------------------


class Metric:
    """Base of the streaming metrics: accumulate with ``update_state``, read with ``result``.

    Subclasses set ``direction`` ("up": higher is better, "down": lower is better), which
    ``EarlyStopping(mode="auto")`` reads.

    Args:
        name: the key in the training logs (``history.history[name]``).

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([1.0, 2.0], [1.5, 2.0])
        >>> m.update_state([0.0], [3.0])
        >>> m.result()                      # (0.5 + 0 + 3) / 3 samples
        1.1666666666666667
        >>> m.reset_state(); m.result()
        0.0
    """

    direction = "up"
    default_name = "metric"
    #: True when, for scores (N, C) with C > 1, only their argmax matters (the fit loop then
    #: skips turning logits into probabilities)
    argmax_only = False

    def __init__(self, name: str | None = None):
        self.name = name or self.default_name
        self.reset_state()

    def reset_state(self) -> None:
        """Forget every batch seen so far (``fit`` calls it at the start of each epoch)."""
        self.total = 0.0
        self.count = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:  # pragma: no cover
        """Add one batch: targets, predictions and optional per-sample weights."""
        raise NotImplementedError

    def result(self) -> float:
        """The value over every batch since the last reset: sum(w * value) / sum(w)."""
        return float(self.total / self.count) if self.count else 0.0

    def _add(self, per_sample: np.ndarray, weight) -> None:
        """Add one value per sample (weighted) to the running mean."""
        if weight is None:
            self.total += float(per_sample.sum())
            self.count += per_sample.size
        else:
            self.total += float(per_sample @ weight)
            self.count += float(weight.sum())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class BinaryAccuracy(Metric):
    """Share of values where ``(y_pred > threshold)`` equals the 0/1 truth.

    For several outputs per sample (multi-label) each sample scores the share of its
    outputs that are right.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [0], [1]], [[0.9], [0.6], [0.2]])
        >>> round(m.result(), 4)
        0.3333
    """

    default_name = "binary_accuracy"

    def __init__(self, name: str | None = None, threshold: float = 0.5):
        self.threshold = threshold
        super().__init__(name)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = _matched(y_true, y_pred, self.name)
        right = (y_pred > self.threshold) == (y_true > 0.5)
        self._add(_per_sample_mean(right.astype(np.float64)),
                  _weights(sample_weight, len(y_true), self.name))


class CategoricalAccuracy(Metric):
    """Share of samples whose highest score is at the one-hot truth's 1.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 1], [1, 0]], [[0.3, 0.7], [0.4, 0.6]])
        >>> m.result()
        0.5
    """

    default_name = "categorical_accuracy"
    argmax_only = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = _array(y_true, "y_true", self.name)
        y_pred = _array(y_pred, "y_pred", self.name)
        if y_true.shape != y_pred.shape or y_true.ndim != 2:
            raise ValueError(
                f"{self.name}: expected one-hot y_true and scores y_pred of one shape (N, C), "
                f"received {y_true.shape} and {y_pred.shape}; for integer labels use "
                f"sparse_categorical_accuracy"
            )
        right = y_true.argmax(axis=1) == y_pred.argmax(axis=1)
        self._add(right.astype(np.float64), _weights(sample_weight, len(y_true), self.name))


class SparseCategoricalAccuracy(Metric):
    """Share of samples whose highest score is at the integer label.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([1, 0], [[0.3, 0.7], [0.4, 0.6]])
        >>> m.result()
        0.5
    """

    default_name = "sparse_categorical_accuracy"
    argmax_only = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = _array(y_true, "y_true", self.name).reshape(-1)
        y_pred = _array(y_pred, "y_pred", self.name)
        if y_pred.ndim != 2 or len(y_pred) != len(y_true):
            raise ValueError(
                f"{self.name}: expected labels (N,) and scores (N, C), received "
                f"{y_true.shape} and {y_pred.shape}"
            )
        right = y_pred.argmax(axis=1) == y_true
        self._add(right.astype(np.float64), _weights(sample_weight, len(y_true), self.name))


class Accuracy(Metric):
    """Accuracy, binary or multi-class, chosen from the shapes as Keras does for "accuracy".

    - one output column (or 1-D predictions): binary accuracy, threshold 0.5;
    - labels (N,) or (N, 1) against scores (N, C): sparse categorical accuracy;
    - one-hot (N, C) against scores (N, C): categorical accuracy.

    Plain label arrays (scikit-learn style) work too: ``accuracy([0, 2], [0, 1])`` is 0.5.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([2, 0], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])   # sparse
        >>> m.update_state([1], [[0.2, 0.5, 0.3]])
        >>> m.result()
        1.0
    """

    default_name = "accuracy"
    argmax_only = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        labels_true, labels_pred, _ = _labels_pair(y_true, y_pred, self.name)
        right = (labels_true == labels_pred).astype(np.float64)
        self._add(right, _weights(sample_weight, len(right), self.name))


class _ConfusionMetric(Metric):
    """Precision, recall and F1 all come from one streamed confusion matrix."""

    argmax_only = True

    def __init__(self, name: str | None = None, average: str = "auto", positive: int = 1):
        if average not in AVERAGES:
            raise ValueError(f"{type(self).__name__}: average must be one of {AVERAGES}, "
                             f"received {average!r}")
        self.average = average
        self.positive = positive
        super().__init__(name)

    def reset_state(self) -> None:
        self.matrix = np.zeros((0, 0))
        self.binary_outputs = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        labels_true, labels_pred, raw_pred = _labels_pair(y_true, y_pred, self.name)
        self.binary_outputs &= not (raw_pred.ndim == 2 and raw_pred.shape[1] > 1)
        width = raw_pred.shape[1] if raw_pred.ndim == 2 and raw_pred.shape[1] > 1 else 2
        weight = _weights(sample_weight, len(labels_true), self.name)
        self.matrix = _add_to_matrix(self.matrix, labels_true, labels_pred, weight, width)

    def result(self) -> float:
        return _score_from_matrix(self.matrix, self.kind, self._average(), self.positive,
                                  self.name)

    def _average(self) -> str:
        if self.average != "auto":
            return self.average
        return "binary" if self.binary_outputs and len(self.matrix) <= 2 else "macro"


class Precision(_ConfusionMetric):
    """Precision: of the samples predicted positive, the share that are positive.

    ``precision = TP / (TP + FP)`` (0 when nothing is predicted positive).

    Args:
        name: key in the logs. Defaults to "precision".
        average: "binary" (the ``positive`` class only), "macro" (unweighted mean over
            classes), "micro" (from the pooled counts), "weighted" (mean weighted by each
            class's number of true samples) or "auto" (the default: binary for one output
            column, macro for several), as scikit-learn's ``average``.
        positive: the positive class for ``average="binary"``. Defaults to 1.

    Example:
        >>> m = Precision()
        >>> m.update_state([1, 0, 1, 0], [[0.9], [0.8], [0.3], [0.1]])
        >>> m.result()                     # predicted positive: samples 0 and 1, one right
        0.5
    """

    default_name = "precision"
    kind = "precision"


class Recall(_ConfusionMetric):
    """Recall: of the positive samples, the share predicted positive; ``TP / (TP + FN)``.

    Same arguments as ``Precision``.

    Example:
        >>> m = Recall()
        >>> m.update_state([1, 0, 1, 1], [1, 0, 0, 1])
        >>> round(m.result(), 4)
        0.6667
    """

    default_name = "recall"
    kind = "recall"


class F1Score(_ConfusionMetric):
    """F1: the harmonic mean of precision and recall, ``2 P R / (P + R)``.

    Same arguments as ``Precision``; ``average="macro"`` averages the per-class F1 scores
    (as scikit-learn does).

    Example:
        >>> m = F1Score()
        >>> m.update_state([1, 0, 1, 1], [1, 1, 0, 1])  # P = 2/3, R = 2/3
        >>> round(m.result(), 4)
        0.6667
    """

    default_name = "f1"
    kind = "f1"


def _add_to_matrix(matrix, labels_true, labels_pred, weight, width) -> np.ndarray:
    """Add a batch to a confusion matrix (rows: truth, columns: prediction), growing it."""
    largest = max(int(labels_true.max(initial=0)), int(labels_pred.max(initial=0))) + 1
    size = max(len(matrix), width, largest)
    if size > len(matrix):
        grown = np.zeros((size, size), dtype=np.float64)
        grown[: len(matrix), : len(matrix)] = matrix
        matrix = grown
    counts = np.bincount(labels_true * size + labels_pred, weights=weight,
                         minlength=size * size)
    matrix += counts.reshape(size, size)
    return matrix


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (no warning)."""
    out = np.zeros_like(numerator, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _score_from_matrix(matrix, kind: str, average: str, positive: int, where: str) -> float:
    if matrix.size == 0:
        return 0.0
    if average == "binary" and len(matrix) > 2:
        raise ValueError(
            f"{where}: average='binary' needs two classes but the data has {len(matrix)}; "
            f"choose average='macro', 'micro' or 'weighted'"
        )
    true_positive = np.diag(matrix)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)
    if average == "micro":
        true_positive, predicted, actual = (np.array([a.sum()]) for a in
                                            (true_positive, predicted, actual))
    precision_ = _ratio(true_positive, predicted)
    recall_ = _ratio(true_positive, actual)
    scores = {
        "precision": precision_,
        "recall": recall_,
        "f1": _ratio(2 * precision_ * recall_, precision_ + recall_),
    }[kind]
    if average == "binary":
        return float(scores[positive]) if positive < len(scores) else 0.0
    if average == "weighted":
        return float(scores @ actual / actual.sum()) if actual.sum() else 0.0
    if average == "macro":
        present = (actual + predicted) > 0  # classes seen in the truth or the predictions
        return float(scores[present].mean()) if present.any() else 0.0
    return float(scores[0])


class MeanAbsoluteError(Metric):
    """Mean absolute error, ``mean(|y_true - y_pred|)``: in the target's own units.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([1.0, 2.0], [1.5, 1.0])
        >>> m.result()
        0.75
    """

    direction = "down"
    default_name = "mae"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = _matched(y_true, y_pred, self.name)
        self._add(_per_sample_mean(np.abs(y_true - y_pred)),
                  _weights(sample_weight, len(y_true), self.name))


class MeanSquaredError(Metric):
    """Mean squared error, ``mean((y_true - y_pred)^2)``.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([1.0, 2.0], [1.5, 1.0])
        >>> m.result()                       # (0.25 + 1) / 2
        0.625
    """

    direction = "down"
    default_name = "mse"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = _matched(y_true, y_pred, self.name)
        self._add(_per_sample_mean((y_true - y_pred) ** 2),
                  _weights(sample_weight, len(y_true), self.name))


class RootMeanSquaredError(MeanSquaredError):
    """Root mean squared error, ``sqrt(mean((y_true - y_pred)^2))``, over all samples seen.

    The square root is taken at the end (of the epoch's mean), not per batch.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([0.0, 0.0], [3.0, 4.0])
        >>> round(m.result(), 4)             # sqrt((9 + 16) / 2)
        3.5355
    """

    default_name = "rmse"

    def result(self) -> float:
        return float(np.sqrt(super().result()))


class R2Score(Metric):
    """Coefficient of determination: ``R^2 = 1 - SS_res / SS_tot``.

    ``SS_res = sum (y - y_pred)^2`` and ``SS_tot = sum (y - mean(y))^2``, over all samples
    seen (streamed as sums of y, y^2 and squared errors, in float64). 1 is perfect, 0 is as
    good as always predicting the mean; several outputs are averaged uniformly (scikit-learn
    and Keras default). A constant target gives 1.0 for a perfect fit, else 0.0 (as
    scikit-learn).

    Example:
        >>> m = R2Score()
        >>> m.update_state([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])   # SS_res 1, SS_tot 2
        >>> m.result()
        0.5
    """

    default_name = "r2"

    def reset_state(self) -> None:
        self.sums = None

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = _matched(y_true, y_pred, self.name)
        y_true = y_true.reshape(len(y_true), -1)
        y_pred = y_pred.reshape(len(y_pred), -1)
        weight = _weights(sample_weight, len(y_true), self.name)
        weight = np.ones(len(y_true)) if weight is None else weight
        batch = np.stack([
            np.full(y_true.shape[1], weight.sum()),
            weight @ y_true,
            weight @ (y_true * y_true),
            weight @ ((y_true - y_pred) ** 2),
        ])
        self.sums = batch if self.sums is None else self.sums + batch

    def result(self) -> float:
        if self.sums is None:
            return 0.0
        count, total, total_squares, residual = self.sums
        spread = total_squares - _ratio(total * total, count)
        spread = np.maximum(spread, 0.0)
        perfect = residual <= 1e-12 * np.maximum(total_squares, 1.0)
        scores = np.where(spread > 0, 1 - _ratio(residual, spread), np.where(perfect, 1.0, 0.0))
        return float(scores.mean())


class MeanMetricWrapper(Metric):
    """Turn a function ``fn(y_true, y_pred)`` into a streaming metric (weighted mean).

    The function may return one value per sample or the batch mean (then it counts once
    per sample of the batch). The log key is ``name`` or the function's ``__name__``.

    Example:
        >>> import numpy as np
        >>> def max_error(y_true, y_pred):
        ...     return np.abs(np.asarray(y_true) - np.asarray(y_pred)).max()
        >>> m = MeanMetricWrapper(max_error)
        >>> m.update_state([1.0, 2.0], [1.0, 5.0]); m.name, m.result()
        ('max_error', 3.0)
    """

    def __init__(self, fn, name: str | None = None, direction: str = "up"):
        self.fn = fn
        self.direction = direction
        super().__init__(name or getattr(fn, "__name__", type(fn).__name__))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        values = self.fn(y_true, y_pred)
        values = np.asarray(values.data if hasattr(values, "data") else values, np.float64)
        n = len(np.asarray(y_pred))
        if values.ndim == 0:
            values = np.full(n, float(values))
        self._add(_per_sample_mean(values), _weights(sample_weight, len(values), self.name))


# --------------------------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------------------------

_NAMES = {
    "accuracy": Accuracy,
    "acc": Accuracy,
    "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "precision": Precision,
    "recall": Recall,
    "f1": F1Score,
    "f1_score": F1Score,
    "mae": MeanAbsoluteError,
    "mean_absolute_error": MeanAbsoluteError,
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "rmse": RootMeanSquaredError,
    "root_mean_squared_error": RootMeanSquaredError,
    "r2": R2Score,
    "r2_score": R2Score,
}


def names() -> list:
    """The metric names ``compile(metrics=[...])`` accepts.

    Example:
        >>> "accuracy" in names() and "r2" in names()
        True
    """
    return sorted(_NAMES)


def get(identifier) -> Metric:
    """Resolve a metric name, class, instance or function into a fresh streaming ``Metric``.

    A name becomes its class with that name as the log key (``"acc"`` logs as "acc", as in
    Keras); a function ``fn(y_true, y_pred)`` is wrapped in ``MeanMetricWrapper``.

    Raises:
        ValueError: an unknown name (the message lists the valid ones).
        TypeError: something that is not a name, a metric or a function.

    Example:
        >>> get("acc")
        Accuracy(name='acc')
        >>> get("accuracie")
        Traceback (most recent call last):
        ...
        ValueError: Unknown metric 'accuracie'. Valid names: acc, accuracy, ...
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _NAMES:
            raise ValueError(
                f"Unknown metric {identifier!r}. Valid names: {', '.join(names())}; or pass "
                f"a function fn(y_true, y_pred) or a Metric instance"
            )
        return _NAMES[key](name=identifier)
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise TypeError(
        f"A metric must be a name, a Metric or a function fn(y_true, y_pred), received "
        f"{type(identifier).__name__}"
    )


# --------------------------------------------------------------------------------------------
# the functions
# --------------------------------------------------------------------------------------------


def _once(metric: Metric, y_true, y_pred, sample_weight) -> float:
    metric.update_state(y_true, y_pred, sample_weight)
    return metric.result()


def accuracy(y_true, y_pred, sample_weight=None) -> float:
    """Share of correct predictions; binary, sparse or categorical as ``Accuracy`` decides.

    Args:
        y_true: labels (N,) or one-hot (N, C).
        y_pred: labels, probabilities (N,) / (N, 1), or scores (N, C).
        sample_weight: optional weights (N,).

    Example:
        >>> accuracy([0, 1, 2, 2], [0, 2, 2, 2])
        0.75
    """
    return _once(Accuracy(), y_true, y_pred, sample_weight)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5, sample_weight=None) -> float:
    """Share of outputs where ``y_pred > threshold`` matches the 0/1 truth.

    Example:
        >>> binary_accuracy([1, 0], [0.7, 0.7])
        0.5
    """
    return _once(BinaryAccuracy(threshold=threshold), y_true, y_pred, sample_weight)


def categorical_accuracy(y_true, y_pred, sample_weight=None) -> float:
    """Accuracy of argmax(y_pred) against one-hot truth rows.

    Example:
        >>> categorical_accuracy([[0, 1], [1, 0]], [[0.1, 0.9], [0.2, 0.8]])
        0.5
    """
    return _once(CategoricalAccuracy(), y_true, y_pred, sample_weight)


def sparse_categorical_accuracy(y_true, y_pred, sample_weight=None) -> float:
    """Accuracy of argmax(y_pred) against integer labels.

    Example:
        >>> sparse_categorical_accuracy([1, 0], [[0.1, 0.9], [0.2, 0.8]])
        0.5
    """
    return _once(SparseCategoricalAccuracy(), y_true, y_pred, sample_weight)


def precision(y_true, y_pred, average: str = "auto", sample_weight=None) -> float:
    """``TP / (TP + FP)``; see ``Precision`` for ``average``.

    Example:
        >>> precision([0, 1, 1, 0], [1, 1, 1, 0])
        0.6666666666666666
        >>> round(precision([0, 1, 2, 2], [0, 2, 2, 2], average="macro"), 4)   # (1 + 0 + 2/3) / 3
        0.5556
    """
    return _once(Precision(average=average), y_true, y_pred, sample_weight)


def recall(y_true, y_pred, average: str = "auto", sample_weight=None) -> float:
    """``TP / (TP + FN)``; see ``Precision`` for ``average``.

    Example:
        >>> recall([0, 1, 1, 0], [0, 1, 0, 0])
        0.5
    """
    return _once(Recall(average=average), y_true, y_pred, sample_weight)


def f1(y_true, y_pred, average: str = "auto", sample_weight=None) -> float:
    """``2 P R / (P + R)``; see ``Precision`` for ``average``.

    Example:
        >>> round(f1([0, 1, 1, 0], [1, 1, 0, 0]), 4)
        0.5
    """
    return _once(F1Score(average=average), y_true, y_pred, sample_weight)


f1_score = f1


def mae(y_true, y_pred, sample_weight=None) -> float:
    """Mean absolute error, ``mean(|y_true - y_pred|)``.

    Example:
        >>> mae([1.0, 2.0], [2.0, 4.0])
        1.5
    """
    return _once(MeanAbsoluteError(), y_true, y_pred, sample_weight)


def mse(y_true, y_pred, sample_weight=None) -> float:
    """Mean squared error, ``mean((y_true - y_pred)^2)``.

    Example:
        >>> mse([1.0, 2.0], [2.0, 4.0])
        2.5
    """
    return _once(MeanSquaredError(), y_true, y_pred, sample_weight)


def rmse(y_true, y_pred, sample_weight=None) -> float:
    """Root mean squared error, ``sqrt(mse)``.

    Example:
        >>> rmse([0.0, 0.0], [3.0, 3.0])
        3.0
    """
    return _once(RootMeanSquaredError(), y_true, y_pred, sample_weight)


def r2(y_true, y_pred, sample_weight=None) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot`` (see ``R2Score``).

    Example:
        >>> r2([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
        1.0
    """
    return _once(R2Score(), y_true, y_pred, sample_weight)


r2_score = r2


def confusion_matrix(y_true, y_pred, num_classes: int | None = None,
                     sample_weight=None) -> np.ndarray:
    """Count each (true class, predicted class) pair: rows are truth, columns predictions.

    Entry ``[i, j]`` is the number of samples of class i predicted as class j; the diagonal
    holds the correct predictions (scikit-learn's layout).

    Args:
        y_true: labels (N,) or one-hot rows (N, C); integers from 0.
        y_pred: labels, probabilities (thresholded at 0.5) or scores (N, C) (argmax).
        num_classes: size of the matrix. Defaults to the largest label seen + 1 (or C).
        sample_weight: optional weights (N,); the matrix is then float.

    Returns:
        ndarray of shape (num_classes, num_classes), int64 (float64 with weights).

    Example:
        >>> confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1])
        array([[1, 0, 0],
               [0, 0, 1],
               [0, 1, 1]])
    """
    where = "confusion_matrix"
    labels_true, labels_pred, raw_pred = _labels_pair(y_true, y_pred, where)
    width = raw_pred.shape[1] if raw_pred.ndim == 2 and raw_pred.shape[1] > 1 else 0
    largest = max(int(labels_true.max(initial=-1)), int(labels_pred.max(initial=-1))) + 1
    if num_classes is not None:
        if largest > num_classes:
            raise ValueError(f"{where}: num_classes={num_classes} but the labels go up to "
                             f"{largest - 1}")
        size = int(num_classes)
    else:
        size = max(largest, width)
    weight = _weights(sample_weight, len(labels_true), where)
    matrix = _add_to_matrix(np.zeros((size, size)), labels_true, labels_pred, weight, size)
    return matrix if weight is not None else matrix.astype(np.int64)
