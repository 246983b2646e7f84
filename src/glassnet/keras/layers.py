"""``keras.layers``: glassnet's layers under Keras's names (the same classes as ``gn.nn``).

Only layers whose Keras arguments and defaults glassnet's class shares are listed; ``Input``
makes an ``nn.InputLayer``, which declares the sample shape at the start of a Sequential.

Example:
    >>> import glassnet as gn
    >>> from glassnet.keras.layers import Dense, Dropout, Flatten
    >>> Dense is gn.nn.Dense, Dropout(0.2)
    (True, Dropout(p=0.2))
"""

from glassnet.nn import (
    GRU,
    LSTM,
    Activation,
    AveragePooling2D,
    AvgPool2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    InputLayer,
    MaxPool2D,
    MaxPooling2D,
    ReLU,
    SimpleRNN,
)

__all__ = ["Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D",
           "Dense", "Dropout", "Flatten", "GRU", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
           "Input", "InputLayer", "LSTM", "MaxPool2D", "MaxPooling2D", "ReLU", "SimpleRNN"]


def Input(shape, name: str | None = None) -> InputLayer:  # noqa: N802 - Keras's name
    """``keras.Input(shape=(4,))``: the input of a Sequential, one sample of this shape.

    In Keras it is a symbolic tensor; in glassnet it is an ``nn.InputLayer``, which is what
    it does in a Sequential: the layers after it get their weights at once. (The Keras
    functional API, ``keras.Model(inputs, outputs)``, is not part of glassnet.)

    Args:
        shape: the shape of one sample, without the batch axis, e.g. ``(4,)``.
        name: the layer name.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import keras
        >>> model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
        >>> model(gn.zeros(3, 4)).shape, model[1].in_features
        ((3, 2), 4)
    """
    return InputLayer(shape, name=name)
