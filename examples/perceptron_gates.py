"""The perceptron learning rule on AND (it converges) and on XOR (it never does, and why).

What it teaches:

- Rosenblatt's rule, one sample at a time, starting from w = [0, 0], b = 0::

      z = w . x + b;   prediction = 1 if z >= 0 else 0;   error = y - prediction
      w <- w + learning_rate * error * x;   b <- b + learning_rate * error

  On AND it makes 2, 3, 3, 2, 1 and then 0 mistakes: after epoch 6 the line
  0.2*x1 + 0.1*x2 - 0.3 = 0 separates [1, 1] from the rest, and training stops.
- On XOR it never stops making mistakes: from epoch 2 on, every epoch ends with the same
  weights, so the rule goes round in circles forever. The reason is not the learning rate
  or the number of epochs: no straight line separates XOR's 1s from its 0s (the four
  inequalities below contradict each other).
- The way out is a second layer: XOR(a, b) = AND(OR(a, b), NAND(a, b)). Three perceptrons,
  each trained on a linearly separable gate, wired into two layers, compute XOR.

Run it:

    uv run python examples/perceptron_gates.py            # prints the epochs
    uv run python examples/perceptron_gates.py --out      # also draws the decision lines
                                                          # into ./example-output/perceptron_gates/
"""

from __future__ import annotations

import argparse
import itertools
import os
import warnings

import numpy as np

import glassnet as gn
from glassnet.exceptions import ConvergenceWarning

NAME = "perceptron_gates"
LEARNING_RATE = 0.1


def epochs_of(perceptron) -> list:
    """One row per epoch of a perceptron fitted with ``record=True``: mistakes, w and b after it."""
    rows = []
    for epoch, visits in itertools.groupby(perceptron.history_, key=lambda v: v["epoch"]):
        visits = list(visits)
        rows.append({
            "epoch": epoch,
            "errors": [visit["error"] for visit in visits],   # one per sample: -1, 0 or +1
            "mistakes": sum(visit["error"] != 0 for visit in visits),
            "w": visits[-1]["w_after"].astype(float).round(6),
            "b": round(visits[-1]["b_after"], 6),
        })
    return rows


def print_epochs(rows) -> None:
    print(f"  {'epoch':>5}  {'errors per sample':>18}  {'mistakes':>8}  {'w after':>12}  b after")
    for row in rows:
        errors = " ".join(f"{e:+d}" if e else " 0" for e in row["errors"])
        w = "[" + ", ".join(f"{v:.1f}" for v in row["w"]) + "]"
        print(f"  {row['epoch']:>5}  {errors:>18}  {row['mistakes']:>8}  {w:>12}  {row['b']:.1f}")


def learn_and() -> tuple:
    """AND is linearly separable: the rule finds a separating line in a few epochs."""
    X, y = gn.data.and_gate()
    perceptron = gn.Perceptron(learning_rate=LEARNING_RATE).fit(X, y, record=True)
    print("AND: the perceptron rule, epoch by epoch (error = y - prediction)")
    rows = epochs_of(perceptron)
    print_epochs(rows)
    w, b = perceptron.weights_, perceptron.bias_
    print(f"  Converged in epoch {perceptron.n_iter_}: w = {w.astype(float).round(2).tolist()}, "
          f"b = {b:.2f}; predictions {perceptron.predict(X).tolist()} "
          f"(targets {y.tolist()})")
    print(f"  The line {w[0]:.1f}*x1 + {w[1]:.1f}*x2 + ({b:.1f}) = 0 puts [1, 1] alone on "
          f"the firing side.\n")
    return perceptron, rows


def learn_xor(max_epochs: int) -> tuple:
    """XOR is not linearly separable: the rule cycles for ever."""
    X, y = gn.data.xor()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # expected: we explain it below
        perceptron = gn.Perceptron(learning_rate=LEARNING_RATE, max_epochs=max_epochs)
        perceptron.fit(X, y, record=True)
    rows = epochs_of(perceptron)
    print(f"XOR: the same rule, {max_epochs} epochs")
    print_epochs(rows[:4])
    print(f"  ... {len(rows) - 4} more epochs, each with {rows[-1]['mistakes']} mistakes")
    cycle = find_cycle(rows)
    if cycle is not None:
        first, again = cycle
        print(f"  The weights after epoch {again} equal those after epoch {first} "
              f"(w = {rows[first - 1]['w'].tolist()}, b = {rows[first - 1]['b']}): "
              f"the rule is going round in circles and will never stop.")
    accuracy = perceptron.score(X, y)
    print(f"  Predictions {perceptron.predict(X).tolist()} for targets {y.tolist()}: "
          f"accuracy {accuracy:.2f}.")
    print("""
  Why no perceptron can do it: it fires when w1*x1 + w2*x2 + b >= 0. XOR needs
      [0, 0] -> 0:  b < 0
      [0, 1] -> 1:  w2 + b >= 0
      [1, 0] -> 1:  w1 + b >= 0
      [1, 1] -> 0:  w1 + w2 + b < 0
  Adding the middle two gives w1 + w2 + 2b >= 0, so w1 + w2 + b >= -b > 0, which
  contradicts the last line. No weights exist: one straight line cannot put [0, 1] and
  [1, 0] on one side and [0, 0] and [1, 1] on the other.
""")
    return perceptron, rows, cycle, accuracy


def find_cycle(rows):
    """(first epoch, later epoch) with the same weights at their end, or None."""
    seen = {}
    for row in rows:
        state = (tuple(row["w"]), row["b"])
        if state in seen:
            return seen[state], row["epoch"]
        seen[state] = row["epoch"]
    return None


def xor_with_two_layers() -> tuple:
    """XOR(a, b) = AND(OR(a, b), NAND(a, b)): three perceptrons in two layers."""
    X, y_xor = gn.data.xor()
    y_or = gn.data.or_gate()[1]
    y_nand = 1 - gn.data.and_gate()[1]
    or_unit = gn.Perceptron(learning_rate=LEARNING_RATE).fit(X, y_or)
    nand_unit = gn.Perceptron(learning_rate=LEARNING_RATE).fit(X, y_nand)
    hidden = np.column_stack([or_unit.predict(X), nand_unit.predict(X)]).astype(np.float32)
    and_unit = gn.Perceptron(learning_rate=LEARNING_RATE).fit(hidden, y_xor)
    predictions = and_unit.predict(hidden)
    print("XOR with a hidden layer: OR and NAND perceptrons feed an AND perceptron")
    print(f"  {'x':>8}  {'OR':>3} {'NAND':>4}  {'AND of them':>11}  target")
    for x, h, p, t in zip(X.astype(int).tolist(), hidden.astype(int).tolist(),
                          predictions.tolist(), y_xor.tolist()):
        print(f"  {str(x):>8}  {h[0]:>3} {h[1]:>4}  {p:>11}  {t}")
    print("  Each unit learnt a separable gate; together they compute XOR. Training such")
    print("  layers needs gradients (a smooth activation and backpropagation): see")
    print("  examples/xor_from_scratch.py.\n")
    return predictions, y_xor


def plot(and_model, and_rows, xor_model, out_dir) -> list:
    """The AND line after each epoch, and the final (failing) XOR boundary."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    ax_and, ax_xor = fig.subplots(1, 2)
    X, y = gn.data.and_gate()
    gn.viz.plot_decision_boundary(and_model, X, y, resolution=120, ax=ax_and)
    xs = np.linspace(-0.6, 1.6, 2)
    for row in and_rows[:-1]:  # the line w1*x1 + w2*x2 + b = 0 after each epoch
        (w1, w2), b = row["w"], row["b"]
        if w2 != 0:
            final = " (= the final line)" if row["epoch"] == len(and_rows) - 1 else ""
            ax_and.plot(xs, -(w1 * xs + b) / w2, "--", linewidth=1,
                        label=f"after epoch {row['epoch']}{final}")
    ax_and.set_title(f"AND: converged in epoch {and_model.n_iter_}")
    ax_and.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    X, y = gn.data.xor()
    gn.viz.plot_decision_boundary(xor_model, X, y, resolution=120, ax=ax_xor)
    wrong = int(np.sum(xor_model.predict(X) != y))
    ax_xor.set_title(f"XOR: {wrong} of 4 wrong after {xor_model.n_iter_} epochs")
    fig.suptitle("Perceptron learning rule (lr = 0.1, from w = 0, b = 0)")
    path = os.path.join(out_dir, "perceptron_gates.png")
    fig.savefig(path, dpi=100)
    print(f"Wrote {path}")
    return [path]


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: fewer XOR epochs (the result is the same: it cycles from epoch 2).
        out_dir: a directory for the plot, or None for no plot.
    """
    and_model, and_rows = learn_and()
    xor_model, _, cycle, xor_accuracy = learn_xor(max_epochs=10 if fast else 100)
    two_layer_predictions, y_xor = xor_with_two_layers()
    plots = plot(and_model, and_rows, xor_model, out_dir) if out_dir is not None else []
    return {
        "and_errors": and_model.errors_,
        "and_converged": and_model.converged_,
        "and_epochs": and_model.n_iter_,
        "and_weights": and_model.weights_.tolist(),
        "and_bias": and_model.bias_,
        "and_weights_per_epoch": [row["w"].tolist() for row in and_rows],
        "and_bias_per_epoch": [row["b"] for row in and_rows],
        "xor_errors": xor_model.errors_,
        "xor_converged": xor_model.converged_,
        "xor_accuracy": xor_accuracy,
        "xor_cycle": cycle,
        "xor_two_layer_predictions": two_layer_predictions.tolist(),
        "xor_targets": y_xor.tolist(),
        "plots": plots,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a quick run (used by the tests)")
    parser.add_argument("--out", nargs="?", const=os.path.join("example-output", NAME),
                        default=None, metavar="DIR",
                        help=f"write the plots into DIR (default example-output/{NAME})")
    arguments = parser.parse_args()
    main(fast=arguments.fast, out_dir=arguments.out)
