"""Dropout: randomly silence units while training, so the network cannot rely on any one.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> drop = nn.Dropout(0.5, rng=0)
    >>> sorted(set(drop(gn.ones(100)).tolist()))     # zeros, and survivors times 1/(1-p)
    [0.0, 2.0]
    >>> drop.eval()(gn.ones(3))                      # evaluation: the identity
    tensor([1., 1., 1.])
"""

from __future__ import annotations

from numbers import Real

from glassnet import backend
from glassnet import functional as F
from glassnet.nn.module import Module, unique_name


class Dropout(Module):
    """Inverted dropout: in training, zero each value with probability p, scale the rest.

    ``y = x * mask / (1 - p)`` with ``mask ~ Bernoulli(1 - p)``; the scaling keeps the
    expected value of each unit the same as in evaluation, where dropout is the identity.

    Args:
        p: the probability of dropping a value, in [0, 1) (default 0.5).
        rng: a ``numpy.random.Generator`` or int seed for the masks (default: glassnet's
            generator, seeded by ``gn.seed``).
        rate: Keras's name for ``p`` (``nn.Dropout(rate=0.2)``).
        name: the layer name (default "dropout", "dropout_1", ...).

    Shape:
        any; output has the input's shape.

    Example:
        >>> import glassnet as gn
        >>> y = Dropout(0.2, rng=0)(gn.ones(10000))
        >>> round(float(y.data.mean()), 2)                  # the mean is kept
        1.0
    """

    def __init__(self, p: float = 0.5, rng=None, *, rate: float | None = None,
                 name: str | None = None):
        super().__init__()
        if rate is not None:
            p = rate
        if isinstance(p, bool) or not isinstance(p, Real):
            raise TypeError(f"Dropout: p must be a number in [0, 1), received {p!r}")
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: p must be in [0, 1), received p={p}")
        self.p = float(p)
        self._rng = None if rng is None else backend.get_generator(rng)
        self.name = name if name is not None else unique_name("dropout")

    @property
    def rate(self) -> float:
        """Keras's name for ``p``."""
        return self.p

    def forward(self, x):
        return F.dropout(x, self.p, self.training, self._rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"

    def get_config(self) -> dict:
        return {"p": self.p, "name": self.name}
