"""``torch.cuda`` for code that asks about a GPU: glassnet has none, it runs on the CPU.

So the tutorials' ``device = torch.device("cuda" if torch.cuda.is_available() else "cpu")``
picks the CPU, and seeding helpers that also seed CUDA run unchanged.

Example:
    >>> import glassnet as torch
    >>> torch.cuda.is_available(), torch.cuda.device_count()
    (False, 0)
    >>> torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device(type='cpu')
"""

__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all"]


def is_available() -> bool:
    """False: glassnet computes with NumPy on the CPU.

    Example:
        >>> is_available()
        False
    """
    return False


def device_count() -> int:
    """0: there are no GPUs for glassnet.

    Example:
        >>> device_count()
        0
    """
    return 0


def manual_seed(seed: int) -> None:
    """Does nothing (there is no GPU generator); seed glassnet with ``gn.manual_seed``.

    Example:
        >>> manual_seed(0)
    """


def manual_seed_all(seed: int) -> None:
    """Does nothing (there are no GPUs); seed glassnet with ``gn.manual_seed``.

    Example:
        >>> manual_seed_all(0)
    """
