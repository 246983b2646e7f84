"""The safetensors reader and writer: round trips, strict checks on bad files, compatibility.

Bad files are crafted byte by byte: an 8-byte little-endian header length, a JSON header, then
the data buffer (see glassnet/io/safetensors.py for the layout).
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import pickle
import zipfile

import numpy as np
import pytest

from glassnet.exceptions import GlassnetError, ModelFileError
from glassnet.io import dumps, load_arrays, loads, save_arrays

# Every NumPy dtype safetensors can hold, with its safetensors name.
DTYPES = {
    "float64": "F64",
    "float32": "F32",
    "float16": "F16",
    "complex64": "C64",
    "int64": "I64",
    "int32": "I32",
    "int16": "I16",
    "int8": "I8",
    "uint64": "U64",
    "uint32": "U32",
    "uint16": "U16",
    "uint8": "U8",
    "bool": "BOOL",
}


def sample(dtype: str, shape=(2, 3)) -> np.ndarray:
    """Values that show byte-order or truncation mistakes: extremes, signs, NaN, inf."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape))
    if dtype.kind == "b":
        values = np.arange(size) % 3 == 0
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)
        values = np.resize(np.array([info.min, info.max, 0, 1, info.max - 1], dtype), size)
    elif dtype.kind == "c":
        values = np.resize(np.array([1.5 - 2j, -0.0 + np.inf * 1j, 3e38 + 0j], dtype), size)
    else:
        info = np.finfo(dtype)
        values = np.resize(np.array([info.max, -info.tiny, np.nan, -np.inf, -0.0, 1.25]), size)
    return np.asarray(values, dtype=dtype).reshape(shape)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Identical dtype, shape and bytes (so NaN == NaN and -0.0 != 0.0)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def craft(header, data: bytes = b"", header_size: int | None = None) -> bytes:
    """Build a file by hand: header (dict, str or bytes), data buffer, optional length lie."""
    if isinstance(header, dict):
        header = json.dumps(header)
    if isinstance(header, str):
        header = header.encode("utf-8")
    size = len(header) if header_size is None else header_size
    return size.to_bytes(8, "little") + header + data


def f32(name="a", shape=(2,), offsets=(0, 8)) -> dict:
    """A header entry for a float32 tensor."""
    return {name: {"dtype": "F32", "shape": list(shape), "data_offsets": list(offsets)}}


# ----------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("dtype", list(DTYPES))
def test_round_trip_every_dtype(tmp_path, dtype):
    arrays = {"x": sample(dtype), "scalar": sample(dtype, ()), "empty": sample(dtype, (0, 3))}
    path = tmp_path / "arrays.safetensors"
    save_arrays(path, arrays)
    loaded, metadata = load_arrays(path)
    assert metadata == {}
    assert sorted(loaded) == ["empty", "scalar", "x"]
    for name, array in arrays.items():
        assert same(loaded[name], array), name
    assert loaded["scalar"].shape == ()
    assert loaded["empty"].shape == (0, 3)
    header = json.loads(path.read_bytes()[8:].split(b"}}")[0] + b"}}")
    assert header["x"]["dtype"] == DTYPES[dtype]


def test_file_bytes_are_exactly_the_format():
    # header: {"W1":{...}} is 57 bytes, padded with 7 spaces to 64; data: 1.0 and -2.0 as <f4.
    data = dumps({"W1": np.array([[1.0], [-2.0]], dtype=np.float32)})
    header = b'{"W1":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}' + b" " * 7
    assert len(header) == 64
    assert data == (64).to_bytes(8, "little") + header + b"\x00\x00\x80?\x00\x00\x00\xc0"


def test_empty_dict_is_a_valid_file():
    data = dumps({})
    assert data == b"\x08\x00\x00\x00\x00\x00\x00\x00{}      "
    assert loads(data) == ({}, {})


def test_metadata_round_trip(tmp_path):
    metadata = {"format": "glassnet", "epoch": "12", "note": "é ü 你好 \n \"quoted\"", "": ""}
    path = tmp_path / "m.safetensors"
    save_arrays(path, {"b": np.zeros(2, np.float32)}, metadata)
    assert load_arrays(path)[1] == metadata


def test_empty_metadata_is_written_and_none_is_not():
    assert b'"__metadata__":{}' in dumps({}, metadata={})
    assert b"__metadata__" not in dumps({}, metadata=None)
    assert loads(dumps({}, metadata={})) == ({}, {})


def test_arrays_are_written_little_endian_and_c_ordered():
    native = np.arange(12, dtype=np.float32).reshape(3, 4)
    variants = {
        "big-endian": native.astype(">f4"),
        "fortran": np.asfortranarray(native),
        "transposed view": np.ascontiguousarray(native.T).T,
        "strided view": np.arange(24, dtype=np.float32).reshape(3, 8)[:, ::2] // 2,
    }
    expected = dumps({"x": native})
    for name, array in variants.items():
        assert np.array_equal(array, native), name
        assert dumps({"x": array}) == expected, name
    loaded = loads(dumps({"x": variants["big-endian"]}))[0]["x"]
    assert loaded.dtype == np.dtype("=f4")


def test_loaded_arrays_are_writable_copies(tmp_path):
    data = bytearray(dumps({"w": np.arange(4, dtype=np.int32)}))
    arrays, _ = loads(data)
    data[-4:] = b"\xff\xff\xff\xff"  # changing the source bytes afterwards changes nothing
    assert arrays["w"].tolist() == [0, 1, 2, 3]
    assert arrays["w"].flags.writeable and arrays["w"].flags.c_contiguous
    arrays["w"][0] = 10
    path = tmp_path / "w.safetensors"
    save_arrays(path, {"w": np.arange(4, dtype=np.int32)})
    first, _ = load_arrays(path)
    first["w"] += 1
    assert load_arrays(path)[0]["w"].tolist() == [0, 1, 2, 3]


def test_layout_is_aligned_and_sorted_like_the_reference():
    arrays = {
        "b8": np.zeros(3, np.int8),
        "a64": np.zeros(2, np.float64),
        "c32": np.zeros(1, np.float32),
        "a32": np.zeros(3, np.float32),
        "u64": np.zeros(1, np.uint64),
        "h": np.zeros(5, np.float16),
        "flag": np.zeros(2, bool),
    }
    data = dumps(arrays)
    header_size = int.from_bytes(data[:8], "little")
    assert header_size % 8 == 0
    header = json.loads(data[8 : 8 + header_size])
    # widest dtypes first (the reference's dtype order), then by name
    assert list(header) == ["u64", "a64", "a32", "c32", "h", "b8", "flag"]
    for name, entry in header.items():
        assert entry["data_offsets"][0] % arrays[name].itemsize == 0, name
    # loading gives the arrays back in the file's order
    assert list(loads(data)[0]) == list(header)


def test_file_objects_and_pathlib_paths(tmp_path):
    arrays = {"w": sample("float32")}
    buffer = io.BytesIO()
    save_arrays(buffer, arrays, {"k": "v"})
    assert buffer.getvalue() == dumps(arrays, {"k": "v"})
    buffer.seek(0)
    loaded, metadata = load_arrays(buffer)
    assert same(loaded["w"], arrays["w"]) and metadata == {"k": "v"}

    path = pathlib.Path(tmp_path) / "w.safetensors"
    with open(path, "wb") as file:
        save_arrays(file, arrays)
    with open(path, "rb") as file:
        assert same(load_arrays(file)[0]["w"], arrays["w"])
    assert same(load_arrays(str(path))[0]["w"], arrays["w"])


def test_reader_accepts_any_valid_layout():
    # Not padded, tensors listed out of offset order, an empty tensor sharing an offset,
    # unknown extra keys in an entry: all allowed by the format.
    header = {
        "second": {"dtype": "I16", "shape": [1], "data_offsets": [4, 6]},
        "empty": {"dtype": "F64", "shape": [0, 5], "data_offsets": [4, 4]},
        "first": {"dtype": "F32", "shape": [], "data_offsets": [0, 4], "comment": "ignored"},
    }
    text = json.dumps(header)
    assert len(text) % 8 != 0
    arrays, _ = loads(craft(text, np.float32(2.5).tobytes() + np.int16(-7).tobytes()))
    assert list(arrays) == ["second", "empty", "first"]
    assert arrays["first"].item() == 2.5 and arrays["first"].shape == ()
    assert arrays["second"].tolist() == [-7]
    assert arrays["empty"].shape == (0, 5) and arrays["empty"].dtype == np.float64


# ----------------------------------------------------------------------------------------------
# What save_arrays refuses (before writing anything)


@pytest.mark.parametrize(
    "arrays, metadata, error, message",
    [
        ([np.zeros(2)], None, TypeError, "arrays must be a dict of name -> numpy.ndarray, rece"),
        ({3: np.zeros(2)}, None, TypeError, "array names must be str, received 3"),
        ({"__metadata__": np.zeros(2)}, None, ValueError, "'__metadata__' is reserved"),
        ({"w": [1.0, 2.0]}, None, TypeError, "array 'w' must be a numpy.ndarray, received list"),
        ({"w": np.zeros(2, complex)}, None, TypeError, "array 'w' has dtype complex128, which"),
        ({"w": np.array(["a"])}, None, TypeError, "array 'w' has dtype <U1"),
        ({"w": np.array([{}])}, None, TypeError, "array 'w' has dtype object"),
        (
            {},
            {"epochs": 3},
            TypeError,
            r"metadata must map str -> str, received 'epochs': 3 \(int\)",
        ),
        ({}, {1: "a"}, TypeError, "metadata must map str -> str, received 1: 'a'"),
        ({}, [("a", "b")], TypeError, "metadata must be a dict of str -> str, received list"),
    ],
)
def test_save_refuses_what_safetensors_cannot_store(tmp_path, arrays, metadata, error, message):
    with pytest.raises(error, match=message):
        dumps(arrays, metadata)
    path = tmp_path / "never.safetensors"
    with pytest.raises(error, match="save_arrays: " + message):
        save_arrays(path, arrays, metadata)
    assert os.listdir(tmp_path) == []


def test_paths_must_be_paths():
    with pytest.raises(TypeError, match=r"expected a path .* received int"):
        load_arrays(3)  # open(3) would read file descriptor 3
    with pytest.raises(TypeError, match=r"received bytes; use loads\(\)/dumps\(\) for bytes"):
        load_arrays(dumps({}))
    with pytest.raises(TypeError, match="received int"):
        save_arrays(3, {})
    with pytest.raises(TypeError, match="loads: data must be bytes, received str"):
        loads("{}")


def test_text_mode_file_object_is_refused(tmp_path):
    path = tmp_path / "w.safetensors"
    save_arrays(path, {})
    with open(path, encoding="latin-1") as file:
        with pytest.raises(TypeError, match=r"open the file in binary mode \('rb'\)"):
            load_arrays(file)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_arrays(tmp_path / "nothing.safetensors")


# ----------------------------------------------------------------------------------------------
# Bad files: each one a ModelFileError that names the file and the reason

VALID = craft(f32(), np.array([1, 2], np.float32).tobytes())

# (id, file content, reason regex, whether the reference safetensors package also refuses it)
BAD_FILES = [
    ("empty file", b"", "it is 0 bytes long, shorter than the 8-byte header length", True),
    ("shorter than 8 bytes", b"\x10\x00\x00", "it is 3 bytes long", True),
    ("absurd header length", (2**62).to_bytes(8, "little") + b"{}", "more than the 100 MB", True),
    (
        "header length beyond the file",
        craft("{}", header_size=100),
        "header length is 100 bytes but only 2 bytes follow",
        True,
    ),
    ("truncated header", VALID[:30], r"header length is \d+ bytes but only 22 bytes follow", True),
    ("header not UTF-8", craft(b'{"\xff": 1}'), "the header is not valid UTF-8", True),
    ("header not JSON", craft('{"a": {"dtype": '), "the header is not valid JSON", True),
    ("header a JSON array", craft("[1, 2]"), r"not a JSON object: it starts with '\[1, 2\]'", True),
    ("header empty", craft(""), "not a JSON object: it starts with ''", True),
    (
        "NaN in the header",
        craft('{"a":{"dtype":"F32","shape":[NaN],"data_offsets":[0,4]}}', b"\x00" * 4),
        "NaN is not a JSON value",
        True,
    ),
    (
        "duplicate tensor name",
        craft('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},'
              '"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', b"\x00\x00"),
        "duplicate key 'a'",
        True,  # the reference keeps one entry; the other's bytes then break the offsets
    ),
    (
        "entry not an object",
        craft({"a": [1, 2]}),
        "tensor 'a' must be a JSON object, found array",
        True,
    ),
    (
        "entry without dtype",
        craft({"a": {"shape": [1], "data_offsets": [0, 4]}}, b"\x00" * 4),
        "tensor 'a' has no dtype",
        True,
    ),
    (
        "entry without shape",
        craft({"a": {"dtype": "F32", "data_offsets": [0, 4]}}, b"\x00" * 4),
        "tensor 'a' has no shape",
        True,
    ),
    (
        "entry without data_offsets",
        craft({"a": {"dtype": "F32", "shape": [1]}}, b"\x00" * 4),
        "tensor 'a' has no data_offsets",
        True,
    ),
    (
        "unknown dtype",
        craft({"a": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}, b"\x00" * 16),
        "tensor 'a' has unsupported dtype 'F128'; supported: BOOL, U8, I8",
        True,
    ),
    (
        "dtype not a string",
        craft({"a": {"dtype": ["F32"], "shape": [1], "data_offsets": [0, 4]}}, b"\x00" * 4),
        r"tensor 'a' has unsupported dtype \['F32'\]",
        True,
    ),
    (
        "negative dimension",
        craft({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, b"\x00" * 4),
        r"tensor 'a': shape must be a list of integers >= 0, found \[-1\]",
        True,
    ),
    (
        "float dimension",
        craft({"a": {"dtype": "F32", "shape": [1.0], "data_offsets": [0, 4]}}, b"\x00" * 4),
        r"shape must be a list of integers >= 0, found \[1.0\]",
        True,
    ),
    (
        "boolean dimension",
        craft({"a": {"dtype": "F32", "shape": [True], "data_offsets": [0, 4]}}, b"\x00" * 4),
        r"shape must be a list of integers >= 0, found \[True\]",
        True,
    ),
    (
        "shape not a list",
        craft({"a": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}}, b"\x00" * 4),
        "shape must be a list of integers >= 0, found 1",
        True,
    ),
    (
        "three data_offsets",
        craft({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}}, b"\x00" * 4),
        r"data_offsets must be \[begin, end\] integers >= 0, found \[0, 4, 8\]",
        True,
    ),
    (
        "negative data_offsets",
        craft({"a": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}),
        r"data_offsets must be \[begin, end\] integers >= 0, found \[-4, 0\]",
        True,
    ),
    (
        "offsets too short for the shape",
        craft(f32(shape=(3,), offsets=(0, 8)), b"\x00" * 8),
        r"tensor 'a' \(F32, shape \[3\]\) needs 12 bytes but its data_offsets \[0, 8\] span 8",
        True,
    ),
    (
        "end before begin",
        craft(f32(shape=(0,), offsets=(4, 0)), b"\x00" * 4),
        r"needs 0 bytes but its data_offsets \[4, 0\] span -4",
        True,
    ),
    (
        "truncated data",
        VALID[:-3],
        r"tensor 'a' ends at byte 8 of the data, but the file holds only 5 bytes of data "
        r"\(truncated\?\)",
        True,
    ),
    (
        "overlapping tensors",
        craft({**f32("a", (2,), (0, 8)), **f32("b", (2,), (4, 12))}, b"\x00" * 12),
        r"tensor 'b' \(data bytes 4 to 12\) overlaps the tensor before it, which ends at byte 8",
        True,
    ),
    (
        "hole between tensors",
        craft({**f32("a", (1,), (0, 4)), **f32("b", (1,), (8, 12))}, b"\x00" * 12),
        "data bytes 4 to 8 belong to no tensor \\(a hole before tensor 'b'\\)",
        True,
    ),
    (
        "hole at the start",
        craft(f32("a", (1,), (4, 8)), b"\x00" * 8),
        "data bytes 0 to 4 belong to no tensor",
        True,
    ),
    (
        "trailing garbage",
        VALID + b"junk",
        r"4 bytes of trailing data after the last tensor \(the tensors cover 8 of 12 bytes\)",
        True,
    ),
    (
        "metadata value a number",
        craft({"__metadata__": {"epochs": 3}}),
        "__metadata__ value of 'epochs' must be a string, found number 3",
        True,
    ),
    (
        "metadata value null",
        craft({"__metadata__": {"note": None}}),
        "__metadata__ value of 'note' must be a string, found null None",
        True,
    ),
    (
        "metadata not an object",
        craft({"__metadata__": ["a"]}),
        "__metadata__ must be a JSON object of strings, found array",
        True,
    ),
    (
        "BOOL byte that is not 0 or 1",
        craft({"m": {"dtype": "BOOL", "shape": [2], "data_offsets": [0, 2]}}, b"\x01\x07"),
        r"tensor 'm' \(BOOL\) holds bytes other than 0 and 1",
        False,  # the reference hands the byte over as it is
    ),
    (
        "more dimensions than NumPy allows",
        craft(f32("a", [1] * 70, (0, 4)), b"\x00" * 4),
        "tensor 'a': ",
        False,  # the reference parses it; NumPy's reshape then fails with its own error
    ),
]


@pytest.mark.parametrize(
    "content, reason", [case[1:3] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES]
)
def test_bad_file_raises_model_file_error_naming_file_and_reason(tmp_path, content, reason):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=f"^file '.*bad\\.safetensors' is not a valid "
                                             f"safetensors file: .*{reason}") as caught:
        load_arrays(path)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, GlassnetError)
    with pytest.raises(ModelFileError, match="^the data given to loads"):
        loads(content)


@pytest.mark.parametrize(
    "content", [case[1] for case in BAD_FILES if case[3]], ids=[c[0] for c in BAD_FILES if c[3]]
)
def test_bad_file_is_also_refused_by_the_reference_implementation(content):
    # Proof that the crafted bytes break the format itself, not just a glassnet rule.
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    with pytest.raises(Exception):  # noqa: B017 (the reference raises several types)
        safetensors_numpy.load(content)


def test_the_valid_file_behind_the_bad_ones_loads():
    arrays, metadata = loads(VALID)
    assert arrays["a"].tolist() == [1.0, 2.0] and metadata == {}


class _Boom:
    """Unpickling this would delete the canary file: a test that no pickle is ever loaded."""

    def __init__(self, canary):
        self.canary = canary

    def __reduce__(self):
        return (os.remove, (self.canary,))


def test_foreign_files_are_refused_and_never_unpickled(tmp_path):
    canary = tmp_path / "canary"
    canary.write_text("still here")
    pickled = pickle.dumps({"weights": _Boom(str(canary))})
    zipped = io.BytesIO()  # torch.save writes a zip holding a pickle
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("archive/data.pkl", pickled)
    foreign = {
        "pickle": pickled,
        "zip": zipped.getvalue(),
        "json": b'{"weights": [1, 2, 3]}',
        "csv": b"x,y\n1,2\n3,4\n",
    }
    for kind, content in foreign.items():
        path = tmp_path / f"model.{kind}"
        path.write_bytes(content)
        with pytest.raises(ModelFileError, match=f"file '.*model.{kind}' is not a valid"):
            load_arrays(path)
    assert canary.read_text() == "still here"


# ----------------------------------------------------------------------------------------------
# Compatibility with the reference implementation (the safetensors package), both ways


def every_dtype_arrays() -> dict[str, np.ndarray]:
    arrays = {f"layer.{name}": sample(name) for name in DTYPES}
    arrays["scalar"] = sample("float32", ())
    arrays["empty"] = sample("int64", (0,))
    arrays["empty.2d"] = sample("float16", (3, 0))
    arrays["名前 é"] = sample("uint8", (4,))
    return arrays


def test_our_files_load_with_the_reference(tmp_path):
    safetensors = pytest.importorskip("safetensors")
    from safetensors.numpy import load_file

    arrays = every_dtype_arrays()
    metadata = {"format": "np", "glassnet": "1", "note": "é"}
    path = tmp_path / "ours.safetensors"
    save_arrays(path, arrays, metadata)
    theirs = load_file(path)
    assert set(theirs) == set(arrays)
    for name, array in arrays.items():
        assert same(np.asarray(theirs[name], dtype=array.dtype.newbyteorder("=")), array), name
    with safetensors.safe_open(path, "np") as file:
        assert file.metadata() == metadata


def test_reference_files_load_with_ours(tmp_path):
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    arrays = every_dtype_arrays()
    metadata = {"framework": "np", "b": "2"}
    path = tmp_path / "theirs.safetensors"
    safetensors_numpy.save_file(arrays, path, metadata=metadata)
    loaded, loaded_metadata = load_arrays(path)
    assert loaded_metadata == metadata
    assert set(loaded) == set(arrays)
    for name, array in arrays.items():
        assert same(loaded[name], array), name


def test_bytes_identical_to_the_reference_writer():
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    arrays = every_dtype_arrays()
    # The reference orders metadata keys by hash, so compare with at most one key.
    for metadata in (None, {}, {"format": "np"}):
        assert dumps(arrays, metadata) == safetensors_numpy.save(arrays, metadata=metadata)
    assert dumps({}) == safetensors_numpy.save({})


def test_random_dicts_match_the_reference_both_ways():
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    dtypes = st.sampled_from(list(DTYPES))
    array_strategy = dtypes.flatmap(
        lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0))
    )
    names = st.text(max_size=12).filter(lambda name: name != "__metadata__")

    @hypothesis.settings(max_examples=25, deadline=None, database=None)
    @hypothesis.given(st.dictionaries(names, array_strategy, max_size=5))
    def check(arrays):
        data = dumps(arrays)
        assert data == safetensors_numpy.save(arrays)
        loaded, _ = loads(data)
        assert set(loaded) == set(arrays)
        for name, array in arrays.items():
            assert same(loaded[name], array)

    check()
