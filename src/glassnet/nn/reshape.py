"""Layers that only change the shape of their input.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> nn.Flatten()(gn.zeros(2, 8, 8)).shape        # 8x8 images -> 64 features
    (2, 64)
"""

from __future__ import annotations

from glassnet.nn.module import Module, _as_input, unique_name


class Flatten(Module):
    """Merge the axes ``start_dim..end_dim`` into one (by default all but the batch axis).

    Args:
        start_dim: the first axis to merge (default 1: keep the batch axis).
        end_dim: the last axis to merge (default -1).
        name: the layer name.

    Shape:
        input (N, d1, d2, ...); output (N, d1 * d2 * ...).

    Example:
        >>> import glassnet as gn
        >>> Flatten()(gn.zeros(4, 3, 2)).shape, Flatten(0)(gn.zeros(4, 3, 2)).shape
        ((4, 6), (24,))
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1, *, name: str | None = None):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim
        self.name = name if name is not None else unique_name("flatten")

    def forward(self, x):
        x = _as_input(x, None)
        if x.ndim == 0 or not (-x.ndim <= self.start_dim < x.ndim
                               and -x.ndim <= self.end_dim < x.ndim):
            raise ValueError(f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim}): "
                             f"received an input of shape {x.shape} with too few axes")
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"

    def get_config(self) -> dict:
        return {"start_dim": self.start_dim, "end_dim": self.end_dim, "name": self.name}
