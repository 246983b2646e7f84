"""``torch.nn.functional`` spelt as PyTorch does: the functions of ``glassnet.functional``.

``import glassnet.nn.functional as F`` (PyTorch's line, with only ``torch`` changed) and
``import glassnet.functional as F`` give the same functions; their docstrings, with the
maths and an example each, are in ``glassnet/functional.py``.

Example:
    >>> import glassnet as gn
    >>> import glassnet.nn.functional as F
    >>> F.relu(gn.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    >>> F.cross_entropy is gn.functional.cross_entropy
    True
"""

from glassnet.functional import *  # noqa: F401, F403 - the re-export is the point
from glassnet.functional import __all__  # noqa: F401
