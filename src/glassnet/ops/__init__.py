"""The differentiable operations, one small class each (forward + backward on arrays).

``samples.py`` registers sample inputs for every op; the gradient tests walk it, so an
op without samples fails the suite.
"""

from glassnet.ops import (  # noqa: F401
    activations, conv, losses, math, nn, normalization, reductions, shape,
)
from glassnet.tensor import Op


def all_ops() -> list:
    """Every concrete ``Op`` subclass defined in glassnet (for the registry tests).

    Example:
        >>> from glassnet.ops import math
        >>> ops = all_ops()
        >>> math.Exp in ops, math.MatMul in ops
        (True, True)
    """
    found, stack = [], list(Op.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("glassnet."):
            found.append(cls)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))
