"""``keras.metrics``: glassnet's metric classes, with Keras's names.

Example:
    >>> from glassnet import keras
    >>> metric = keras.metrics.BinaryAccuracy()
    >>> metric.update_state([1, 0, 1], [0.9, 0.2, 0.4]); metric.result()
    0.6666666666666666
"""

from glassnet.training.metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    F1Score,
    MeanAbsoluteError,
    MeanSquaredError,
    Metric,
    Precision,
    R2Score,
    Recall,
    RootMeanSquaredError,
    SparseCategoricalAccuracy,
)

__all__ = ["Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "F1Score", "MeanAbsoluteError",
           "MeanSquaredError", "Metric", "Precision", "R2Score", "Recall",
           "RootMeanSquaredError", "SparseCategoricalAccuracy"]
