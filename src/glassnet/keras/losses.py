"""``keras.losses``: Keras's loss classes, each standing for one of glassnet's named losses.

A loss object here *is* the name of a glassnet loss (the class derives from ``str``), so
``compile(loss=keras.losses.BinaryCrossentropy())`` does exactly what
``compile(loss="binary_crossentropy")`` does (including fusing a sigmoid or softmax output
with its cross-entropy), and a saved model records the name. Called directly, a loss takes
Keras's argument order, ``loss(y_true, y_pred)``, and returns the mean loss.

===============================================  =============================================
Keras                                            glassnet loss name
===============================================  =============================================
MeanSquaredError()                               mean_squared_error
MeanAbsoluteError()                              mean_absolute_error
Huber()                                          huber (delta 1)
BinaryCrossentropy()                             binary_crossentropy
BinaryCrossentropy(from_logits=True)             bce_with_logits
CategoricalCrossentropy()                        categorical_crossentropy
CategoricalCrossentropy(from_logits=True)        cross_entropy (one-hot or probability targets)
SparseCategoricalCrossentropy()                  sparse_categorical_crossentropy
SparseCategoricalCrossentropy(from_logits=True)  cross_entropy (integer label targets)
===============================================  =============================================

Example:
    >>> import numpy as np
    >>> from glassnet import keras
    >>> loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    >>> loss_fn, str(loss_fn)
    (SparseCategoricalCrossentropy(from_logits=True), 'cross_entropy')
    >>> round(loss_fn(np.array([1]), np.array([[0.0, 0.0]])).item(), 4)     # -ln(1/2)
    0.6931
"""

import numpy as np

from glassnet.tensor import Tensor
from glassnet.training import losses

__all__ = ["BinaryCrossentropy", "CategoricalCrossentropy", "Huber", "Loss", "MeanAbsoluteError",
           "MeanSquaredError", "SparseCategoricalCrossentropy"]


class Loss(str):
    """Base of the Keras loss classes: a glassnet loss name that is also callable, Keras style.

    Args:
        from_logits: the predictions are raw scores (logits), not probabilities; only for
            the cross-entropies.

    Example:
        >>> mse = MeanSquaredError()
        >>> mse == "mean_squared_error", mse([1.0, 2.0], [1.5, 2.0]).item()   # 0.5^2 / 2
        (True, 0.125)
    """

    #: the glassnet loss name for predictions that are probabilities (or any values)
    loss_name = ""
    #: the loss name with ``from_logits=True``; None when the loss has no such option
    logits_name = None

    def __new__(cls, from_logits: bool = False):
        if from_logits and cls.logits_name is None:
            raise TypeError(f"{cls.__name__} takes no from_logits argument (it is not a "
                            f"cross-entropy), received from_logits={from_logits!r}")
        return super().__new__(cls, cls.logits_name if from_logits else cls.loss_name)

    @property
    def from_logits(self) -> bool:
        """True when this loss takes raw scores (logits)."""
        return self.logits_name is not None and str(self) == self.logits_name

    def __call__(self, y_true, y_pred) -> Tensor:
        """The mean loss of the predictions ``y_pred`` against the targets ``y_true``.

        As in Keras, targets of shape (N,) match predictions of shape (N, 1), and labels of
        shape (N, 1) match scores of shape (N, C).
        """
        spec = losses.get(self)
        prediction = y_pred if isinstance(y_pred, Tensor) else Tensor(y_pred)
        target = np.asarray(y_true.data if isinstance(y_true, Tensor) else y_true)
        if spec.targets in ("float", "binary", "one_hot") and target.size == prediction.numel():
            target = target.reshape(prediction.shape)
        elif target.ndim > 1 and target.shape[-1] == 1:
            target = target.reshape(target.shape[:-1])
        return spec(prediction, target)

    def __repr__(self) -> str:
        if self.logits_name is None:
            return f"{type(self).__name__}()"
        return f"{type(self).__name__}(from_logits={self.from_logits})"


class MeanSquaredError(Loss):
    """``mean((y_pred - y_true)^2)``, the loss "mse".

    Example:
        >>> MeanSquaredError()([0.0, 0.0], [1.0, 3.0]).item()     # (1 + 9) / 2
        5.0
    """

    loss_name = "mean_squared_error"


class MeanAbsoluteError(Loss):
    """``mean(|y_pred - y_true|)``, the loss "mae".

    Example:
        >>> MeanAbsoluteError()([0.0, 0.0], [1.0, -3.0]).item()
        2.0
    """

    loss_name = "mean_absolute_error"


class Huber(Loss):
    """Huber loss with delta 1: ``0.5 e^2`` where ``|e| <= 1``, else ``|e| - 0.5``.

    Example:
        >>> Huber()([0.0, 0.0], [0.5, 3.0]).item()     # (0.125 + 2.5) / 2
        1.3125
    """

    loss_name = "huber"


class BinaryCrossentropy(Loss):
    """``-(t log p + (1 - t) log(1 - p))`` for 0/1 targets t; ``p = sigmoid(y_pred)`` with
    ``from_logits=True``.

    Example:
        >>> round(BinaryCrossentropy()([1.0, 0.0], [0.9, 0.2]).item(), 4)   # -(ln .9 + ln .8)/2
        0.1643
    """

    loss_name = "binary_crossentropy"
    logits_name = "bce_with_logits"


class CategoricalCrossentropy(Loss):
    """``-sum_c t_c log p_c`` for one-hot targets t; ``p = softmax(y_pred)`` with
    ``from_logits=True``.

    Example:
        >>> round(CategoricalCrossentropy()([[0.0, 1.0]], [[0.2, 0.8]]).item(), 4)   # -ln 0.8
        0.2231
    """

    loss_name = "categorical_crossentropy"
    logits_name = "cross_entropy"


class SparseCategoricalCrossentropy(Loss):
    """``-log p[label]`` for integer labels; ``p = softmax(y_pred)`` with ``from_logits=True``.

    Example:
        >>> round(SparseCategoricalCrossentropy()([1], [[0.2, 0.8]]).item(), 4)   # -ln 0.8
        0.2231
    """

    loss_name = "sparse_categorical_crossentropy"
    logits_name = "cross_entropy"
