"""``keras.utils``: ``to_categorical`` (one-hot labels) and ``set_random_seed``.

Example:
    >>> from glassnet import keras
    >>> keras.utils.to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
"""

import numpy as np

from glassnet.backend import seed as set_random_seed
from glassnet.data.splits import one_hot

__all__ = ["set_random_seed", "to_categorical"]


def to_categorical(x, num_classes: int | None = None) -> np.ndarray:
    """Keras's one-hot encoding: label k becomes a row with a 1 in column k (``data.one_hot``).

    As in Keras, labels of shape (N, 1) give (N, num_classes), not (N, 1, num_classes).

    Args:
        x: integer class labels 0..num_classes-1.
        num_classes: the number of columns; defaults to max(x) + 1.

    Returns:
        float32 array of shape ``x.shape + (num_classes,)`` (a trailing axis of 1 dropped).

    Example:
        >>> to_categorical([[1], [0]], num_classes=3)
        array([[0., 1., 0.],
               [1., 0., 0.]], dtype=float32)
    """
    labels = np.asarray(x)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    return one_hot(labels, num_classes)
