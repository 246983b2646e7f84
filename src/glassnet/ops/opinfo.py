"""The shape of an op registry entry: sample calls, a PyTorch reference, bad inputs.

Modeled on PyTorch's OpInfo. ``glassnet/ops/samples.py`` gathers every entry; op modules
with many entries keep theirs beside them (``samples_conv.py``, ``samples_nn.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Sample:
    """One call: positional inputs (float arrays get gradients) and keyword arguments."""

    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass
class ErrorInput:
    """A bad call and the error it must raise (type and a regex on the message)."""

    args: tuple
    kwargs: dict
    error: type
    match: str


@dataclass
class OpInfo:
    op: type
    fn: Callable
    samples: Callable[[np.random.Generator], list]
    torch_fn: Callable | None = None
    errors: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.op.__name__
