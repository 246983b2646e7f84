"""The tutorials' students table, Keras style: hours studied and slept -> pass or fail.

What it teaches:

- The tutorials' Keras code runs on glassnet with only the import changed:
  ``Sequential()``, ``add(Dense(5, input_shape=(2,), activation="relu"))``,
  ``add(Dense(1, activation="sigmoid"))``, ``compile(optimizer="adam",
  loss="binary_crossentropy", metrics=["accuracy"])``, ``fit(..., epochs=200)``,
  ``evaluate``, ``predict`` and a 0.5 threshold for the new students.
- Read the data before the model: 15 students, and two of them break the pattern (8 hours
  of study failed, 3 hours passed). No sensible model gets everyone right.
- Scaling the inputs (``gn.data.standardize``: mean 0, std 1, statistics from the
  training rows only) makes the same model train much faster.
- With 15 rows, a test set of 5 students measures accuracy in steps of 0.2, and one odd
  student moves it by 0.2. Leave-one-out cross-validation (train on 14, test on the 15th,
  15 times) uses every student for testing once; it also shows that training longer makes
  the network memorise the odd students and predict worse on new ones (overfitting).

Run it:

    uv run python examples/students_pass_fail.py          # prints the results
    uv run python examples/students_pass_fail.py --out    # also plots the training curves
                                                          # and the pass/fail regions into
                                                          # ./example-output/students_pass_fail/
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import glassnet as gn
from glassnet import optim
from glassnet.nn import Dense

Sequential = gn.Sequential
NAME = "students_pass_fail"


def tutorial(X, y, epochs: int) -> dict:
    """The tutorials' code, line for line (only the import is glassnet's)."""
    X_train, X_test, y_train, y_test = gn.data.train_test_split(
        X, y, test_size=0.3, random_state=42
    )
    model = Sequential()
    model.add(Dense(5, input_shape=(2,), activation="relu"))   # input + hidden layer (5 nodes)
    model.add(Dense(1, activation="sigmoid"))                  # output: P(pass)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=epochs, verbose=0)
    loss, acc = model.evaluate(X_test, y_test, verbose=0)
    print(f"The tutorial's model ({epochs} epochs on 10 students): test loss {loss:.3f}, "
          f"test accuracy {acc:.2f} on {len(y_test)} students")

    new_students = np.array([[2, 7], [6, 5], [4, 3]], dtype=float)
    pred = model.predict(new_students)
    pred_labels = (pred > 0.5).astype(int)
    for student, p, label in zip(new_students, pred[:, 0], pred_labels[:, 0]):
        print(f"  new student, {student[0]:.0f} h study and {student[1]:.0f} h sleep: "
              f"P(pass) = {p:.2f} -> {'pass' if label else 'fail'}")
    print()
    model.summary()
    print()
    return {"test_loss": loss, "test_accuracy": acc, "new_students": pred[:, 0].tolist(),
            "history": history.history, "n_test": len(y_test)}


def show_data(X, y) -> None:
    print("The 15 students, by hours of study:")
    order = np.argsort(X[:, 0], kind="stable")
    for i in order:
        remark = ""
        if y[i] == 0 and X[i, 0] >= 6:
            remark = "   <- studied a lot and failed"
        if y[i] == 1 and X[i, 0] <= 3:
            remark = "   <- studied little and passed"
        print(f"  study {X[i, 0]:.0f} h, sleep {X[i, 1]:.0f} h: {'pass' if y[i] else 'fail'}"
              f"{remark}")
    print()


def build_model(learning_rate: float = 0.03):
    """The tutorials' 2-5-1 network, with Adam's learning rate raised for tiny data."""
    model = Sequential([
        Dense(5, input_shape=(2,), activation="relu"),
        Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=optim.Adam(learning_rate=learning_rate),
                  loss="binary_crossentropy", metrics=["accuracy"])
    return model


def raw_against_scaled(X, y, epochs: int) -> dict:
    """The same model on raw hours and on standardised hours: the training loss per epoch."""
    X_scaled, mean, std = gn.data.standardize(X)
    print(f"Standardised inputs: (hours - mean) / std with mean "
          f"{mean.astype(float).round(2).tolist()}, std {std.astype(float).round(2).tolist()}")
    results = {}
    for name, inputs in (("raw hours", X), ("standardised", X_scaled)):
        gn.seed(0)  # the same initial weights for both
        model = build_model()
        history = model.fit(inputs, y, epochs=epochs, batch_size=len(X), verbose=0)
        results[name] = history.history
        print(f"  {name:<13} training loss after {epochs} epochs: "
              f"{history.history['loss'][-1]:.3f}, accuracy {history.history['accuracy'][-1]:.2f}")
    print()
    return results


def leave_one_out(X, y, epochs: int) -> dict:
    """Train on 14 students, predict the 15th; once for every student."""
    gn.seed(0)
    correct = []
    for i in range(len(X)):
        train = np.arange(len(X)) != i
        X_train, mean, std = gn.data.standardize(X[train])   # statistics of the 14 only
        model = build_model()
        model.fit(X_train, y[train], epochs=epochs, batch_size=len(X_train), verbose=0)
        X_left_out = gn.data.standardize(X[i:i + 1], mean, std)[0]
        predicted = int(model.predict(X_left_out)[0, 0] > 0.5)
        correct.append(predicted == y[i])
    correct = np.array(correct)
    wrong = np.flatnonzero(~correct).tolist()
    wrong_students = [X[i].astype(int).tolist() for i in wrong]
    print(f"  {epochs:>4} epochs: accuracy {correct.mean():.2f} ({correct.sum()} of {len(X)}); "
          f"wrong on students {wrong_students}")
    return {"accuracy": float(correct.mean()), "wrong": wrong}


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: fewer epochs and two leave-one-out runs instead of three.
        out_dir: a directory for the plots, or None for no plots.
    """
    gn.seed(0)
    X, y = gn.data.students()
    results = {"tutorial": tutorial(X, y, epochs=200)}
    show_data(X, y)
    results["raw_vs_scaled"] = raw_against_scaled(X, y, epochs=100 if fast else 200)

    print("Leave-one-out cross-validation (standardised inputs):")
    epoch_counts = (50, 200) if fast else (25, 50, 200)
    results["leave_one_out"] = {n: leave_one_out(X, y, n) for n in epoch_counts}
    print("Too short and the boundary is still rough (underfitting); trained longer, the")
    print("network bends its boundary around the odd students it sees and mispredicts other")
    print("students near them (overfitting). With 15 rows, the number of epochs matters.\n")

    results["plots"] = plot(X, y, results["raw_vs_scaled"], out_dir) if out_dir else []
    return results


def plot(X, y, histories, out_dir) -> list:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    path = os.path.join(out_dir, "students_training.png")
    fig = Figure(figsize=(10, 4), layout="constrained")
    for ax, key in zip(fig.subplots(1, 2), ("loss", "accuracy")):
        for name, history in histories.items():
            ax.plot(np.arange(1, len(history[key]) + 1), history[key], label=name)
        ax.set(title=f"training {key}", xlabel="epoch", ylabel=key)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle("The same model on raw and on standardised inputs (all 15 students)")
    fig.savefig(path, dpi=100)
    paths.append(path)

    # the pass/fail regions of a model trained on all 15 students, in hours
    gn.seed(0)
    X_scaled, mean, std = gn.data.standardize(X)
    model = build_model()
    model.fit(X_scaled, y, epochs=50, batch_size=len(X), verbose=0)
    path = os.path.join(out_dir, "students_boundary.png")
    fig = gn.viz.plot_decision_boundary(
        lambda hours: model.predict(gn.data.standardize(hours, mean, std)[0]), X, y,
        resolution=150)
    ax = fig.axes[0]
    ax.set_xlabel("hours of study")
    ax.set_ylabel("hours of sleep")
    ax.set_title("P(pass) of the 2-5-1 network (50 epochs, standardised inputs)")
    fig.savefig(path, dpi=100)
    paths.append(path)
    for path in paths:
        print(f"Wrote {path}")
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a quick run (used by the tests)")
    parser.add_argument("--out", nargs="?", const=os.path.join("example-output", NAME),
                        default=None, metavar="DIR",
                        help=f"write the plots into DIR (default example-output/{NAME})")
    arguments = parser.parse_args()
    main(fast=arguments.fast, out_dir=arguments.out)
