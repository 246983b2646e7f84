"""Weight penalties (Keras's regularizers): a number added to the loss for large weights.

    L1(l1)(w)      = l1 * sum(|w|)               pushes weights to exactly 0 (sparse)
    L2(l2)(w)      = l2 * sum(w^2)               shrinks all weights ("weight decay")
    L1L2(l1, l2)(w) = l1 * sum(|w|) + l2 * sum(w^2)

As in Keras there is no 1/2 in L2. Give one to a layer
(``nn.Dense(64, kernel_regularizer="l2")``); ``model.regularization_loss()`` sums every
layer's penalties and the Keras-style fit loop adds that to the loss. (PyTorch-style code
usually asks the optimizer for ``weight_decay`` instead.)

Example:
    >>> import glassnet as gn
    >>> w = gn.tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> L1(0.1)(w), L2(0.01)(w)          # 0.1 * 10, 0.01 * 30
    (tensor(1.), tensor(0.3))
"""

from __future__ import annotations

from glassnet.tensor import Tensor


def _check_factor(owner: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{owner}: {name} must be a number, received {value!r}")
    if value < 0:
        raise ValueError(f"{owner}: {name} must be >= 0, received {name}={value}")
    return float(value)


class Regularizer:
    """Base class: a callable turning a weight Tensor into a scalar penalty Tensor.

    Subclasses implement ``__call__(weight) -> Tensor``; ``get_config()`` returns the
    instance attributes, which is also what ``repr`` shows.

    Example:
        >>> import glassnet as gn
        >>> class MaxAbs(Regularizer):
        ...     def __init__(self, factor=0.1):
        ...         self.factor = factor
        ...     def __call__(self, weight):   # penalty(w) = factor * max |w|
        ...         return weight.abs().max() * self.factor
        >>> MaxAbs()
        MaxAbs(factor=0.1)
        >>> MaxAbs()(gn.tensor([1.0, -3.0]))
        tensor(0.3)
    """

    def __call__(self, weight: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_config(self) -> dict:
        """The factors as a dict, e.g. ``{'l2': 0.01}`` (``regularizer_config`` wraps it)."""
        return dict(vars(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """``penalty(w) = l1 * sum(|w|) + l2 * sum(w^2)``.

    Args:
        l1: the L1 factor (default 0.0).
        l2: the L2 factor (default 0.0).

    Example:
        >>> import glassnet as gn
        >>> L1L2(l1=0.1, l2=0.01)(gn.tensor([1.0, -2.0]))   # 0.1 * 3 + 0.01 * 5
        tensor(0.35)
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _check_factor(type(self).__name__, "l1", l1)
        self.l2 = _check_factor(type(self).__name__, "l2", l2)

    def __call__(self, weight: Tensor) -> Tensor:
        penalty = None
        if self.l1:
            penalty = self.l1 * weight.abs().sum()
        if self.l2:
            squares = self.l2 * (weight * weight).sum()
            penalty = squares if penalty is None else penalty + squares
        if penalty is None:
            penalty = (weight * 0.0).sum()
        return penalty


class L1(L1L2):
    """``penalty(w) = l1 * sum(|w|)`` (default l1 = 0.01): drives weights to exactly zero.

    Example:
        >>> import glassnet as gn
        >>> L1(0.5)(gn.tensor([1.0, -2.0]))
        tensor(1.5)
    """

    def __init__(self, l1: float = 0.01):
        super().__init__(l1=l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    """``penalty(w) = l2 * sum(w^2)`` (default l2 = 0.01): shrinks every weight.

    Example:
        >>> import glassnet as gn
        >>> L2(0.5)(gn.tensor([1.0, -2.0]))
        tensor(2.5)
    """

    def __init__(self, l2: float = 0.01):
        super().__init__(l2=l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


#: regularizer names -> a factory with Keras's defaults ("l1_l2" uses 0.01 for both,
#: as Keras 2's ``l1_l2()`` did).
REGULARIZERS = {
    "l1": L1,
    "l2": L2,
    "l1_l2": lambda: L1L2(l1=0.01, l2=0.01),
}


def get_regularizer(regularizer):
    """Resolve None, a name ("l1", "l2", "l1_l2") or a callable penalty.

    Raises:
        ValueError: for an unknown name, listing the valid ones.

    Example:
        >>> get_regularizer("l2")
        L2(l2=0.01)
        >>> get_regularizer(None) is None
        True
    """
    if regularizer is None or callable(regularizer):
        return regularizer
    if isinstance(regularizer, dict):  # {"class_name": "L2", "config": {"l2": 0.01}}
        classes = {"L1": L1, "L2": L2, "L1L2": L1L2}
        if regularizer.get("class_name") in classes:
            return classes[regularizer["class_name"]](**regularizer.get("config", {}))
    if not isinstance(regularizer, str):
        raise TypeError(f"A regularizer must be None, a name or a callable, received "
                        f"{type(regularizer).__name__}")
    key = regularizer.strip().lower()
    if key not in REGULARIZERS:
        raise ValueError(f"Unknown regularizer {regularizer!r}. Valid names: "
                         f"{', '.join(sorted(REGULARIZERS))}")
    return REGULARIZERS[key]()


def regularizer_config(regularizer):
    """A JSON-friendly description of a regularizer (None stays None).

    Example:
        >>> regularizer_config(L2(0.01)), regularizer_config(None)
        ({'class_name': 'L2', 'config': {'l2': 0.01}}, None)
    """
    if regularizer is None:
        return None
    if not isinstance(regularizer, Regularizer):
        raise TypeError(f"Cannot describe the custom regularizer {regularizer!r} in a config; "
                        f"use L1/L2/L1L2 or save the weights only")
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}
