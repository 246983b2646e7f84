"""Model files with the facts the CLI needs, CSV tables read for a model, and folding.

A model trained by ``glassnet train`` (or the demo) is saved with a few facts the command
line needs later, stored as JSON in the model file's metadata under ``"glassnet_cli"``
(``gn.load`` ignores them):

    task       "classify" or "regress"
    target     the target column's name, e.g. "species"
    features   the feature columns, in the order the model reads them
    classes    the original class labels (text or numbers); the model's output unit k
               stands for ``classes[k]``, so ``predict`` writes "setosa", not 0

The inputs are standardised while training, z = (x - mean) / std, and that scaling is then
folded into the first layer (``fold_input_scaling``), so the saved model reads the raw
columns: ``gn.load(path).predict(X_raw)`` works without the CLI.

Example:
    >>> info = ModelInfo("classify", "species", ["length", "width"], ["setosa", "virginica"])
    >>> ModelInfo.from_dict(info.to_dict()) == info
    True
"""

from __future__ import annotations

import csv
import gzip
import json
import os
from dataclasses import asdict, dataclass

import numpy as np

from glassnet.commands.common import CommandError

__all__ = [
    "ModelInfo", "Table", "choose_task", "class_codes", "decode_outputs",
    "fold_input_scaling", "fold_output_scaling", "guess_info", "load_model_file",
    "read_header", "read_table", "save_model_file", "target_values", "training_table",
]

CLI_METADATA_KEY = "glassnet_cli"
#: a target of whole numbers with at most this many distinct values is taken as classes
MAX_AUTO_CLASSES = 20


# ----------------------------------------------------------------------------- model files


@dataclass
class ModelInfo:
    """The facts ``glassnet train`` stores next to the model (see the module docstring).

    Example:
        >>> ModelInfo("regress", "price", ["rooms"]).classes is None
        True
    """

    task: str
    target: str | None = None
    features: list | None = None
    classes: list | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "ModelInfo":
        return cls(**{key: values.get(key) for key in ("task", "target", "features",
                                                         "classes")})


def save_model_file(model, path, info: ModelInfo) -> None:
    """Save ``model`` (without optimizer state) with ``info`` in the file's metadata, atomically."""
    from glassnet.io.model_file import save_model

    save_model(model, path, include_optimizer=False,
               metadata={CLI_METADATA_KEY: json.dumps(info.to_dict())})


def load_model_file(path) -> tuple:
    """Load a model file: ``(model, ModelInfo or None)`` (None: saved outside the CLI)."""
    from glassnet.exceptions import ModelFileError
    from glassnet.io.model_file import read_model

    if not os.path.isfile(path):
        raise CommandError(f"{path}: no such model file")
    model, metadata = read_model(path)
    text = metadata.get(CLI_METADATA_KEY)
    try:
        info = ModelInfo.from_dict(json.loads(text)) if text else None
    except (json.JSONDecodeError, TypeError, AttributeError):
        raise ModelFileError(f"{path}: its {CLI_METADATA_KEY!r} metadata is corrupted") \
            from None
    return model, info


def guess_info(model, outputs: np.ndarray) -> ModelInfo:
    """For a model saved outside the CLI: several outputs or a final sigmoid -> classes.

    Example:
        >>> import glassnet as gn
        >>> model = gn.Sequential([gn.nn.Dense(1, activation="sigmoid", input_dim=2, rng=0)])
        >>> guess_info(model, np.zeros((3, 1))).task, guess_info(model, np.zeros((3, 2))).task
        ('classify', 'classify')
        >>> guess_info(gn.Sequential([gn.nn.Dense(1, input_dim=2, rng=0)]), np.zeros((3, 1))).task
        'regress'
    """
    last = model.layers[-1] if getattr(model, "layers", None) else None
    sigmoid = getattr(last, "activation_name", None) == "sigmoid"
    task = "classify" if outputs.shape[1] > 1 or sigmoid else "regress"
    return ModelInfo(task)


def decode_outputs(outputs: np.ndarray, info: ModelInfo) -> tuple:
    """The model's outputs -> (predicted labels or values, class probabilities or None).

    Example:
        >>> info = ModelInfo("classify", classes=["cat", "dog"])
        >>> labels, proba = decode_outputs(np.array([[0.9, 0.1], [0.3, 0.7]]), info)
        >>> labels.tolist(), proba[:, 1].tolist()
        (['cat', 'dog'], [0.1, 0.7])
    """
    outputs = np.asarray(outputs).reshape(len(outputs), -1)
    if info.task == "regress":
        return (outputs[:, 0] if outputs.shape[1] == 1 else outputs), None
    if outputs.shape[1] == 1:  # one sigmoid unit: P(class 1)
        proba = np.column_stack([1.0 - outputs[:, 0], outputs[:, 0]])
    else:
        proba = outputs
    classes = np.asarray(info.classes if info.classes else range(proba.shape[1]))
    return classes[proba.argmax(axis=1)], proba


# ----------------------------------------------------------------------------- CSV tables


@dataclass
class Table:
    """A CSV file read for a model: features in the model's order, the target's labels.

    Attributes:
        X: features, shape (rows, features), float32.
        labels: the target column as written in the file (text or numbers), or None.
        feature_names: the columns of ``X``.
        target: the target column's name, or None when the file has none.
        ignored: other columns of the file that the model does not read.

    Example:
        >>> table = Table(np.zeros((2, 1), np.float32), np.array(["cat", "dog"]), ["height"],
        ...               "kind", [])
        >>> table.X.shape, table.labels.tolist(), table.target
        ((2, 1), ['cat', 'dog'], 'kind')
    """

    X: np.ndarray
    labels: np.ndarray | None
    feature_names: list
    target: str | None
    ignored: list


def read_header(path) -> list:
    """The column names of a CSV file (the first non-blank row).

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with open(os.path.join(tmp, "pets.csv"), "w") as file:
        ...         _ = file.write("\\nheight, weight,kind\\n1.0,2.0,cat\\n")
        ...     read_header(os.path.join(tmp, "pets.csv"))
        ['height', 'weight', 'kind']
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise CommandError(f"{path}: no such file")
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8-sig") as file:
        for record in csv.reader(file, skipinitialspace=True):
            if record:
                return [field.strip() for field in record]
    return []


def read_table(path, info: ModelInfo | None = None, target=None,
               require_target: bool = False) -> Table:
    """Read a CSV for training, evaluating or predicting (``glassnet.data.read_csv``).

    Args:
        path: the CSV file.
        info: the model's facts: its feature columns are taken in its order (a missing one
            is an error) and its target column is the default ``target``.
        target: the target column's name (overrides the model's).
        require_target: the target must be in the file (train, evaluate).

    Example:
        >>> import os, tempfile
        >>> from glassnet.commands.common import write_csv
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "pets.csv")
        ...     write_csv(path, ["height", "weight", "kind"], [[1.0, 2.0, "cat"], [3, 4, "dog"]])
        ...     table = read_table(path, target="kind")
        >>> table.X, table.labels.tolist(), table.feature_names
        (array([[1., 2.],
               [3., 4.]], dtype=float32), ['cat', 'dog'], ['height', 'weight'])
    """
    from glassnet.data import read_csv

    header = read_header(path)
    target = target or (info.target if info else None)
    if require_target and target is None:
        raise CommandError(f"{path}: which column is the target? Pass --target COLUMN "
                           f"(the columns are {', '.join(map(repr, header))})")
    use_target = target is not None and (require_target or target in header)
    data = read_csv(path, target=target if use_target else None)
    X, names, ignored = data.X, list(data.feature_names), []
    if info is not None and info.features:
        missing = [name for name in info.features if name not in names]
        if missing:
            raise CommandError(f"{path}: the model reads the columns {missing}, which the "
                               f"file lacks; its columns are {', '.join(map(repr, header))}")
        ignored = [name for name in names if name not in info.features]
        X = X[:, [names.index(name) for name in info.features]]
        names = list(info.features)
    labels = None
    if use_target:
        labels = data.classes_[data.y] if data.classes_ is not None else data.y
    return Table(X, labels, names, target if use_target else None, ignored)


def choose_task(labels: np.ndarray, task: str = "auto") -> str:
    """"classify" for text or few (<= 20) distinct whole numbers, else "regress".

    Example:
        >>> choose_task(np.array(["a", "b"])), choose_task(np.array([0.5, 1.5]))
        ('classify', 'regress')
    """
    if task != "auto":
        if task == "regress" and labels.dtype.kind not in "iuf":
            raise CommandError(f"--task regress needs a numeric target, but it holds text "
                               f"such as {labels[0]!r}")
        return task
    if labels.dtype.kind not in "iuf":
        return "classify"
    whole = labels.dtype.kind in "iu"
    return "classify" if whole and len(np.unique(labels)) <= MAX_AUTO_CLASSES else "regress"


def training_table(path, target: str, task: str = "auto") -> tuple:
    """``(table, info, y)`` for training on a CSV: the task and classes chosen from the target.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "pets.csv")
        >>> with open(path, "w") as file:
        ...     _ = file.write("weight,height,pet\\n4,25,cat\\n30,60,dog\\n5,23,cat\\n")
        >>> table, info, y = training_table(path, "pet")
        >>> info.task, info.classes, y.tolist()
        ('classify', ['cat', 'dog'], [0, 1, 0])
    """
    table = read_table(path, target=target, require_target=True)
    task = choose_task(table.labels, task)
    classes = None
    if task == "classify":  # float labels are kept as the text the CSV reader gives back
        unique = np.unique(table.labels)
        classes = (unique.astype(str) if unique.dtype.kind == "f" else unique).tolist()
    info = ModelInfo(task, table.target, table.feature_names, classes)
    return table, info, target_values(table, info, path)


def class_codes(labels: np.ndarray, classes, where: str) -> np.ndarray:
    """Labels -> the model's class indices (compared as text: "3" and 3 are one class).

    Example:
        >>> class_codes(np.array(["dog", "cat"]), ["cat", "dog"], "data.csv").tolist()
        [1, 0]
        >>> class_codes(np.array([10, 2]), [2, 10], "data.csv").tolist()
        [1, 0]
    """
    names = np.array([str(label) for label in classes])
    order = np.argsort(names)
    text = np.asarray(labels).astype(str)
    found = np.minimum(np.searchsorted(names[order], text), len(names) - 1)
    known = names[order][found] == text
    if not known.all():
        unknown = sorted(set(text[~known].tolist()))
        raise CommandError(f"{where}: labels {unknown[:5]} were not seen in training; the "
                           f"model knows {names.tolist()}")
    return order[found].astype(np.int64)


def target_values(table: Table, info: ModelInfo, where: str) -> np.ndarray:
    """The target as the model trains on it: class indices, or float32 numbers.

    Example:
        >>> table = Table(np.zeros((3, 1), np.float32), np.array(["dog", "cat", "dog"]),
        ...               ["height"], "kind", [])
        >>> target_values(table, ModelInfo("classify", classes=["cat", "dog"]), "evaluate")
        array([1, 0, 1])
    """
    if info.task == "regress":
        if table.labels.dtype.kind not in "iuf":
            raise CommandError(f"{where}: the model predicts numbers but the target "
                               f"{table.target!r} holds text such as {table.labels[0]!r}")
        return table.labels.astype(np.float32)
    if info.classes is None:
        return np.unique(table.labels, return_inverse=True)[1].reshape(-1) \
            if table.labels.dtype.kind not in "iu" else table.labels
    return class_codes(table.labels, info.classes, where)


# ----------------------------------------------------------------------------- folding


def fold_input_scaling(layer, mean, std) -> None:
    """Make a layer trained on z = (x - mean) / std read x itself.

    z @ W + b = x @ (W / std[:, None]) + (b - (mean / std) @ W), so the new weight is
    W / std (row by row) and the new bias b - (mean / std) @ W.

    Example:
        >>> from glassnet import nn
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> x, mean, std = np.array([[3.0, 4.0]]), np.array([1.0, 2.0]), np.array([2.0, 4.0])
        >>> before = layer((x - mean) / std).data
        >>> fold_input_scaling(layer, mean, std)
        >>> bool(np.allclose(layer(x).data, before))
        True
    """
    W = layer.weight.data.astype(np.float64)
    b = layer.bias.data.astype(np.float64)
    mean, std = np.asarray(mean, np.float64), np.asarray(std, np.float64)
    layer.weight.data[...] = W / std[:, None]
    layer.bias.data[...] = b - (mean / std) @ W


def fold_output_scaling(layer, mean: float, std: float) -> None:
    """Make a linear output layer trained on (y - mean) / std predict y itself.

    y = (x @ W + b) * std + mean = x @ (W * std) + (b * std + mean).

    Example:
        >>> from glassnet import nn
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> x = np.array([[1.0, 2.0]])
        >>> before = layer(x).data * 10.0 + 5.0
        >>> fold_output_scaling(layer, 5.0, 10.0)
        >>> bool(np.allclose(layer(x).data, before))
        True
    """
    layer.weight.data[...] = layer.weight.data.astype(np.float64) * std
    layer.bias.data[...] = layer.bias.data.astype(np.float64) * std + mean
