"""The safetensors format, read and written with NumPy alone.

safetensors (https://github.com/huggingface/safetensors) stores named arrays and a few strings
of metadata, and nothing else: no pickle, no code, so loading a file can never run anything.
A file is three parts::

    8 bytes   N, the length of the header: an unsigned 64-bit little-endian integer
    N bytes   the header: UTF-8 JSON, padded with spaces to a multiple of 8 bytes
              {"__metadata__": {"format": "np"},
               "dense.W": {"dtype": "F32", "shape": [4, 2], "data_offsets": [0, 32]},
               "dense.b": {"dtype": "F32", "shape": [2], "data_offsets": [32, 40]}}
    the rest  the data buffer: each array's bytes in C order, little-endian, at
              [begin, end) counted from the start of the buffer

The tensors must cover the data buffer exactly: no byte before, between or after them.
glassnet writes files byte for byte as the reference ``safetensors`` package does, and checks
every rule above when reading, so a truncated, corrupted or foreign file raises a
``ModelFileError`` that names the file and says what is wrong.

dtypes: BOOL, U8, I8, I16, U16, F16, I32, U32, F32, C64, F64, I64, U64. BF16 and the 8-bit
float types are not supported, as NumPy has no such dtypes.

Example:
    >>> import numpy as np
    >>> from glassnet.io.safetensors import dumps, loads
    >>> data = dumps({"b": np.array([0.5, -1.0], dtype=np.float32)}, metadata={"epoch": "3"})
    >>> int.from_bytes(data[:8], "little")
    88
    >>> data[8 : 8 + 88]
    b'{"__metadata__":{"epoch":"3"},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}    '
    >>> data[8 + 88 :]
    b'\\x00\\x00\\x00?\\x00\\x00\\x80\\xbf'
    >>> loads(data)
    ({'b': array([ 0.5, -1. ], dtype=float32)}, {'epoch': '3'})
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from typing import IO, NamedTuple

import numpy as np

from glassnet.exceptions import ModelFileError
from glassnet.io.atomic import atomic_write

__all__ = ["save_arrays", "load_arrays", "dumps", "loads"]

# safetensors dtype name -> little-endian NumPy dtype, in the order of the reference
# implementation's Dtype enum (increasing alignment). The writer lays the tensors out in the
# reverse of this order, then by name, as the reference does: every tensor then starts at a
# multiple of its item size, and our files are byte-identical to the reference writer's.
_DTYPES = {
    "BOOL": np.dtype("?"),
    "U8": np.dtype("u1"),
    "I8": np.dtype("i1"),
    "I16": np.dtype("<i2"),
    "U16": np.dtype("<u2"),
    "F16": np.dtype("<f2"),
    "I32": np.dtype("<i4"),
    "U32": np.dtype("<u4"),
    "F32": np.dtype("<f4"),
    "C64": np.dtype("<c8"),
    "F64": np.dtype("<f8"),
    "I64": np.dtype("<i8"),
    "U64": np.dtype("<u8"),
}
_ALIGNMENT_RANK = {name: rank for rank, name in enumerate(_DTYPES)}
# (kind, itemsize) -> safetensors name; independent of byte order and of C type aliases.
_NAME_OF = {(dtype.kind, dtype.itemsize): name for name, dtype in _DTYPES.items()}

_METADATA_KEY = "__metadata__"
_MAX_HEADER_SIZE = 100_000_000  # bytes; the reference implementation's limit
_ENTRY_KEYS = ("dtype", "shape", "data_offsets")


class _Entry(NamedTuple):
    """One tensor as the header describes it."""

    name: str
    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int


# ----------------------------------------------------------------------------------------------
# Writing


def save_arrays(
    path_or_file: str | os.PathLike | IO[bytes],
    arrays: Mapping[str, np.ndarray],
    metadata: Mapping[str, str] | None = None,
) -> None:
    """Save named NumPy arrays (and string metadata) to a safetensors file.

    A path is written atomically (``atomic_write``): the previous file stays intact if the
    save fails half-way. A binary file object is written as it is, from its current position.
    Arrays are stored C-contiguous and little-endian; everything is checked before the first
    byte is written.

    Args:
        path_or_file: a path (``str`` or ``os.PathLike``) or a file object opened with ``"wb"``.
        arrays: name -> ``numpy.ndarray`` of a supported dtype (bool, int8-64, uint8-64,
            float16/32/64, complex64), any shape including 0-d and empty.
        metadata: optional name -> text. Values must be ``str``: encode numbers yourself.

    Raises:
        TypeError: a name, array, dtype or metadata value that safetensors cannot store.
        ValueError: a tensor named ``"__metadata__"`` (the name is reserved).
        FileNotFoundError: the directory of the path does not exist (nothing is written).

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "weights.safetensors")
        ...     save_arrays(path, {"W": np.ones((2, 3), dtype=np.float32)}, {"layer": "dense"})
        ...     print(os.path.getsize(path))
        128
    """
    header, tensors = _encode(arrays, metadata, "save_arrays")
    if hasattr(path_or_file, "write"):
        _write(path_or_file, header, tensors)
        return
    _check_path(path_or_file, "save_arrays")
    with atomic_write(path_or_file, "wb") as file:
        _write(file, header, tensors)


def dumps(arrays: Mapping[str, np.ndarray], metadata: Mapping[str, str] | None = None) -> bytes:
    """Encode named NumPy arrays (and string metadata) as safetensors bytes.

    Args:
        arrays: name -> ``numpy.ndarray``, as for ``save_arrays``.
        metadata: optional name -> text.

    Returns:
        bytes: the content of a safetensors file.

    Example:
        >>> import numpy as np
        >>> data = dumps({"step": np.array(7, dtype=np.int64)})
        >>> len(data), data[-8:]
        (72, b'\\x07\\x00\\x00\\x00\\x00\\x00\\x00\\x00')
    """
    header, tensors = _encode(arrays, metadata, "dumps")
    pieces = [len(header).to_bytes(8, "little"), header]
    pieces += [tensor.tobytes() for tensor in tensors]
    return b"".join(pieces)


def _write(file: IO[bytes], header: bytes, tensors: list[np.ndarray]) -> None:
    """Write the header length, the header, then every tensor's bytes in layout order."""
    file.write(len(header).to_bytes(8, "little"))
    file.write(header)
    for tensor in tensors:
        file.write(tensor.tobytes())  # tobytes() gives C order whatever the memory layout


def _encode(
    arrays: Mapping[str, np.ndarray], metadata: Mapping[str, str] | None, where: str
) -> tuple[bytes, list[np.ndarray]]:
    """Check arrays and metadata; return the padded JSON header and the arrays in layout order."""
    entries = _prepare_arrays(arrays, where)
    header = {}
    if metadata is not None:
        header[_METADATA_KEY] = _prepare_metadata(metadata, where)
    offset = 0
    for name, dtype_name, array in entries:
        header[name] = {
            "dtype": dtype_name,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + array.nbytes],
        }
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)  # pad with spaces so the data starts 8-byte aligned
    return text, [array for _, _, array in entries]


def _prepare_arrays(
    arrays: Mapping[str, np.ndarray], where: str
) -> list[tuple[str, str, np.ndarray]]:
    """Return (name, safetensors dtype, little-endian array) sorted as the data is laid out."""
    if not isinstance(arrays, Mapping):
        raise TypeError(
            f"{where}: arrays must be a dict of name -> numpy.ndarray, "
            f"received {type(arrays).__name__}"
        )
    entries = []
    for name, array in arrays.items():
        if not isinstance(name, str):
            raise TypeError(f"{where}: array names must be str, received {name!r}")
        if name == _METADATA_KEY:
            raise ValueError(f"{where}: {_METADATA_KEY!r} is reserved and cannot name an array")
        if not isinstance(array, np.ndarray):
            raise TypeError(
                f"{where}: array {name!r} must be a numpy.ndarray, received {type(array).__name__}"
            )
        dtype_name = _NAME_OF.get((array.dtype.kind, array.dtype.itemsize))
        if dtype_name is None:
            raise TypeError(
                f"{where}: array {name!r} has dtype {array.dtype}, which safetensors cannot "
                f"store; supported: {_supported_numpy_dtypes()}"
            )
        entries.append((name, dtype_name, np.asarray(array, dtype=_DTYPES[dtype_name])))
    entries.sort(key=lambda entry: (-_ALIGNMENT_RANK[entry[1]], entry[0]))
    return entries


def _prepare_metadata(metadata: Mapping[str, str], where: str) -> dict[str, str]:
    """Check that the metadata maps str to str; return it as a plain dict."""
    if not isinstance(metadata, Mapping):
        raise TypeError(
            f"{where}: metadata must be a dict of str -> str, received {type(metadata).__name__}"
        )
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(
                f"{where}: metadata must map str -> str, received {key!r}: {value!r} "
                f"({type(value).__name__}); convert values with str() or json.dumps()"
            )
    return dict(metadata)


def _supported_numpy_dtypes() -> str:
    return ", ".join(str(dtype.newbyteorder("=")) for dtype in _DTYPES.values())


# ----------------------------------------------------------------------------------------------
# Reading


def load_arrays(
    path_or_file: str | os.PathLike | IO[bytes],
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Load the arrays and metadata of a safetensors file, checking every rule of the format.

    Nothing in the file is executed or unpickled. The arrays are fresh, writable NumPy arrays
    in native byte order (not views of the file). They come back in the order of the file's
    header; look them up by name.

    Args:
        path_or_file: a path (``str`` or ``os.PathLike``) or a file object opened with ``"rb"``
            (read from its current position to the end).

    Returns:
        (arrays, metadata): name -> ``numpy.ndarray`` and name -> ``str`` (empty when the file
        has no metadata).

    Raises:
        ModelFileError: the file is not a valid safetensors file (too short, truncated, header
            not UTF-8 JSON, missing or inconsistent fields, unsupported dtype, holes,
            overlaps, trailing bytes, non-string metadata). The message names the file and
            the reason.
        FileNotFoundError: there is no such file.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "weights.safetensors")
        ...     save_arrays(path, {"W": np.eye(2, dtype=np.float32)}, {"layer": "dense"})
        ...     arrays, metadata = load_arrays(path)
        >>> arrays["W"], metadata
        (array([[1., 0.],
               [0., 1.]], dtype=float32), {'layer': 'dense'})
    """
    if hasattr(path_or_file, "read"):
        data = path_or_file.read()
        name = getattr(path_or_file, "name", None)
        source = f"file {name!r}" if isinstance(name, str) else "the file object"
        if not isinstance(data, bytes):
            raise TypeError(
                "load_arrays: open the file in binary mode ('rb'); "
                f"read() returned {type(data).__name__}"
            )
    else:
        _check_path(path_or_file, "load_arrays")
        with open(path_or_file, "rb") as file:
            data = file.read()
        source = f"file {os.fspath(path_or_file)!r}"
    return _decode(data, source)


def loads(data: bytes | bytearray | memoryview) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Decode safetensors bytes into (arrays, metadata), checking every rule of the format.

    Args:
        data: the whole content of a safetensors file.

    Returns:
        (arrays, metadata), as for ``load_arrays``.

    Raises:
        ModelFileError: the bytes are not a valid safetensors file.

    Example:
        >>> import numpy as np
        >>> arrays, metadata = loads(dumps({"mask": np.array([True, False])}))
        >>> arrays, metadata
        ({'mask': array([ True, False])}, {})
        >>> from glassnet.exceptions import ModelFileError
        >>> try:
        ...     loads(b"PK\\x03\\x04")
        ... except ModelFileError as error:
        ...     print(error)
        the data given to loads() is not a valid safetensors file:
        it is 4 bytes long, shorter than the 8-byte header length
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"loads: data must be bytes, received {type(data).__name__}")
    return _decode(bytes(data), "the data given to loads()")


def _decode(data: bytes, source: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Parse and check header and layout, then copy every tensor out of ``data``."""
    header, data_start = _read_header(data, source)
    metadata = _check_metadata(header.pop(_METADATA_KEY, None), source)
    entries = [_check_entry(name, entry, source) for name, entry in header.items()]
    _check_layout(entries, len(data) - data_start, source)
    arrays = {entry.name: _read_tensor(data, data_start, entry, source) for entry in entries}
    return arrays, metadata


def _read_header(data: bytes, source: str) -> tuple[dict, int]:
    """Return the JSON header as a dict, and where the data buffer starts."""
    if len(data) < 8:
        raise _bad_file(
            source, f"it is {len(data)} bytes long, shorter than the 8-byte header length"
        )
    header_size = int.from_bytes(data[:8], "little")
    if header_size > _MAX_HEADER_SIZE:
        raise _bad_file(
            source,
            f"the header length is {header_size} bytes, more than the 100 MB any real file "
            "needs (a file of another format, or corrupted)",
        )
    if 8 + header_size > len(data):
        raise _bad_file(
            source,
            f"the header length is {header_size} bytes but only {len(data) - 8} bytes follow "
            "(truncated, or a file of another format)",
        )
    try:
        text = data[8 : 8 + header_size].decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad_file(source, f"the header is not valid UTF-8 ({error})") from None
    if not text.startswith("{"):
        raise _bad_file(source, f"the header is not a JSON object: it starts with {text[:20]!r}")
    try:
        header = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_nan)
    except ValueError as error:
        raise _bad_file(source, f"the header is not valid JSON ({error})") from None
    return header, 8 + header_size


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object hook that refuses a key given twice (json keeps the last one silently)."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_nan(constant: str) -> None:
    """Refuse NaN, Infinity and -Infinity, which are not JSON."""
    raise ValueError(f"{constant} is not a JSON value")


def _check_metadata(metadata: object, source: str) -> dict[str, str]:
    """Return the ``__metadata__`` object (or ``{}``) after checking that every value is text."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise _bad_file(
            source,
            f"{_METADATA_KEY} must be a JSON object of strings, found {_json_type(metadata)}",
        )
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise _bad_file(
                source,
                f"{_METADATA_KEY} value of {key!r} must be a string, "
                f"found {_json_type(value)} {value!r}",
            )
    return metadata


def _check_entry(name: str, entry: object, source: str) -> _Entry:
    """Check one tensor's dtype, shape and data_offsets, and that they agree with each other."""
    where = f"tensor {name!r}"
    if not isinstance(entry, dict):
        raise _bad_file(source, f"{where} must be a JSON object, found {_json_type(entry)}")
    missing = [key for key in _ENTRY_KEYS if key not in entry]
    if missing:
        raise _bad_file(source, f"{where} has no {', '.join(missing)}")
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if not isinstance(dtype, str) or dtype not in _DTYPES:
        raise _bad_file(
            source, f"{where} has unsupported dtype {dtype!r}; supported: {', '.join(_DTYPES)}"
        )
    if not isinstance(shape, list) or not all(_is_count(size) for size in shape):
        raise _bad_file(source, f"{where}: shape must be a list of integers >= 0, found {shape!r}")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_count, offsets))):
        raise _bad_file(
            source, f"{where}: data_offsets must be [begin, end] integers >= 0, found {offsets!r}"
        )
    begin, end = offsets
    expected = math.prod(shape) * _DTYPES[dtype].itemsize
    if end - begin != expected:
        raise _bad_file(
            source,
            f"{where} ({dtype}, shape {shape}) needs {expected} bytes but its "
            f"data_offsets {offsets} span {end - begin}",
        )
    return _Entry(name, dtype, tuple(shape), begin, end)


def _check_layout(entries: list[_Entry], buffer_size: int, source: str) -> None:
    """Check that the tensors tile the data buffer: inside it, no overlap, no hole, no excess."""
    position = 0  # where the next tensor must begin
    for entry in sorted(entries, key=lambda entry: (entry.begin, entry.end)):
        if entry.end > buffer_size:
            raise _bad_file(
                source,
                f"tensor {entry.name!r} ends at byte {entry.end} of the data, but the file "
                f"holds only {buffer_size} bytes of data (truncated?)",
            )
        if entry.begin < position:
            raise _bad_file(
                source,
                f"tensor {entry.name!r} (data bytes {entry.begin} to {entry.end}) overlaps "
                f"the tensor before it, which ends at byte {position}",
            )
        if entry.begin > position:
            raise _bad_file(
                source,
                f"data bytes {position} to {entry.begin} belong to no tensor "
                f"(a hole before tensor {entry.name!r})",
            )
        position = entry.end
    if position < buffer_size:
        raise _bad_file(
            source,
            f"{buffer_size - position} bytes of trailing data after the last tensor "
            f"(the tensors cover {position} of {buffer_size} bytes)",
        )


def _read_tensor(data: bytes, data_start: int, entry: _Entry, source: str) -> np.ndarray:
    """Copy one tensor out of the file bytes into a writable array in native byte order."""
    dtype = _DTYPES[entry.dtype]
    count = math.prod(entry.shape)
    flat = np.frombuffer(data, dtype=dtype, count=count, offset=data_start + entry.begin)
    if entry.dtype == "BOOL" and np.any(flat.view(np.uint8) > 1):
        raise _bad_file(source, f"tensor {entry.name!r} (BOOL) holds bytes other than 0 and 1")
    try:
        return flat.reshape(entry.shape).astype(dtype.newbyteorder("="))  # astype copies
    except (ValueError, OverflowError) as error:  # e.g. more dimensions than NumPy allows
        raise _bad_file(source, f"tensor {entry.name!r}: {error}") from None


# ----------------------------------------------------------------------------------------------
# Helpers


def _check_path(path: object, where: str) -> None:
    """Refuse what ``open`` would misread: file descriptors (int) and bytes."""
    if not isinstance(path, (str, os.PathLike)):
        hint = "; use loads()/dumps() for bytes" if isinstance(path, (bytes, bytearray)) else ""
        raise TypeError(
            f"{where}: expected a path (str or os.PathLike) or a binary file object, "
            f"received {type(path).__name__}{hint}"
        )


def _is_count(value: object) -> bool:
    """True for a JSON integer >= 0 (bool is an int in Python, but not here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _bad_file(source: str, reason: str) -> ModelFileError:
    return ModelFileError(f"{source} is not a valid safetensors file: {reason}")
