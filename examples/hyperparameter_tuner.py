"""Hyperparameter search: learning rate, hidden sizes, batch size and dropout, by random search.

What it teaches:

- Hyperparameters are the choices training does not learn: the learning rate, the
  layers' sizes, the batch size, the dropout rate. The tutorials' table of starting
  points (Adam lr 0.001, batch 32-128, dropout 0.2-0.3) is where a search begins.
- A search is a plain loop: for each candidate, build a fresh Keras-style model, train it,
  and score it on a validation set. Grid search tries every combination of the values
  below (3 * 3 * 3 * 2 = 54 here); random search tries a random sample of them, which
  finds good settings with far fewer runs when only some hyperparameters matter.
- Three sets of data, three jobs: train on the training set, choose on the validation set,
  and report the chosen model's accuracy on the test set, used once at the very end.
  Choosing on the test set would make its accuracy an optimistic guess.
- For real searches, glassnet's ``gn.tune`` (Optuna underneath, ``pip install
  'glassnet[tune]'``) samples the next trial from the results so far, stops hopeless
  trials early and can share one study between several machines; this example keeps the
  loop in plain sight instead.

Run it:

    uv run python examples/hyperparameter_tuner.py            # 12 random trials, 20 epochs each
    uv run python examples/hyperparameter_tuner.py --fast     # 4 trials, 3 epochs each
    uv run python examples/hyperparameter_tuner.py --out      # also a plot of the results,
                                                              # in ./example-output/
                                                              #    hyperparameter_tuner/
"""

from __future__ import annotations

import argparse
import itertools
import os

import numpy as np

import glassnet as gn
from glassnet import nn, optim

NAME = "hyperparameter_tuner"

SEARCH_SPACE = {
    "learning_rate": [0.001, 0.003, 0.01],
    "hidden": [(32,), (64,), (64, 32)],
    "batch_size": [16, 32, 64],
    "dropout": [0.0, 0.2],
}


def build_model(learning_rate: float, hidden: tuple, dropout: float, **unused):
    """A fresh Keras-style digits classifier for one set of hyperparameters."""
    layers = []
    for units in hidden:
        layers.append(nn.Dense(units, activation="relu"))
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Dense(10, activation="softmax"))
    model = gn.Sequential(layers)
    model.compile(optimizer=optim.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def all_combinations(space: dict) -> list:
    """The grid: every combination of the values, as a list of dicts."""
    names = list(space)
    return [dict(zip(names, values)) for values in itertools.product(*space.values())]


def random_search(X_train, y_train, X_val, y_val, trials: int, epochs: int, seed: int = 0):
    """Train ``trials`` models with settings drawn from the grid; score each on validation."""
    grid = all_combinations(SEARCH_SPACE)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(grid), size=trials, replace=False)
    print(f"Random search: {trials} of the {len(grid)} combinations, {epochs} epochs each\n")
    results = []
    for trial, index in enumerate(chosen, start=1):
        params = grid[index]
        gn.seed(trial)                     # each trial repeatable on its own
        model = build_model(**params)
        history = model.fit(X_train, y_train, epochs=epochs, batch_size=params["batch_size"],
                            validation_data=(X_val, y_val), verbose=0)
        val_loss, val_accuracy = model.evaluate(X_val, y_val, verbose=0)
        results.append({"trial": trial, **params, "val_accuracy": val_accuracy,
                        "val_loss": val_loss, "history": history.history, "model": model})
        print(f"  trial {trial:>2}: {describe(params):<50} val accuracy {val_accuracy:.3f}")
    return results


def describe(params: dict) -> str:
    hidden = "-".join(str(units) for units in params["hidden"])
    return (f"lr {params['learning_rate']:g}, hidden {hidden}, batch {params['batch_size']}, "
            f"dropout {params['dropout']:g}")


def print_table(results) -> None:
    print("\nResults, best first:")
    print(f"  {'rank':>4} {'trial':>5} {'learning rate':>13} {'hidden':>7} {'batch':>5} "
          f"{'dropout':>7} {'val loss':>8} {'val acc':>7}")
    ranked = sorted(results, key=lambda r: (-r["val_accuracy"], r["val_loss"]))
    for rank, r in enumerate(ranked, start=1):
        hidden = "-".join(str(units) for units in r["hidden"])
        print(f"  {rank:>4} {r['trial']:>5} {r['learning_rate']:>13g} {hidden:>7} "
              f"{r['batch_size']:>5} {r['dropout']:>7g} {r['val_loss']:>8.3f} "
              f"{r['val_accuracy']:>7.3f}")
    print()


def main(fast: bool = False, out_dir=None, trials: int | None = None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: 4 trials of 3 epochs instead of 12 trials of 20 epochs.
        out_dir: a directory for the plot, or None for no plot.
        trials: the number of random trials (overrides the default of the mode).
    """
    X, y = gn.data.load_digits()
    X = X / 16.0
    # 60% training, 20% validation (to choose), 20% test (to report once)
    X_rest, X_test, y_rest, y_test = gn.data.train_test_split(
        X, y, test_size=0.2, random_state=0, stratify=y)
    X_train, X_val, y_train, y_val = gn.data.train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=0, stratify=y_rest)
    print(f"Digits: {len(X_train)} training, {len(X_val)} validation, {len(X_test)} test rows")
    trials = trials if trials is not None else (4 if fast else 12)
    epochs = 3 if fast else 20

    results = random_search(X_train, y_train, X_val, y_val, trials, epochs)
    print_table(results)
    best = max(results, key=lambda r: (r["val_accuracy"], -r["val_loss"]))
    _, test_accuracy = best["model"].evaluate(X_test, y_test, verbose=0)   # [loss, accuracy]
    print(f"Chosen on validation: trial {best['trial']} ({describe(best)}).")
    print(f"Its test accuracy, measured once: {test_accuracy:.3f}\n")

    plots = plot(results, best, out_dir) if out_dir is not None else []
    table = [{key: r[key] for key in ("trial", "learning_rate", "hidden", "batch_size",
                                      "dropout", "val_loss", "val_accuracy")}
             for r in results]
    return {
        "results": table,
        "best": {key: best[key] for key in SEARCH_SPACE},
        "best_val_accuracy": best["val_accuracy"],
        "test_accuracy": test_accuracy,
        "plots": plots,
    }


def plot(results, best, out_dir) -> list:
    """Validation accuracy per trial (bars) and per epoch (curves)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    fig = Figure(figsize=(13, 0.4 * len(results) + 3), layout="constrained")
    ax_bars, ax_curves = fig.subplots(1, 2, width_ratios=[1.2, 1])
    ranked = sorted(results, key=lambda r: r["val_accuracy"])
    labels = [f"#{r['trial']}: {describe(r)}" for r in ranked]
    colors = ["C3" if r is best else "C0" for r in ranked]
    ax_bars.barh(labels, [r["val_accuracy"] for r in ranked], color=colors)
    for position, r in enumerate(ranked):
        ax_bars.text(r["val_accuracy"], position, f" {r['val_accuracy']:.3f}", va="center",
                     fontsize=8)
    low = min(r["val_accuracy"] for r in results)
    ax_bars.set_xlim(max(0.0, low - 0.1), 1.02)
    ax_bars.set(title="Validation accuracy per trial (red: chosen)", xlabel="validation accuracy")
    ax_bars.tick_params(axis="y", labelsize=8)
    ax_bars.grid(axis="x", alpha=0.3)
    for r in results:
        values = r["history"]["val_accuracy"]
        ax_curves.plot(np.arange(1, len(values) + 1), values,
                       color="C3" if r is best else "0.6", linewidth=2.5 if r is best else 1,
                       label=f"trial {r['trial']} (chosen)" if r is best else None)
    ax_curves.set(title="Validation accuracy while training", xlabel="epoch",
                  ylabel="validation accuracy")
    ax_curves.xaxis.get_major_locator().set_params(integer=True)
    ax_curves.grid(alpha=0.3)
    ax_curves.legend()
    fig.suptitle("Random search over learning rate, hidden sizes, batch size and dropout")
    path = os.path.join(out_dir, "hyperparameter_search.png")
    fig.savefig(path, dpi=100)
    print(f"Wrote {path}")
    return [path]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a quick run (used by the tests)")
    parser.add_argument("--out", nargs="?", const=os.path.join("example-output", NAME),
                        default=None, metavar="DIR",
                        help=f"write the plots into DIR (default example-output/{NAME})")
    parser.add_argument("--trials", type=int, default=None,
                        help="number of random trials (default 12, or 4 with --fast)")
    arguments = parser.parse_args()
    main(fast=arguments.fast, out_dir=arguments.out, trials=arguments.trials)
