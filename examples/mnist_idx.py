"""MNIST from the original IDX files, when you have them: 28x28 digits, Keras style.

What it teaches:

- The IDX format MNIST is distributed in: a 4-byte magic number (0x803 for images, 0x801
  for labels), the size of each dimension, then one unsigned byte per pixel or label.
  ``gn.data.load_mnist_idx(images, labels, flatten=True, normalize=True)`` reads the raw
  or gzipped files into (n, 784) floats in [0, 1] and int labels.
- A dense network on real images: 784 pixels -> 128 ReLU units -> dropout -> 10 softmax
  outputs, trained with Adam for 5 epochs. On the real data this kind of network is
  expected to reach about 97-98% on the 10000 test images.
- glassnet never downloads anything. Get the four files (train-images-idx3-ubyte.gz,
  train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from
  a MNIST mirror, put them in a directory and point the script at it. Without test files
  the script holds out 20% of the training images instead.

Run it:

    uv run python examples/mnist_idx.py --dir path/to/mnist             # the four files there
    uv run python examples/mnist_idx.py --images train-images-idx3-ubyte.gz \\
        --labels train-labels-idx1-ubyte.gz                             # one pair of files
    uv run python examples/mnist_idx.py --dir path/to/mnist --fast      # 2000 images, quick
    uv run python examples/mnist_idx.py --dir path/to/mnist --out       # also plots, in
                                                                        # ./example-output/
                                                                        #    mnist_idx/

Without the files it prints what it looked for and where to get them, and exits with
status 1 (status 2 for wrong command-line arguments, 0 on success).
"""

from __future__ import annotations

import argparse
import glob
import os
import sys

import numpy as np

import glassnet as gn
from glassnet import nn

NAME = "mnist_idx"
DEFAULT_DIR = "mnist"
PATTERNS = {  # how the files are usually named (with or without .gz; "idx3-ubyte" or ".idx3")
    "train_images": "train-images*idx3*",
    "train_labels": "train-labels*idx1*",
    "test_images": "t10k-images*idx3*",
    "test_labels": "t10k-labels*idx1*",
}
HOW_TO_GET = (
    "glassnet does not download data. Get the MNIST files train-images-idx3-ubyte.gz, "
    "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz "
    "from a MNIST mirror, then run: uv run python examples/mnist_idx.py --dir DIR"
)


def find_files(data_dir) -> dict:
    """The IDX files in ``data_dir`` by role (train/test, images/labels); missing ones None."""
    found = {}
    for role, pattern in PATTERNS.items():
        matches = sorted(glob.glob(os.path.join(data_dir, pattern)))
        found[role] = matches[0] if matches else None
    return found


def locate(images, labels, data_dir) -> dict:
    """Decide which files to read, or raise FileNotFoundError saying what is missing."""
    if images is not None or labels is not None:
        if images is None or labels is None:
            raise FileNotFoundError("give both --images and --labels (or --dir)")
        files = {"train_images": images, "train_labels": labels,
                 "test_images": None, "test_labels": None}
    else:
        data_dir = DEFAULT_DIR if data_dir is None else data_dir
        if not os.path.isdir(data_dir):
            raise FileNotFoundError(f"no MNIST directory {data_dir!r}. {HOW_TO_GET}")
        files = find_files(data_dir)
        if files["train_images"] is None or files["train_labels"] is None:
            wanted = ", ".join(PATTERNS[role] for role in ("train_images", "train_labels"))
            raise FileNotFoundError(f"no MNIST training files ({wanted}) in {data_dir!r}. "
                                    f"{HOW_TO_GET}")
    for role, path in files.items():
        if path is not None and not os.path.isfile(path):
            raise FileNotFoundError(f"{role.replace('_', ' ')} file {path!r} does not exist. "
                                    f"{HOW_TO_GET}")
    return files


def load(files: dict, fast: bool):
    """(X_train, y_train, X_test, y_test, image shape), images flattened to [0, 1]."""
    X, y = gn.data.load_mnist_idx(files["train_images"], files["train_labels"],
                                  flatten=True, normalize=True)
    shape = gn.data.load_mnist_idx(files["train_images"]).shape[1:]   # (rows, cols)
    if files["test_images"] and files["test_labels"]:
        X_test, y_test = gn.data.load_mnist_idx(files["test_images"], files["test_labels"],
                                                flatten=True, normalize=True)
        print(f"Read {len(X)} training and {len(X_test)} test images of {shape[0]}x{shape[1]}")
    else:
        X, X_test, y, y_test = gn.data.train_test_split(X, y, test_size=0.2, random_state=0)
        print(f"Read {len(X) + len(X_test)} images of {shape[0]}x{shape[1]}; no test files, "
              f"so 20% ({len(X_test)}) are held out for testing")
    if fast:  # the first rows only: a quick run
        X, y, X_test, y_test = X[:2000], y[:2000], X_test[:1000], y_test[:1000]
        print(f"--fast: training on {len(X)} images, testing on {len(X_test)}")
    return X, y, X_test, y_test, shape


def build_model(classes: int = 10):
    model = gn.Sequential([
        nn.Dense(128, activation="relu"),            # 784 inputs, read from the data
        nn.Dropout(0.2),
        nn.Dense(classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def main(fast: bool = False, out_dir=None, images=None, labels=None, data_dir=None,
         verbose: int = 0) -> dict:
    """Train on MNIST IDX files; returns the numbers the tests check.

    Args:
        fast: at most 2000 training and 1000 test images.
        out_dir: a directory for the plots, or None for no plots.
        images, labels: one pair of IDX files (the test set is then split off them).
        data_dir: a directory with the training (and test) files, found by name. Defaults
            to ./mnist when no files are given.
        verbose: 0 silent training, 2 one line per epoch.

    Raises:
        FileNotFoundError: no files, saying what was looked for and how to get them.
        glassnet.data.DataError: a file that is not a valid IDX file.
    """
    files = locate(images, labels, data_dir)
    gn.seed(0)
    X_train, y_train, X_test, y_test, shape = load(files, fast)
    classes = int(max(y_train.max(), y_test.max())) + 1
    model = build_model(classes)
    epochs = 5
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=32 if fast else 128,
                        validation_split=0.1, verbose=verbose)
    test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
    predicted = model.predict(X_test).argmax(axis=1)
    print(f"Test accuracy after {epochs} epochs: {test_accuracy:.4f} "
          f"({int(np.sum(predicted != y_test))} of {len(y_test)} test images wrong)")
    plots = plot(history, X_test, y_test, predicted, shape, out_dir) if out_dir else []
    return {"test_accuracy": test_accuracy, "test_loss": test_loss, "n_train": len(X_train),
            "n_test": len(X_test), "image_shape": tuple(shape), "history": history.history,
            "plots": plots}


def plot(history, X_test, y_test, predicted, shape, out_dir) -> list:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, name) for name in
             ("mnist_history.png", "mnist_confusion_matrix.png", "mnist_mistakes.png")]
    gn.viz.plot_history(history, path=paths[0])
    gn.viz.plot_confusion_matrix(y_test, predicted, path=paths[1])
    wrong = np.flatnonzero(predicted != y_test)[:10]
    right = np.flatnonzero(predicted == y_test)[:20 - len(wrong)]
    shown = np.concatenate([wrong, right])
    gn.viz.plot_digits(X_test[shown], y_true=y_test[shown], y_pred=predicted[shown],
                       shape=tuple(shape), path=paths[2])
    for path in paths:
        print(f"Wrote {path}")
    return paths


def cli(argv=None) -> int:
    """The command line; returns the exit status (0 done, 1 no usable files)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", dest="data_dir", default=None,
                        help=f"directory holding the IDX files (default ./{DEFAULT_DIR})")
    parser.add_argument("--images", default=None, help="an IDX images file (raw or .gz)")
    parser.add_argument("--labels", default=None, help="the matching IDX labels file")
    parser.add_argument("--fast", action="store_true", help="a quick run (used by the tests)")
    parser.add_argument("--out", nargs="?", const=os.path.join("example-output", NAME),
                        default=None, metavar="DIR",
                        help=f"write the plots into DIR (default example-output/{NAME})")
    arguments = parser.parse_args(argv)
    if (arguments.images is None) != (arguments.labels is None):
        parser.error("give both --images and --labels, or --dir")   # exits with status 2
    try:
        main(fast=arguments.fast, out_dir=arguments.out, images=arguments.images,
             labels=arguments.labels, data_dir=arguments.data_dir, verbose=2)
    except (FileNotFoundError, gn.data.DataError) as error:
        print(f"mnist_idx: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(cli())
