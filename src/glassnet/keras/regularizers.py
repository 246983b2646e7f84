"""``keras.regularizers``: glassnet's weight penalties, ``l2(0.01)`` spelt as Keras does.

Example:
    >>> from glassnet import keras
    >>> layer = keras.layers.Dense(4, kernel_regularizer=keras.regularizers.l2(0.01))
    >>> layer.kernel_regularizer
    L2(l2=0.01)
"""

from glassnet.nn.regularizers import L1, L1L2, L2, Regularizer

l1 = L1
l2 = L2
l1_l2 = L1L2

__all__ = ["L1", "L1L2", "L2", "Regularizer", "l1", "l1_l2", "l2"]
