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
    """One call: positional inputs (float arrays get gradients) and keyword arguments.

    Example:
        >>> import numpy as np
        >>> Sample((np.ones((2, 3)),), {"axis": 1}).kwargs
        {'axis': 1}
    """

    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass
class ErrorInput:
    """A bad call and the error it must raise (type and a regex on the message).

    Example:
        >>> import numpy as np
        >>> bad = ErrorInput((np.ones((2, 3)), np.ones((2, 3))), {}, ValueError,
        ...                  "cannot be multiplied")
        >>> bad.error.__name__, bad.match
        ('ValueError', 'cannot be multiplied')
    """

    args: tuple
    kwargs: dict
    error: type
    match: str


@dataclass
class OpInfo:
    """The registry entry of one op: how to call it, on what, and what it must refuse.

    Attributes:
        op: the ``Op`` subclass under test.
        fn: the public function that runs it, ``fn(*sample.args, **sample.kwargs)``.
        samples: ``samples(rng) -> list[Sample]``: small float64 inputs (with a
            broadcast case); float arrays are differentiated, integer ones passed as is.
        torch_fn: ``torch_fn(torch, *args, **kwargs)``, the same maths in PyTorch, or None.
        errors: ``ErrorInput``s: bad calls with the exception and message they raise.

    Example:
        >>> import numpy as np
        >>> from glassnet import functional as F
        >>> from glassnet.ops import math
        >>> info = OpInfo(math.Exp, F.exp, lambda rng: [Sample((rng.normal(size=3),))],
        ...               torch_fn=lambda torch, x: torch.exp(x))
        >>> info.name, len(info.samples(np.random.default_rng(0)))
        ('Exp', 1)
    """

    op: type
    fn: Callable
    samples: Callable[[np.random.Generator], list]
    torch_fn: Callable | None = None
    errors: list = field(default_factory=list)

    @property
    def name(self) -> str:
        """The op class's name, e.g. 'MatMul'."""
        return self.op.__name__
