"""read_csv and load_mnist_idx on files the tests write; every bad-file error and its message."""

import gzip
import re
import struct

import numpy as np
import pytest

from glassnet.data import CSVData, DataError, check_finite, load_mnist_idx, read_csv
from glassnet.exceptions import GlassnetError


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def where(path, row=None, column=None):
    """The regex for the start of an error message: file, row, column."""
    pattern = re.escape(str(path))
    if row is not None:
        pattern += rf", row {row}"
    if column is not None:
        pattern += rf", column '{column}'"
    return pattern


# -------------------------------------------------------------------------- read_csv: good


def test_csv_round_trip_is_exact_in_float64(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3)) * 1e3
    y = rng.integers(0, 4, size=20)
    lines = ["a,b,c,label"]
    lines += [",".join(repr(float(v)) for v in row) + f",{t}" for row, t in zip(X, y, strict=True)]
    path = write(tmp_path / "data.csv", "\n".join(lines) + "\n")

    data = read_csv(path, target="label", dtype=np.float64)
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.y, y)
    assert data.X.dtype == np.float64 and data.y.dtype == np.int64
    assert data.feature_names == ["a", "b", "c"] and data.target_name == "label"
    assert data.classes_ is None and data.path == str(path)


def test_csv_defaults_to_float32_features(tmp_path):
    path = write(tmp_path / "data.csv", "x,y\n0.5,1\n1.5,0\n")
    X, y = read_csv(path, target="y")
    assert X.dtype == np.float32 and X.tolist() == [[0.5], [1.5]]
    assert y.dtype == np.int64 and y.tolist() == [1, 0]


def test_csv_text_labels_are_encoded_in_sorted_order(tmp_path):
    path = write(
        tmp_path / "pets.csv",
        "weight,pet,height\n4,dog,30\n5,cat,25\n30,dog,60\n3,bird,10\n6,cat,28\n",
    )
    data = read_csv(path, target="pet")
    assert data.classes_.tolist() == ["bird", "cat", "dog"]
    assert data.y.tolist() == [2, 1, 2, 0, 1] and data.y.dtype == np.int64
    assert data.classes_[data.y].tolist() == ["dog", "cat", "dog", "bird", "cat"]
    # the target column is removed from wherever it stands; the others keep their order
    assert data.feature_names == ["weight", "height"]
    assert data.X.tolist() == [[4, 30], [5, 25], [30, 60], [3, 10], [6, 28]]


def test_csv_text_labels_match_sklearns_label_encoder(tmp_path):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    labels = ["b", "a", "B", "c", "a", "10", "9"]
    body = "".join(f"{i},{label}\n" for i, label in enumerate(labels))
    data = read_csv(write(tmp_path / "d.csv", "x,t\n" + body), target="t")
    encoder = preprocessing.LabelEncoder().fit(labels)
    assert data.classes_.tolist() == encoder.classes_.tolist()
    assert data.y.tolist() == encoder.transform(labels).tolist()


def test_csv_float_target_stays_float(tmp_path):
    path = write(tmp_path / "prices.csv", "size,price\n50,1.5\n70,2.25\n90,3.0\n")
    data = read_csv(path, target="price")
    assert data.y.dtype == np.float32 and data.y.tolist() == [1.5, 2.25, 3.0]
    assert data.classes_ is None


def test_csv_without_target_reads_every_column(tmp_path):
    path = write(tmp_path / "x.csv", "a,b\n1,2\n3,4\n")
    data = read_csv(path)
    assert data.X.tolist() == [[1, 2], [3, 4]] and data.y is None
    assert data.feature_names == ["a", "b"] and data.target_name is None
    assert repr(data) == f"CSVData({str(path)!r}: X (2, 2) float32)"


def test_csv_delimiter_quotes_spaces_blank_lines_and_bom(tmp_path):
    text = '\ufeff "a" ; b ;label\n\n 1 ; 2.5 ;"yes"\n\n3;4;" no"\n'
    path = write(tmp_path / "semi.csv", text)
    data = read_csv(path, target="label", delimiter=";")
    assert data.feature_names == ["a", "b"]
    assert data.X.tolist() == [[1.0, 2.5], [3.0, 4.0]]
    assert data.classes_.tolist() == ["no", "yes"] and data.y.tolist() == [1, 0]


def test_csv_gzip_file(tmp_path):
    path = tmp_path / "data.csv.gz"
    with gzip.open(path, "wt") as file:
        file.write("a,label\n1,x\n2,y\n")
    data = read_csv(path, target="label")
    assert data.X.tolist() == [[1.0], [2.0]] and data.classes_.tolist() == ["x", "y"]


def test_csv_unpacks_and_reprs(tmp_path):
    path = write(tmp_path / "d.csv", "a,t\n1,u\n2,v\n")
    data = read_csv(path, target="t")
    X, y = data
    assert X is data.X and y is data.y
    assert isinstance(data, CSVData)
    expected = f"CSVData({str(path)!r}: X (2, 1) float32, target 't' with classes ['u', 'v'])"
    assert repr(data) == expected


# --------------------------------------------------------------------------- read_csv: bad


def test_csv_non_numeric_value_names_file_row_and_column(tmp_path):
    # line 1 header, line 2 data, line 3 blank, line 4 data, line 5 the bad row
    path = write(tmp_path / "data.csv", "name_id,age,label\n1,30,a\n\n2,31,b\n3,abc,a\n")
    message = where(path, 5, "age") + ": could not read 'abc' as a number"
    with pytest.raises(DataError, match=message):
        read_csv(path, target="label")


def test_csv_error_is_a_value_error_and_a_glassnet_error(tmp_path):
    path = write(tmp_path / "data.csv", "a\nx\n")
    with pytest.raises(ValueError) as caught:
        read_csv(path)
    assert isinstance(caught.value, GlassnetError)
    assert str(caught.value) == f"{path}, row 2, column 'a': could not read 'x' as a number"


def test_csv_row_number_counts_multiline_quoted_fields(tmp_path):
    # line 1 header; lines 2-3 one record (a quoted field with a newline); line 4;
    # lines 5-6 another two-line record; line 7 the bad value
    path = write(tmp_path / "q.csv", 'x,note\n1,"two\nlines"\n2,ok\n3,"a\nb"\nbad,z\n')
    with pytest.raises(DataError, match=where(path, 7, "x") + ": could not read 'bad'"):
        read_csv(path, target="note")
    # a bad multi-line value is reported at the line where its record starts
    message = where(path, 2, "note") + ": could not read " + re.escape(repr("two\nlines"))
    with pytest.raises(DataError, match=message):
        read_csv(path)


def test_csv_missing_value(tmp_path):
    path = write(tmp_path / "data.csv", "a,b,t\n1,2,x\n3,,y\n")
    with pytest.raises(DataError, match=where(path, 3, "b") + r": missing value \(empty field\)"):
        read_csv(path, target="t")


def test_csv_missing_target_value(tmp_path):
    path = write(tmp_path / "data.csv", "a,t\n1,x\n2,\n")
    with pytest.raises(DataError, match=where(path, 3, "t") + ": missing target value"):
        read_csv(path, target="t")


def test_csv_missing_target_column_lists_the_columns(tmp_path):
    path = write(tmp_path / "data.csv", "age,height,label\n1,2,3\n")
    message = where(path) + r": no column named 'target' .*columns are 'age', 'height', 'label'"
    with pytest.raises(DataError, match=message):
        read_csv(path, target="target")


@pytest.mark.parametrize("row, got", [("1,2", 2), ("1,2,3,4", 4)])
def test_csv_ragged_row(tmp_path, row, got):
    path = write(tmp_path / "data.csv", f"a,b,c\n1,2,3\n{row}\n7,8,9\n")
    message = where(path, 3) + rf": expected 3 fields \(as in the header\), got {got}"
    with pytest.raises(DataError, match=message):
        read_csv(path)


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_csv_empty_file(tmp_path, text):
    path = write(tmp_path / "empty.csv", text)
    with pytest.raises(DataError, match=where(path) + " is empty: expected a header row"):
        read_csv(path)


def test_csv_header_without_data_rows(tmp_path):
    path = write(tmp_path / "header.csv", "a,b,label\n\n")
    with pytest.raises(DataError, match=where(path) + " has a header row but no data rows"):
        read_csv(path, target="label")


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity"])
def test_csv_nan_and_infinity_are_refused(tmp_path, value):
    path = write(tmp_path / "data.csv", f"a,b\n1,2\n3,{value}\n")
    message = where(path, 3, "b") + rf": '{value}' is not a finite number"
    with pytest.raises(DataError, match=message):
        read_csv(path)


def test_csv_nan_target_is_refused(tmp_path):
    path = write(tmp_path / "data.csv", "a,t\n1,0.5\n2,nan\n")
    with pytest.raises(DataError, match=where(path, 3, "t") + ": 'nan' is not a finite number"):
        read_csv(path, target="t")


def test_csv_target_too_large_for_float32(tmp_path):
    path = write(tmp_path / "data.csv", "a,t\n1,0.5\n2,-3e38\n3,-4e38\n")
    with pytest.raises(DataError, match=where(path, 4, "t") + ": '-4e38' is too large for float32"):
        read_csv(path, target="t")


def test_csv_value_too_large_for_float32(tmp_path):
    path = write(tmp_path / "data.csv", "a\n1e39\n")
    with pytest.raises(DataError, match=where(path, 2, "a") + ": '1e39' is too large for float32"):
        read_csv(path)
    assert read_csv(path, dtype=np.float64).X.tolist() == [[1e39]]


def test_csv_duplicate_column_names(tmp_path):
    path = write(tmp_path / "data.csv", "a,b,a\n1,2,3\n")
    with pytest.raises(DataError, match=where(path, 1) + r": duplicate column names \['a'\]"):
        read_csv(path)


def test_csv_target_as_only_column(tmp_path):
    path = write(tmp_path / "data.csv", "label\nx\n")
    with pytest.raises(DataError, match=where(path) + ": the target 'label' is the only column"):
        read_csv(path, target="label")


def test_csv_not_utf8(tmp_path):
    path = write(tmp_path / "latin.csv", "name,x\nJos\u00e9,1\n", encoding="latin-1")
    with pytest.raises(DataError, match=where(path) + ": not a UTF-8 text file"):
        read_csv(path)


def test_csv_argument_errors(tmp_path):
    path = write(tmp_path / "data.csv", "a,b\n1,2\n")
    with pytest.raises(TypeError, match=r"read_csv: target must be a column name \(str\), .* 1"):
        read_csv(path, target=1)
    with pytest.raises(TypeError, match=r"read_csv: dtype must be a float type"):
        read_csv(path, dtype="int64")
    with pytest.raises(FileNotFoundError):
        read_csv(tmp_path / "missing.csv")


# -------------------------------------------------------------------------- check_finite


def test_check_finite_names_the_first_bad_entry():
    X = np.zeros((4, 3))
    X[2, 1] = np.inf
    X[3, 0] = np.nan
    with pytest.raises(DataError, match=r"^X: found infinity at row 2, column 1 \(rows count"):
        check_finite(X, "X")
    with pytest.raises(DataError, match=r"found infinity at row 2, column 'b'"):
        check_finite(X, "X", feature_names=["a", "b", "c"])
    with pytest.raises(DataError, match=r"^y: found NaN at row 1 \("):
        check_finite(np.array([0.0, np.nan]), "y")
    check_finite(np.ones((2, 2)), "X")  # finite: no error
    check_finite(np.array([1, 2]), "y")  # integers cannot hold NaN


def test_check_finite_passes_finite_values_whose_sum_overflows():
    # the quick test sums the array (a NaN or inf anywhere makes the sum one); finite float32
    # values near the top of the range overflow that sum, and then every entry is looked at
    big = np.full((3, 2), np.finfo(np.float32).max, dtype=np.float32)
    check_finite(big, "X")
    big[1, 1] = -np.inf
    with pytest.raises(DataError, match=r"found infinity at row 1, column 1"):
        check_finite(big, "X")
    mixed = np.array([np.inf, -np.inf], dtype=np.float32)  # the sum is NaN, not inf
    with pytest.raises(DataError, match=r"found infinity at row 0"):
        check_finite(mixed, "X")


# ----------------------------------------------------------------------------- MNIST IDX


def idx_bytes(magic, shape, payload):
    return struct.pack(f">I{len(shape)}I", magic, *shape) + bytes(payload)


def write_idx(path, magic, shape, payload, gz=False):
    content = idx_bytes(magic, shape, payload)
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


@pytest.fixture
def images():
    return np.arange(5 * 3 * 4, dtype=np.uint8).reshape(5, 3, 4) * 4  # values 0..236


@pytest.fixture
def labels():
    return np.array([7, 2, 1, 0, 4], dtype=np.uint8)


@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip(tmp_path, images, labels, gz):
    suffix = ".gz" if gz else ""
    images_path = write_idx(tmp_path / f"img{suffix}", 0x803, (5, 3, 4), images.ravel(), gz)
    labels_path = write_idx(tmp_path / f"lab{suffix}", 0x801, (5,), labels, gz)

    read_images, read_labels = load_mnist_idx(images_path, labels_path)
    assert read_images.dtype == np.uint8 and read_images.shape == (5, 3, 4)
    np.testing.assert_array_equal(read_images, images)
    assert read_labels.dtype == np.int64 and read_labels.tolist() == [7, 2, 1, 0, 4]
    read_images[0, 0, 0] = 255  # a writable copy
    only_images = load_mnist_idx(images_path)
    assert isinstance(only_images, np.ndarray) and only_images[0, 0, 0] == 0


def test_idx_gzip_is_detected_by_content(tmp_path, images):
    path = write_idx(tmp_path / "no-suffix", 0x803, (5, 3, 4), images.ravel(), gz=True)
    np.testing.assert_array_equal(load_mnist_idx(path), images)


def test_idx_flatten_and_normalize(tmp_path, images, labels):
    path = write_idx(tmp_path / "img", 0x803, (5, 3, 4), images.ravel())
    flat = load_mnist_idx(path, flatten=True)
    assert flat.shape == (5, 12) and flat.dtype == np.uint8
    X = load_mnist_idx(path, flatten=True, normalize=True)
    assert X.shape == (5, 12) and X.dtype == np.float32
    np.testing.assert_array_equal(X, images.reshape(5, 12).astype(np.float32) / np.float32(255))
    X64 = load_mnist_idx(path, normalize=True, dtype=np.float64)
    assert X64.shape == (5, 3, 4) and X64.dtype == np.float64 and X64.max() == 236 / 255


def test_idx_wrong_magic_says_swapped(tmp_path, images, labels):
    images_path = write_idx(tmp_path / "img", 0x803, (5, 3, 4), images.ravel())
    labels_path = write_idx(tmp_path / "lab", 0x801, (5,), labels)
    message = (
        where(labels_path) + r": not an IDX images file: magic number 0x00000801, expected "
        r"0x00000803 \(this is a labels file; were images and labels swapped\?\)"
    )
    with pytest.raises(DataError, match=message):
        load_mnist_idx(labels_path, images_path)


def test_idx_foreign_file(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    message = where(path) + r": not an IDX images file: magic number 0x89504E47"
    with pytest.raises(DataError, match=message):
        load_mnist_idx(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x00", r"truncated IDX file: 2 bytes, too short for the 4-byte magic number"),
        (
            struct.pack(">II", 0x803, 5),
            r"truncated IDX images file: 8 bytes, the header alone needs 16",
        ),
        (
            idx_bytes(0x803, (5, 3, 4), range(59)),
            r"truncated IDX images file: the header promises 5 x 3 x 4 bytes of data "
            r"\(76 bytes in all\) but the file has 75 bytes",
        ),
        (
            idx_bytes(0x803, (5, 3, 4), range(62)),
            r"corrupted IDX images file: 2 bytes more than the header's 5 x 3 x 4",
        ),
    ],
)
@pytest.mark.parametrize("gz", [False, True])
def test_idx_truncated_or_oversized(tmp_path, content, message, gz):
    path = tmp_path / "img"
    path.write_bytes(gzip.compress(content) if gz else content)
    with pytest.raises(DataError, match=where(path) + ": " + message):
        load_mnist_idx(path)


def test_idx_corrupted_gzip(tmp_path, images):
    path = tmp_path / "img.gz"
    path.write_bytes(gzip.compress(idx_bytes(0x803, (5, 3, 4), images.ravel()))[:-10])
    with pytest.raises(DataError, match=where(path) + ": could not decompress the gzip file"):
        load_mnist_idx(path)


def test_idx_count_mismatch(tmp_path, images, labels):
    images_path = write_idx(tmp_path / "img", 0x803, (5, 3, 4), images.ravel())
    labels_path = write_idx(tmp_path / "lab", 0x801, (4,), labels[:4])
    message = re.escape(f"{images_path} holds 5 images but {labels_path} holds 4 labels")
    with pytest.raises(DataError, match=message):
        load_mnist_idx(images_path, labels_path)
