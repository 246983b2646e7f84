"""``keras.callbacks``: glassnet's callbacks, with Keras's names and arguments.

Example:
    >>> from glassnet import keras
    >>> stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    >>> stop.patience
    5
"""

from glassnet.training.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    ModelCheckpoint,
    ReduceLROnPlateau,
    TerminateOnNaN,
)
from glassnet.training.progress import ProgbarLogger

__all__ = ["CSVLogger", "Callback", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau",
           "TerminateOnNaN"]
