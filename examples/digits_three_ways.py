"""Handwritten digits three ways: Keras style, PyTorch style and scikit-learn style.

What it teaches:

- The same task (8x8 images of digits 0-9, 1797 of them, shipped with glassnet) through
  glassnet's three front doors, which all drive one engine:

  * Keras style: ``gn.Sequential([...])``, ``compile``, ``fit``, ``evaluate``. The loop,
    the batches and the metrics are done for you.
  * PyTorch style: a ``nn.Module`` subclass, a ``DataLoader`` of mini-batches and the loop
    written out: forward, loss, ``zero_grad``, ``backward``, ``step``; ``model.eval()`` and
    ``gn.no_grad()`` for the test.
  * scikit-learn style: ``glassnet.sklearn.MLPClassifier(...).fit(X, y).score(X, y)``, the
    tutorials' scikit-learn code with only the import changed (needs scikit-learn).

- The usual steps around any of them: scale the inputs (pixels 0..16 -> 0..1), hold out a
  test set (stratified: every digit in the same proportion), and judge on the test set
  only. Each way reaches 96-97% test accuracy; the confusion matrix shows which digits
  are still confused.

Run it:

    uv run python examples/digits_three_ways.py            # trains all three, prints accuracies
    uv run python examples/digits_three_ways.py --fast     # a few epochs only
    uv run python examples/digits_three_ways.py --out      # also the training curves, the
                                                           # confusion matrix and the mistakes,
                                                           # in ./example-output/digits_three_ways/
"""

from __future__ import annotations

import argparse
import os
import warnings

import numpy as np

import glassnet as gn
import glassnet.functional as F
from glassnet import nn, optim
from glassnet.exceptions import ConvergenceWarning

NAME = "digits_three_ways"


def load_data():
    """Digits scaled to [0, 1], split 80/20 with every digit in the same proportion."""
    X, y = gn.data.load_digits()
    X = X / 16.0                      # pixel values 0..16 -> 0..1
    return gn.data.train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)


# --------------------------------------------------------------------------- Keras style


def keras_style(X_train, y_train, X_test, y_test, epochs: int):
    model = gn.Sequential([
        nn.Dense(128, activation="relu"),            # the input width (64) is read from the data
        nn.Dropout(0.1),
        nn.Dense(10, activation="softmax"),          # one probability per digit
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=32,
                        validation_split=0.1, verbose=0)
    _, accuracy = model.evaluate(X_test, y_test, verbose=0)      # [loss, accuracy]
    predicted = model.predict(X_test).argmax(axis=1)
    return accuracy, predicted, history


# --------------------------------------------------------------------------- PyTorch style


class DigitNet(nn.Module):
    """64 pixels -> 128 ReLU units -> 10 scores (logits; the loss applies the softmax)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


def pytorch_style(X_train, y_train, X_test, y_test, epochs: int):
    model = DigitNet()
    loader = gn.data.DataLoader(gn.data.TensorDataset(X_train, y_train), batch_size=32,
                                shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for X_batch, y_batch in loader:
            logits = model(X_batch)
            loss = loss_fn(logits, y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(X_batch)
        losses.append(total / len(X_train))
    model.eval()
    with gn.no_grad():
        predicted = model(gn.tensor(X_test)).numpy().argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test))
    return accuracy, predicted, losses


# --------------------------------------------------------------------------- scikit-learn style


def sklearn_style(X_train, y_train, X_test, y_test, max_iter: int):
    """The tutorials' MLPClassifier code; None when scikit-learn is not installed."""
    try:
        from glassnet.sklearn import MLPClassifier
    except ImportError as error:
        print(f"scikit-learn style: skipped ({error})")
        return None, None
    mlp = MLPClassifier(hidden_layer_sizes=(100, 50), activation="relu", max_iter=max_iter,
                        random_state=42)
    with warnings.catch_warnings():
        # a short (--fast) run stops at max_iter before the stopping rule: that is expected
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X_train, y_train)
    predicted = mlp.predict(X_test)
    return float(np.mean(predicted == y_test)), predicted


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: 5 epochs (10 for MLPClassifier), about 0.92 accuracy, instead of 50 epochs
            (MLPClassifier: up to 200, until its stopping rule), about 0.96-0.97.
        out_dir: a directory for the plots, or None for no plots.
    """
    gn.seed(0)
    X_train, X_test, y_train, y_test = load_data()
    print(f"Digits: {len(X_train)} training and {len(X_test)} test images of 8x8 pixels\n")
    epochs = 5 if fast else 50

    keras_accuracy, keras_predicted, history = keras_style(X_train, y_train, X_test, y_test,
                                                           epochs)
    print(f"Keras style   (Sequential, compile, fit):      test accuracy {keras_accuracy:.3f}")
    torch_accuracy, torch_predicted, torch_losses = pytorch_style(X_train, y_train, X_test,
                                                                  y_test, epochs)
    print(f"PyTorch style (Module, DataLoader, your loop): test accuracy {torch_accuracy:.3f}")
    sklearn_accuracy, _ = sklearn_style(X_train, y_train, X_test, y_test,
                                                        max_iter=10 if fast else 200)
    if sklearn_accuracy is not None:
        print(f"scikit-learn style (MLPClassifier.fit):        test accuracy "
              f"{sklearn_accuracy:.3f}")

    matrix = gn.metrics.confusion_matrix(y_test, keras_predicted)
    off_diagonal = matrix - np.diag(np.diag(matrix))
    true_digit, predicted_digit = np.unravel_index(np.argmax(off_diagonal), matrix.shape)
    print(f"\nThe Keras-style model's most frequent mistake: {off_diagonal.max()} time(s) a "
          f"{true_digit} taken for a {predicted_digit}.\n")

    plots = []
    if out_dir is not None:
        plots = plot(history, y_test, keras_predicted, X_test, torch_predicted, out_dir)
    return {
        "accuracies": {"keras": keras_accuracy, "pytorch": torch_accuracy,
                       "sklearn": sklearn_accuracy},
        "history": history.history,
        "pytorch_losses": torch_losses,
        "confusion_matrix": matrix,
        "plots": plots,
    }


def plot(history, y_test, keras_predicted, X_test, torch_predicted, out_dir) -> list:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, name) for name in
             ("keras_history.png", "confusion_matrix.png", "pytorch_mistakes.png")]
    gn.viz.plot_history(history, path=paths[0])
    gn.viz.plot_confusion_matrix(y_test, keras_predicted, path=paths[1])
    # the PyTorch-style model's mistakes first, then some digits it got right
    wrong = np.flatnonzero(torch_predicted != y_test)
    right = np.flatnonzero(torch_predicted == y_test)
    shown = np.concatenate([wrong[:10], right[:20 - min(len(wrong), 10)]])
    gn.viz.plot_digits(X_test[shown], y_true=y_test[shown], y_pred=torch_predicted[shown],
                       path=paths[2])
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
