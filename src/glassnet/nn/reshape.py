"""Layers that only change the shape of their input, or declare it (``InputLayer``).

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


class InputLayer(Module):
    """Keras's input layer: it declares the shape of one sample and passes its input through.

    As the first layer of a ``Sequential`` (what ``keras.Input(shape=(4,))`` makes in
    ``glassnet.keras``) it lets the layers after it build their weights at once, as
    ``input_shape=(4,)`` on the first layer does, and it checks every batch's shape.

    Args:
        shape: the shape of one sample, without the batch axis, e.g. ``(4,)`` or
            ``(28, 28, 1)``; a None entry accepts any length.
        name: the layer name (default "input_layer", "input_layer_1", ...).

    Shape:
        input (N, *shape); output the same.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> model = gn.Sequential([nn.InputLayer((4,), name="features"), nn.Dense(2)])
        >>> model[1].in_features
        4
        >>> model(gn.zeros(3, 5))
        Traceback (most recent call last):
        ...
        ValueError: InputLayer 'features': expected inputs of shape (N, 4), received (3, 5)
    """

    def __init__(self, shape, *, name: str | None = None):
        super().__init__()
        if not isinstance(shape, (tuple, list)) or not all(
                n is None or (isinstance(n, int) and n > 0) for n in shape):
            raise TypeError(f"InputLayer: shape must be a tuple of positive sizes (or None) such "
                            f"as (4,), received {shape!r}")
        self.shape = tuple(shape)
        self.name = name if name is not None else unique_name("input_layer")

    def forward(self, x):
        x = _as_input(x, None)
        sample = x.shape[1:]
        if len(sample) != len(self.shape) or any(
                n is not None and n != m for n, m in zip(self.shape, sample)):
            expected = ", ".join(["N", *("?" if n is None else str(n) for n in self.shape)])
            raise ValueError(f"InputLayer '{self.name}': expected inputs of shape ({expected}), "
                             f"received {x.shape}")
        return x

    def extra_repr(self) -> str:
        return f"shape={self.shape}"

    def get_config(self) -> dict:
        return {"shape": list(self.shape), "name": self.name}
