"""Reading data from files: CSV tables and MNIST-style IDX files, with errors that say where.

A bad file never gives a cryptic NumPy error: ``read_csv`` and ``load_mnist_idx`` raise
``DataError`` (a ``ValueError``) naming the file, the row as a text editor numbers it
(the header is row 1) and the column, e.g.
``data.csv, row 7, column 'age': could not read 'abc' as a number``.

Example:
    >>> import os, tempfile
    >>> from glassnet.data import read_csv
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "flowers.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("length,width,species\\n5.1,3.5,setosa\\n7.0,3.2,versicolor\\n")
    >>> data = read_csv(path, target="species")
    >>> data.X.shape, data.y.tolist(), data.classes_.tolist()
    ((2, 2), [0, 1], ['setosa', 'versicolor'])
    >>> X, y = data  # unpacks like a tuple
"""

from __future__ import annotations

import csv
import gzip
import os
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from glassnet.backend import as_dtype
from glassnet.exceptions import GlassnetError

__all__ = ["CSVData", "DataError", "check_finite", "load_mnist_idx", "read_csv"]


class DataError(GlassnetError, ValueError):
    """A data file or array that glassnet cannot use; the message says where and why.

    A ``GlassnetError`` and a ``ValueError``, so ``except ValueError`` catches it too.

    Example:
        >>> issubclass(DataError, ValueError)
        True
    """


def check_finite(array, where: str, *, feature_names=None) -> None:
    """Raise ``DataError`` at the first NaN or infinity in ``array``, naming row and column.

    Rows and columns count from 0 (array indices). Integer arrays pass unchecked.

    Args:
        array: a NumPy array of any shape (1-D: only a row is named).
        where: what the array is, for the message, e.g. ``"X"`` or ``"load_iris"``.
        feature_names: optional column names, used instead of the column index.

    Raises:
        DataError: the array holds NaN or +/-inf.

    Example:
        >>> check_finite(np.array([[1.0, 2.0], [3.0, np.nan]]), "X", feature_names=["a", "b"])
        Traceback (most recent call last):
        ...
        glassnet.data.loaders.DataError: X: found NaN at row 1, column 'b' (rows count from 0)
    """
    array = np.asarray(array)
    if array.dtype.kind not in "fc":
        return
    if array.dtype.kind == "f":
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.sum(array)  # one pass in the array's own dtype, no temporary
        if np.isfinite(total):  # a NaN or infinity anywhere would make the sum one
            return  # (a sum that overflows without them is checked element by element)
    bad = ~np.isfinite(array)
    if not bad.any():
        return
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    value = "NaN" if np.isnan(array[index]) else "infinity"
    place = f"row {index[0]}"
    if array.ndim >= 2:
        column = index[1]
        if feature_names is not None:
            place += f", column {feature_names[column]!r}"
        else:
            place += f", column {column}"
    raise DataError(f"{where}: found {value} at {place} (rows count from 0)")


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


@dataclass(repr=False)
class CSVData:
    """What ``read_csv`` returns: the features, the target and their names.

    Unpacks like a tuple: ``X, y = read_csv(path, target="label")``.

    Attributes:
        X: feature columns, shape (n_rows, n_features), float32 unless another dtype is asked.
        y: the target column, shape (n_rows,), or None without ``target``. int64 class codes
            when the column holds text (see ``classes_``) or whole numbers; float otherwise.
        feature_names: the header names of the columns of ``X``, in file order.
        target_name: the target column's name, or None.
        classes_: for a text target, the sorted labels: ``classes_[y]`` gives them back.
            None for a numeric target.
        path: the file that was read.

    Example:
        >>> data = CSVData(np.zeros((2, 1), np.float32), np.array([1, 0]), ["x"], "pet",
        ...                np.array(["cat", "dog"]), "pets.csv")
        >>> data
        CSVData('pets.csv': X (2, 1) float32, target 'pet' with classes ['cat', 'dog'])
        >>> data.classes_[data.y].tolist()
        ['dog', 'cat']
    """

    X: np.ndarray
    y: np.ndarray | None
    feature_names: list
    target_name: str | None
    classes_: np.ndarray | None
    path: str

    def __iter__(self):
        return iter((self.X, self.y))

    def __repr__(self) -> str:
        text = f"CSVData({self.path!r}: X {self.X.shape} {self.X.dtype}"
        if self.target_name is not None:
            text += f", target {self.target_name!r}"
            if self.classes_ is not None:
                text += f" with classes {self.classes_.tolist()}"
            else:
                text += f" {self.y.dtype}"
        return text + ")"


def _open_text(path):
    """Open a CSV file (optionally gzip-compressed, by its .gz suffix) as UTF-8 text."""
    if os.fspath(path).endswith(".gz"):
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return open(path, newline="", encoding="utf-8-sig")


def _read_records(path, name: str, delimiter: str):
    """The header, the data rows and each row's line number as a text editor shows it."""
    header, header_line, rows, lines = None, 0, [], []
    with _open_text(path) as file:
        reader = csv.reader(file, delimiter=delimiter, skipinitialspace=True)
        try:
            previous_end = 0
            for record in reader:
                # a record starts on the line after the previous one ended (quoted fields
                # may span several lines); report that first line, as an editor shows it
                line, previous_end = previous_end + 1, reader.line_num
                if not record:  # a blank line
                    continue
                if header is None:
                    header, header_line = [field.strip() for field in record], line
                    continue
                if len(record) != len(header):
                    raise DataError(
                        f"{name}, row {line}: expected {len(header)} fields "
                        f"(as in the header), got {len(record)}"
                    )
                rows.append(record)
                lines.append(line)
        except csv.Error as error:
            raise DataError(f"{name}, row {reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise DataError(f"{name}: not a UTF-8 text file") from None
        except (OSError, EOFError) as error:  # a corrupt .gz file
            raise DataError(f"{name}: could not read the file ({error})") from None
    if header is None:
        raise DataError(f"{name} is empty: expected a header row with the column names")
    duplicates = sorted({column for column in header if header.count(column) > 1})
    if duplicates:
        raise DataError(f"{name}, row {header_line}: duplicate column names {duplicates}")
    if not rows:
        raise DataError(f"{name} has a header row but no data rows")
    return header, rows, lines


def _parses_as_number(text) -> bool:
    try:
        np.array([text]).astype(np.float64)
    except ValueError:
        return False
    return True


def _parse_numbers(table, columns, header, lines, name, dtype):
    """Convert the text cells ``table[:, columns]`` to floats, or say which cell is bad."""
    cells = table[:, columns]
    try:
        values = cells.astype(np.float64)
    except ValueError:
        values = None
    if values is None:  # find the first bad cell, row by row, to name it
        for i, j in np.ndindex(cells.shape):
            text = str(cells[i, j])
            where = f"{name}, row {lines[i]}, column {header[columns[j]]!r}"
            if text == "":
                raise DataError(f"{where}: missing value (empty field)")
            if not _parses_as_number(text):
                raise DataError(f"{where}: could not read {text!r} as a number")
        raise DataError(f"{name}: could not read the columns {[header[c] for c in columns]}")

    with np.errstate(over="ignore"):
        converted = values.astype(dtype)
    bad = ~np.isfinite(converted)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        where = f"{name}, row {lines[i]}, column {header[columns[j]]!r}"
        text = str(cells[i, j])
        if np.isfinite(values[i, j]):
            raise DataError(f"{where}: {text!r} is too large for {dtype}; pass dtype='float64'")
        raise DataError(f"{where}: {text!r} is not a finite number (no NaN or infinity)")
    return converted


def _parse_target(table, index, header, lines, name, dtype):
    """Target cells -> (y, classes_): whole numbers -> int64, numbers -> float, text -> codes."""
    column = table[:, index]
    empty = np.flatnonzero(column == "")
    if len(empty):
        raise DataError(
            f"{name}, row {lines[empty[0]]}, column {header[index]!r}: missing target value"
        )
    try:
        return column.astype(np.int64), None
    except (ValueError, OverflowError):
        pass
    try:
        column.astype(np.float64)
    except ValueError:  # text labels
        classes, codes = np.unique(column, return_inverse=True)
        return codes.reshape(-1).astype(np.int64), classes
    # numbers: the feature parser checks for NaN, infinity and overflow of dtype
    return _parse_numbers(table, [index], header, lines, name, dtype)[:, 0], None


def read_csv(path, target=None, *, delimiter=",", dtype=None) -> CSVData:
    """Read a CSV file with a header row into features ``X`` and an optional target ``y``.

    Every column except ``target`` must be numeric. The target column may hold whole numbers
    (y is int64), other numbers (y is float) or text labels, which are encoded 0..k-1 in
    sorted order as scikit-learn's ``LabelEncoder`` does; the labels are kept in
    ``classes_``. Blank lines are skipped; spaces around a value are ignored; a file ending
    in ``.gz`` is decompressed. Uses Python's ``csv`` module (quoted fields work).

    Args:
        path: the CSV file.
        target: the name of the target column, or None to read every column into ``X``.
        delimiter: the field separator, e.g. ``";"`` or ``"\\t"``.
        dtype: float dtype of ``X`` (and of a non-integer ``y``). Defaults to float32.

    Returns:
        CSVData with ``X``, ``y``, ``feature_names``, ``target_name``, ``classes_``;
        ``X, y = read_csv(...)`` unpacks it.

    Raises:
        DataError (a ValueError), naming the file, the row as a text editor numbers it (the
        header is row 1) and the column: an empty file, a header without data rows, a
        missing target column (the message lists the columns), a row with too many or too
        few fields, an empty field, a value that is not a number, NaN or infinity.

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> path = os.path.join(folder, "exam.csv")
        >>> with open(path, "w") as f:
        ...     _ = f.write("study,sleep,result\\n1,5,fail\\n4,6,pass\\n2,abc,fail\\n")
        >>> try:
        ...     read_csv(path, target="result")
        ... except ValueError as error:
        ...     print(str(error).replace(folder + os.sep, ""))  # the message names the path
        exam.csv, row 4, column 'sleep': could not read 'abc' as a number
    """
    name = os.fspath(path)
    resolved = as_dtype(dtype)
    if resolved.kind != "f":
        raise TypeError(f"read_csv: dtype must be a float type such as float32, received {dtype!r}")
    if target is not None and not isinstance(target, str):
        raise TypeError(f"read_csv: target must be a column name (str), received {target!r}")

    header, rows, lines = _read_records(path, name, delimiter)
    table = np.char.strip(np.array(rows, dtype=str))
    if target is not None and target not in header:
        present = ", ".join(repr(column) for column in header)
        raise DataError(
            f"{name}: no column named {target!r} (the target); the columns are {present}"
        )
    features = [j for j, column in enumerate(header) if column != target]
    if not features:
        raise DataError(f"{name}: the target {target!r} is the only column; no features left")

    X = _parse_numbers(table, features, header, lines, name, resolved)
    y, classes = None, None
    if target is not None:
        y, classes = _parse_target(table, header.index(target), header, lines, name, resolved)
    feature_names = [header[j] for j in features]
    return CSVData(X, y, feature_names, target, classes, name)


# --------------------------------------------------------------------------------------------
# MNIST IDX
# --------------------------------------------------------------------------------------------

IDX_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions: (n, rows, cols)
IDX_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension: (n,)


def _read_idx(path, magic: int, kind: str) -> np.ndarray:
    """Read one IDX file of unsigned bytes (raw or gzip), checking magic number and size."""
    name = os.fspath(path)
    with open(path, "rb") as file:
        content = file.read()
    if content[:2] == b"\x1f\x8b":  # the gzip signature, whatever the file is called
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError, zlib.error) as error:
            raise DataError(f"{name}: could not decompress the gzip file ({error})") from None

    if len(content) < 4:
        raise DataError(
            f"{name}: truncated IDX file: {len(content)} bytes, too short for the "
            "4-byte magic number"
        )
    found = struct.unpack(">I", content[:4])[0]
    if found != magic:
        other = {IDX_IMAGES_MAGIC: "an images file", IDX_LABELS_MAGIC: "a labels file"}
        hint = ""
        if found in other:
            hint = f" (this is {other[found]}; were images and labels swapped?)"
        raise DataError(
            f"{name}: not an IDX {kind} file: magic number 0x{found:08X}, "
            f"expected 0x{magic:08X}{hint}"
        )

    ndim = magic & 0xFF
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise DataError(
            f"{name}: truncated IDX {kind} file: {len(content)} bytes, the header alone "
            f"needs {header_size}"
        )
    shape = struct.unpack(f">{ndim}I", content[4:header_size])
    expected = header_size + int(np.prod(shape))
    promised = " x ".join(str(size) for size in shape)
    if len(content) < expected:
        raise DataError(
            f"{name}: truncated IDX {kind} file: the header promises {promised} bytes of data "
            f"({expected} bytes in all) but the file has {len(content)} bytes"
        )
    if len(content) > expected:
        raise DataError(
            f"{name}: corrupted IDX {kind} file: {len(content) - expected} bytes more than "
            f"the header's {promised} (+ {header_size} header bytes)"
        )
    return np.frombuffer(content, dtype=np.uint8, offset=header_size).reshape(shape)


def load_mnist_idx(images_path, labels_path=None, *, flatten=False, normalize=False, dtype=None):
    """Read MNIST-style IDX files (raw or gzip-compressed), e.g. ``train-images-idx3-ubyte.gz``.

    An IDX file is a 4-byte magic number (0x00000803 for images, 0x00000801 for labels),
    one big-endian uint32 per dimension, then the unsigned bytes. By default the images come
    back exactly as stored: uint8 of shape (n, rows, cols) with values 0..255. To feed a
    network, divide by 255 and reshape yourself, or pass ``flatten=True, normalize=True``.

    Args:
        images_path: the images file.
        labels_path: the labels file, or None to read only the images.
        flatten: return images of shape (n, rows * cols) instead of (n, rows, cols).
        normalize: return floats in [0, 1] (pixel / 255) instead of uint8.
        dtype: float dtype of normalized images. Defaults to float32.

    Returns:
        The images, or ``(images, labels)`` with labels int64 of shape (n,) when
        ``labels_path`` is given.

    Raises:
        DataError (a ValueError): wrong magic number, truncated or oversized file, a gzip
            file that does not decompress, or different counts of images and labels.

    Example:
        >>> import os, struct, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "tiny-images-idx3-ubyte")
        >>> with open(path, "wb") as f:
        ...     _ = f.write(struct.pack(">IIII", 0x803, 2, 2, 2) + bytes([0, 51, 102, 255] * 2))
        >>> images = load_mnist_idx(path)
        >>> images.shape, images.dtype
        ((2, 2, 2), dtype('uint8'))
        >>> load_mnist_idx(path, flatten=True, normalize=True)[0].tolist()
        [0.0, 0.2, 0.4, 1.0]
    """
    images = _read_idx(images_path, IDX_IMAGES_MAGIC, "images")
    if normalize:
        resolved = as_dtype(dtype)
        if resolved.kind != "f":
            raise TypeError(f"load_mnist_idx: dtype must be a float type, received {dtype!r}")
        images = images.astype(resolved) / resolved.type(255)
    else:
        images = images.copy()  # writable, independent of the file's bytes
    if flatten:
        images = images.reshape(len(images), -1)
    if labels_path is None:
        return images

    labels = _read_idx(labels_path, IDX_LABELS_MAGIC, "labels").astype(np.int64)
    if len(labels) != len(images):
        raise DataError(
            f"{os.fspath(images_path)} holds {len(images)} images but "
            f"{os.fspath(labels_path)} holds {len(labels)} labels"
        )
    return images, labels
