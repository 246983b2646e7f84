"""glassnet.training: the Keras-style fit loop, its callbacks, metrics and progress display.

- ``Model(module)``: ``compile``/``fit``/``evaluate``/``predict``/``summary`` for any
  ``nn.Module`` (``gn.Sequential`` uses it for its own Keras-style methods);
- ``callbacks``: ``EarlyStopping``, ``ModelCheckpoint``, ``LearningRateScheduler``,
  ``ReduceLROnPlateau``, ``TerminateOnNaN``, ``CSVLogger``, ``LambdaCallback``, ``History``;
- ``metrics``: accuracy, precision, recall, F1, MAE, MSE, RMSE, R^2, ``confusion_matrix``;
- ``losses``: the loss names ``compile(loss=...)`` accepts.

Example:
    >>> import numpy as np
    >>> from glassnet import nn
    >>> from glassnet.training import Model, callbacks, metrics
    >>> model = Model(nn.Linear(3, 1))
    >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    >>> metrics.accuracy([0, 1, 1], [0, 1, 0])
    0.6666666666666666
"""

from glassnet.training import callbacks, losses, metrics
from glassnet.training.callbacks import (
    Callback,
    CallbackList,
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    ModelCheckpoint,
    ReduceLROnPlateau,
    TerminateOnNaN,
)
from glassnet.training.model import Model, TrainingDivergedError
from glassnet.training.progress import ProgbarLogger

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "Model",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
    "TrainingDivergedError",
    "callbacks",
    "losses",
    "metrics",
]
