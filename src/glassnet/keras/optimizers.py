"""``keras.optimizers``: glassnet's optimizers, with Keras's arguments and default settings.

Each class is glassnet's optimizer of the same name (``isinstance(opt, gn.optim.Adam)``)
with only Keras's constructor: no parameters (``compile`` gives it the model's weights on
the first ``fit``) and Keras's defaults, the same ones ``compile(optimizer="adam")`` uses
(e.g. Adam: learning rate 1e-3, epsilon 1e-7). The update rules are glassnet's, documented
on ``glassnet.optim``.

Example:
    >>> import glassnet as gn
    >>> from glassnet import keras
    >>> opt = keras.optimizers.Adam(learning_rate=0.001)
    >>> isinstance(opt, gn.optim.Adam), opt.defaults["lr"], opt.defaults["eps"]
    (True, 0.001, 1e-07)
"""

from glassnet import optim

__all__ = ["Adagrad", "Adam", "AdamW", "RMSprop", "SGD"]


class SGD(optim.SGD):
    """Keras's ``SGD(learning_rate=0.01, momentum=0.0, nesterov=False)``.

    Example:
        >>> SGD().defaults["lr"], SGD(0.1, momentum=0.9).defaults["momentum"]
        (0.01, 0.9)
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False):
        super().__init__(learning_rate=learning_rate, momentum=momentum, nesterov=nesterov)


class Adam(optim.Adam):
    """Keras's ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)``.

    Example:
        >>> Adam(learning_rate=0.01).defaults["lr"]
        0.01
    """

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad)


class AdamW(optim.AdamW):
    """Keras's ``AdamW(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
    epsilon=1e-7)``: the weights shrink by ``learning_rate * weight_decay`` each step.

    Example:
        >>> AdamW().defaults["weight_decay"]
        0.004
    """

    def __init__(self, learning_rate: float = 0.001, weight_decay: float = 0.004,
                 beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False):
        super().__init__(weight_decay=weight_decay, amsgrad=amsgrad,
                         learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon)


class RMSprop(optim.RMSprop):
    """Keras's ``RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7)``.

    glassnet adds epsilon outside the square root (PyTorch's form, see ``optim.RMSprop``).

    Example:
        >>> RMSprop().defaults["alpha"]
        0.9
    """

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False):
        super().__init__(momentum=momentum, centered=centered, learning_rate=learning_rate,
                         rho=rho, epsilon=epsilon)


class Adagrad(optim.Adagrad):
    """Keras's ``Adagrad(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7)``.

    Example:
        >>> Adagrad().defaults["initial_accumulator_value"]
        0.1
    """

    def __init__(self, learning_rate: float = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float = 1e-7):
        super().__init__(initial_accumulator_value=initial_accumulator_value,
                         learning_rate=learning_rate, epsilon=epsilon)
