"""What the commands share: the parser's pieces, argument types and output helpers.

Example:
    >>> layer_sizes("64,32")
    (64, 32)
    >>> fraction("0.2")
    0.2
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys

import numpy as np

from glassnet.exceptions import GlassnetError

__all__ = [
    "CommandError", "add_command", "check_folder", "confusion_lines", "fraction",
    "layer_sizes", "note",
    "positive_float", "positive_int", "shape", "write_csv", "write_json",
]


class CommandError(GlassnetError):
    """A command cannot go on; the message is the one line the user sees.

    Example:
        >>> str(CommandError("data.csv: no such file"))
        'data.csv: no such file'
    """


# ----------------------------------------------------------------------------- the parser


def add_command(subparsers, name: str, summary: str, examples, *, debug: bool = True,
                **options):
    """A sub-command whose ``--help`` ends with its examples (and a ``--debug`` flag).

    Args:
        subparsers: what ``ArgumentParser.add_subparsers()`` returned.
        name, summary: the command's name and one-line description.
        examples: one example command line, or a list of them.
        debug: add ``--debug`` (show the traceback on errors).
        **options: passed to ``add_parser`` (e.g. ``description``, ``add_help``).

    Example:
        >>> parser = argparse.ArgumentParser(prog="glassnet")
        >>> sub = add_command(parser.add_subparsers(), "hello", "Say hello.", ["glassnet hello"])
        >>> "example:" in sub.format_help()
        True
    """
    examples = [examples] if isinstance(examples, str) else list(examples)
    label = "example:" if len(examples) == 1 else "examples:"
    parser = subparsers.add_parser(
        name, help=summary, description=options.pop("description", summary),
        epilog=label + "\n" + "\n".join(f"  {line}" for line in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter, **options)
    if debug:
        parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                            help="show the full traceback on errors")
    return parser


def _integers(text: str, what: str, example: str) -> tuple:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        values = ()
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(
            f"expected {what} as positive integers separated by commas, e.g. {example}; "
            f"received {text!r}")
    return values


def layer_sizes(text: str) -> tuple:
    """``--hidden 64,32`` -> (64, 32); ``none`` -> () (no hidden layer).

    Example:
        >>> layer_sizes("none")
        ()
    """
    if text.strip().lower() in ("none", "0", ""):
        return ()
    return _integers(text, "hidden layer sizes", "64,32")


def shape(text: str) -> tuple:
    """``--input-shape 1,64`` -> (1, 64).

    Example:
        >>> shape("1,64")
        (1, 64)
    """
    return _integers(text, "a shape", "1,64")


def positive_int(text: str) -> int:
    """An integer >= 1 (``--epochs``, ``--batch-size``, ``--trials``).

    Example:
        >>> positive_int("5")
        5
    """
    value = _integers(text, "a number", "10")
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"expected one positive integer, received {text!r}")
    return value[0]


def positive_float(text: str) -> float:
    """A number > 0 (``--lr``).

    Example:
        >>> positive_float("0.01")
        0.01
    """
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, received {text!r}")
    return value


def fraction(text: str) -> float:
    """A number in [0, 1) (``--test-size``, ``--dropout``).

    Example:
        >>> fraction("0.2")
        0.2
    """
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), received {text!r}")
    return value


# ----------------------------------------------------------------------------- output


def confusion_lines(matrix, names) -> list:
    """A confusion matrix as text: rows are the true classes, columns the predictions.

    Example:
        >>> print("\\n".join(confusion_lines(np.array([[3, 1], [0, 2]]), ["no", "yes"])))
        true \\ predicted   no  yes
        no                  3    1
        yes                 0    2
    """
    names = [str(name) for name in names]
    width = max(3, max(map(len, names)), len(str(int(np.max(matrix)))))
    corner = "true \\ predicted"
    first = max(len(corner), max(map(len, names)))
    lines = [f"{corner:<{first}}" + "".join(f" {n:>{width}}" for n in names)]
    for name, row in zip(names, np.asarray(matrix)):
        lines.append(f"{name:<{first}}" + "".join(f" {int(v):>{width}}" for v in row))
    return lines


def write_json(path, values) -> None:
    """Write ``values`` as indented JSON, atomically.

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     write_json(os.path.join(tmp, "metrics.json"), {"accuracy": 0.5})
        ...     print(open(os.path.join(tmp, "metrics.json")).read())
        {
          "accuracy": 0.5
        }
        <BLANKLINE>
    """
    from glassnet.io import atomic_write

    with atomic_write(path, "w") as file:
        json.dump(values, file, indent=2)
        file.write("\n")


def write_csv(path, header: list, rows) -> None:
    """Write a CSV to ``path`` atomically, or to standard output when ``path`` is None.

    Example:
        >>> write_csv(None, ["x", "prediction"], [[1.5, "cat"], [2.0, "dog"]])
        x,prediction
        1.5,cat
        2.0,dog
    """
    from glassnet.io import atomic_write

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    if path is None:
        sys.stdout.write(buffer.getvalue())
        return
    with atomic_write(path, "w") as file:
        file.write(buffer.getvalue())


def check_folder(path, option: str) -> None:
    """Fail before the work when the folder of an output file does not exist.

    Example:
        >>> try:
        ...     check_folder("no-such-folder/model.glassnet", "--out")
        ... except CommandError as error:
        ...     print(error)
        --out no-such-folder/model.glassnet: the folder 'no-such-folder' does not exist
    """
    if path is None:
        return
    folder = os.path.dirname(os.fspath(path)) or os.curdir
    if not os.path.isdir(folder):
        raise CommandError(f"{option} {path}: the folder {folder!r} does not exist")


def note(text: str) -> None:
    """A remark for the user on standard error (standard output may be a CSV)."""
    print(f"note: {text}", file=sys.stderr)
