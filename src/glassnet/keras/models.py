"""``keras.models``: ``Sequential`` (glassnet's one Sequential class) and ``load_model``.

Example:
    >>> import glassnet as gn
    >>> from glassnet.keras.models import Sequential
    >>> Sequential is gn.Sequential
    True
"""

from glassnet.io.serialization import load as load_model
from glassnet.nn.container import Sequential

__all__ = ["Sequential", "load_model"]
