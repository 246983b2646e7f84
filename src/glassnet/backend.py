"""Dtype policy, randomness and the device: the settings every other module shares.

glassnet computes in float32 unless told otherwise (fast, and what the big frameworks
use), keeps float64 when asked (gradient checks need it), and never changes a dtype
behind your back. All randomness (initial weights, shuffling, dropout masks) comes from
a ``numpy.random.Generator``: pass your own, or seed the default one with ``seed``.
Everything runs on the CPU; ``device`` exists so PyTorch code that names one still runs.

Example:
    >>> import glassnet as gn
    >>> _ = gn.seed(0)
    >>> a = gn.backend.get_generator().random()
    >>> _ = gn.seed(0)
    >>> bool(a == gn.backend.get_generator().random())
    True
"""

from __future__ import annotations

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)

_DTYPE_NAMES = {
    "float32": float32,
    "float": float32,
    "single": float32,
    "float64": float64,
    "double": float64,
    "int64": int64,
    "long": int64,
    "int32": int32,
    "bool": bool_,
}

_default_dtype = float32
_generator = np.random.default_rng()


def as_dtype(dtype) -> np.dtype:
    """Turn ``gn.float32``, a NumPy dtype, a Python type or a name into a NumPy dtype.

    Args:
        dtype: ``None`` (the default dtype), ``gn.float32``/``gn.float64``, ``np.float64``,
            ``"float64"``, ``float`` (the default float dtype) or ``int``.

    Returns:
        numpy.dtype

    Example:
        >>> as_dtype("float64"), as_dtype(None), as_dtype(int)
        (dtype('float64'), dtype('float32'), dtype('int64'))
    """
    if dtype is None or dtype is float:
        return _default_dtype
    if dtype is int:
        return int64
    if dtype is bool:
        return bool_
    if isinstance(dtype, str) and dtype in _DTYPE_NAMES:
        return _DTYPE_NAMES[dtype]
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"Unknown dtype {dtype!r}; use gn.float32, gn.float64, a NumPy dtype or one of "
            f"{sorted(_DTYPE_NAMES)}"
        ) from None


def get_default_dtype() -> np.dtype:
    """The float dtype new tensors and parameters get (float32 unless changed).

    Example:
        >>> import glassnet as gn
        >>> get_default_dtype()
        dtype('float32')
        >>> gn.tensor([0.5]).dtype == get_default_dtype()
        True
    """
    return _default_dtype


def set_default_dtype(dtype) -> None:
    """Set the float dtype new tensors and parameters get: float32 or float64.

    Example:
        >>> set_default_dtype("float64"); get_default_dtype()
        dtype('float64')
        >>> set_default_dtype("float32")
    """
    global _default_dtype
    dtype = as_dtype(dtype)
    if dtype not in (float32, float64):
        raise ValueError(f"The default dtype must be float32 or float64, received {dtype}")
    _default_dtype = dtype


def seed(n: int) -> np.random.Generator:
    """Seed glassnet's default random generator and return it.

    Same seed, same data, same machine: bit-identical weights and results.

    Example:
        >>> import glassnet as gn
        >>> int(gn.seed(42).integers(100))
        8
    """
    global _generator
    _generator = np.random.default_rng(n)
    return _generator


def get_generator(rng=None) -> np.random.Generator:
    """Resolve a ``random_state``-style argument into a ``numpy.random.Generator``.

    Args:
        rng: ``None`` (glassnet's default generator, seeded by ``seed``), an int seed
            (a fresh generator seeded with it) or a ``numpy.random.Generator`` (used as is).

    Example:
        >>> bool(get_generator(0).integers(10) == get_generator(0).integers(10))
        True
    """
    if rng is None:
        return _generator
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    if isinstance(rng, np.random.RandomState):
        return np.random.default_rng(rng.randint(0, 2**31 - 1))
    raise TypeError(
        f"Expected None, an int seed or a numpy.random.Generator, received {type(rng).__name__}"
    )


# ----------------------------------------------------------------------------- device

#: the device types PyTorch code names. glassnet computes on the CPU only.
DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu")


class device:  # noqa: N801 - PyTorch's spelling, so ``torch.device("cpu")`` runs
    """Where tensors live, as PyTorch names it; glassnet has one device, the CPU.

    ``gn.device("cuda")`` can be created, so the tutorials' line ``device =
    torch.device("cuda" if torch.cuda.is_available() else "cpu")`` runs (and picks the CPU);
    moving a tensor or a module to a device other than the CPU raises an error.

    Args:
        type: "cpu", "cuda", "mps" or "xpu", optionally with an index ("cuda:0"), or
            another ``device``.
        index: the device number (PyTorch's second argument), or None.

    Attributes:
        type: the device type, e.g. "cpu".
        index: the device number or None.

    Example:
        >>> device("cpu"), device("cuda", 0), str(device("cuda:1"))
        (device(type='cpu'), device(type='cuda', index=0), 'cuda:1')
        >>> device("cpu") == "cpu"
        True
        >>> device("gpu")
        Traceback (most recent call last):
        ...
        ValueError: device: expected one of cpu, cuda, mps, xpu (...), received 'gpu'
    """

    def __init__(self, type, index: int | None = None):  # noqa: A002 - PyTorch's name
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu', received "
                            f"{type.__class__.__name__}")
        name, _, number = type.partition(":")
        if name not in DEVICE_TYPES or (number and not number.isdigit()):
            raise ValueError(f"device: expected one of {', '.join(DEVICE_TYPES)} (e.g. 'cpu' "
                             f"or 'cuda:0'), received {type!r}")
        self.type = name
        self.index = int(number) if number else index

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type={self.type!r}{index})"

    def __eq__(self, other) -> bool:
        if isinstance(other, str) and is_device(other):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def is_device(value) -> bool:
    """True for a ``device`` or a string naming one ("cpu", "cuda:0"), False otherwise.

    ``Tensor.to`` uses it to tell a device from a dtype.

    Example:
        >>> is_device("cpu"), is_device(device("cuda")), is_device("float32")
        (True, True, False)
    """
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in DEVICE_TYPES


def to_arguments(targets: tuple, dtype, device, where: str):
    """The dtype asked for by ``x.to(*targets, dtype=..., device=...)``, the device checked.

    PyTorch's ``to`` takes a device, a dtype or both, positionally or by keyword.

    Example:
        >>> to_arguments(("cpu", "float64"), None, None, "Tensor.to")
        'float64'
        >>> to_arguments(("cpu",), None, None, "Module.to") is None
        True
    """
    for target in targets:
        if is_device(target):
            device = target
        else:
            dtype = target
    check_device(device, where)
    return dtype


def check_device(value, where: str) -> None:
    """Accept None or the CPU; raise for any other device, saying glassnet runs on the CPU.

    Args:
        value: None, a ``device`` or a device string.
        where: who asks, for the message (e.g. "Tensor.to").

    Raises:
        RuntimeError: a device other than the CPU (e.g. "cuda").
        ValueError: a string that names no device.

    Example:
        >>> check_device("cpu", "Tensor.to")
        >>> check_device("cuda", "Tensor.to")
        Traceback (most recent call last):
        ...
        RuntimeError: Tensor.to: glassnet runs on the CPU only, received device 'cuda'; ...
    """
    if value is None:
        return
    resolved = device(value)
    if resolved.type != "cpu":
        raise RuntimeError(
            f"{where}: glassnet runs on the CPU only, received device {str(resolved)!r}; use "
            f"'cpu', e.g. device = gn.device('cuda' if gn.cuda.is_available() else 'cpu')"
        )
