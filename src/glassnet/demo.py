"""``glassnet demo``: the main job, on built-in data, with no network access.

``glassnet demo`` (``run_digits_demo``) trains a digits classifier: 1797 handwritten
digits of 8x8 pixels, shipped with glassnet; 80% to train on and 20% held out (test_size
0.2, random_state 42). The pixels are scaled to z = (x - mean) / std, with one mean and
std for all of them (they share a unit: ink, 0..16). The network is 64 pixels -> 128 ReLU
-> 64 ReLU -> 10 softmax, with dropout 0.2, trained by Adam on the sparse categorical
cross-entropy; after training the scaling is folded into the first layer, so the saved
model reads raw pixels. The demo prints the model summary, a progress display, the test
accuracy (about 0.98) and the confusion matrix, and writes into ./glassnet-demo/:

    model.glassnet          the trained model (gn.load it, or use glassnet predict/explain)
    test.csv                the 360 test images as pixel columns plus the digit
    metrics.json            test loss and accuracy, the confusion matrix, the settings
    history.json            loss and accuracy per epoch (glassnet plot history)
    history.png             the training curves
    confusion_matrix.png    true digit against predicted digit
    digits.png              test images with predicted and true labels, mistakes in red
    weights.png             histograms of each layer's weights and biases

``glassnet demo xor`` (``run_xor_demo``) tells the older story: a perceptron learns AND
but not XOR; a 2-4-1 network learns XOR by backpropagation.
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

import glassnet as gn
from glassnet import functional as F

__all__ = ["DIGITS_NETWORK", "run_digits_demo", "run_xor_demo"]

#: hidden layer sizes of the digits network (dropout 0.2 after each)
DIGITS_NETWORK = (128, 64)


# ----------------------------------------------------------------------------- digits


def _train_digits(X_train, y_train, seed: int, epochs: int, verbose, out):
    """Build, summarise and train the digits network on standardised pixels."""
    from glassnet.commands.train import build_network

    gn.seed(seed)
    model = build_network(64, 10, DIGITS_NETWORK, "relu", "softmax", dropout=0.2)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.summary(print_fn=out)
    out("")
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=32,
                        validation_split=0.1, verbose=verbose)
    return model, history


def run_digits_demo(out_dir="glassnet-demo", seed: int = 0, epochs: int = 40,
                    verbose="auto", plots: bool = True, out=print) -> dict:
    """Train the digits classifier, report it and write its files (see the module doc).

    Args:
        out_dir: the folder for the files (created if missing).
        seed: seeds the weights, dropout and shuffling (the split is fixed: 42).
        epochs: passes over the training images.
        verbose: the progress display: 0, 1 (a bar), 2 (a line per epoch) or "auto".
        plots: draw the PNGs (needs matplotlib; skipped with a note when it is missing).
        out: where the text goes (``print`` by default).

    Returns:
        The metrics written to metrics.json.

    Example:
        One quick epoch, no plots, no text:

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     metrics = run_digits_demo(tmp, epochs=1, verbose=0, plots=False,
        ...                               out=lambda line: None)
        ...     sorted(os.listdir(tmp))
        ['history.json', 'metrics.json', 'model.glassnet', 'test.csv']
        >>> metrics["epochs"], metrics["train_rows"], metrics["test_rows"]
        (1, 1437, 360)
    """
    from glassnet.commands import common
    from glassnet.commands.train import fold_scaling
    from glassnet.data import load_digits, train_test_split
    from glassnet.training.metrics import confusion_matrix

    started = time.perf_counter()
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42,
                                                        stratify=y)
    out(f"Digits: {len(X)} handwritten digits of 8x8 pixels (built in); training on "
        f"{len(X_train)}, testing on {len(X_test)}\n")
    # all pixels share one unit (ink, 0..16): one mean and std for all of them
    mean, std = float(X_train.mean()), float(X_train.std())
    X_scaled = (X_train - mean) / std
    model, history = _train_digits(X_scaled, y_train, seed, epochs, verbose, out)
    trained = _weights_as_trained(model)
    fold_scaling(model, np.full(64, mean), np.full(64, std))  # the saved model reads raw pixels
    loss, accuracy = model.evaluate(X_test, y_test, verbose=0)
    predicted = model.predict(X_test).argmax(axis=1)
    matrix = confusion_matrix(y_test, predicted, num_classes=10)
    seconds = time.perf_counter() - started
    out(f"\nTest accuracy: {accuracy:.4f} ({int(np.trace(matrix))} of {len(y_test)} right), "
        f"test loss {loss:.4f}, {seconds:.1f} s")
    out("Confusion matrix (rows: true digit, columns: predicted digit):")
    for line in common.confusion_lines(matrix, range(10)):
        out("  " + line)

    metrics = {"dataset": "digits (built in), test_size 0.2, random_state 42",
               "network": f"64-{'-'.join(map(str, DIGITS_NETWORK))}-10, relu, dropout 0.2",
               "seed": seed, "epochs": len(history.history["loss"]),
               "train_rows": len(X_train), "test_rows": len(X_test),
               "test_loss": loss, "test_accuracy": accuracy,
               "confusion_matrix": matrix.tolist(), "seconds": round(seconds, 2)}
    written = _write_files(out_dir, model, history, metrics, (X_test, y_test, predicted),
                           trained if plots else None, out)
    out(f"\nWrote into {out_dir}{os.sep}: {', '.join(written)}")
    out("Next, try:")
    model_path, test_path = (os.path.join(out_dir, name) for name in ("model.glassnet",
                                                                      "test.csv"))
    out(f"  glassnet explain {model_path} {test_path} --row 0")
    out(f"  glassnet predict {model_path} {test_path} --out predictions.csv")
    return metrics


def _weights_as_trained(model) -> dict:
    """Copies of the weights before the input scaling is folded in, named for plot_weights.

    (Folding divides the first layer's weights by the pixels' std and moves the mean into
    its bias, which hides the shape of the weight distribution the histograms should show.)
    """
    return {f"layer {name} ({type(layer).__name__}).{kind}": param.data.copy()
            for name, layer in model.named_children()
            for kind, param in layer.named_parameters()}


def _write_files(out_dir, model, history, metrics, test, trained, out) -> list:
    """Write the model, the test images, the metrics and (with ``trained``) the plots."""
    from glassnet.commands import common, models

    os.makedirs(out_dir, exist_ok=True)
    path = lambda name: os.path.join(out_dir, name)  # noqa: E731
    X_test, y_test, _ = test
    names = [f"pixel_{row}_{col}" for row in range(8) for col in range(8)]
    models.save_model_file(model, path("model.glassnet"),
                           models.ModelInfo("classify", "digit", names, list(range(10))))
    common.write_csv(path("test.csv"), names + ["digit"],
                     np.column_stack([X_test.astype(np.int64), y_test]).tolist())
    common.write_json(path("metrics.json"), metrics)
    common.write_json(path("history.json"), {key: [float(v) for v in values]
                                             for key, values in history.history.items()})
    written = ["model.glassnet", "test.csv", "metrics.json", "history.json"]
    if trained is not None:
        try:
            written += _write_plots(out_dir, history, metrics, test, trained)
        except ImportError as error:
            out(f"(plots skipped: {error})")
    return written


def _write_plots(out_dir, history, metrics, test, trained) -> list:
    from glassnet import viz
    from glassnet.io import atomic_write

    path = lambda name: os.path.join(out_dir, name)  # noqa: E731
    X_test, y_test, predicted = test
    viz.plot_history(history, path=path("history.png"))
    viz.plot_confusion_matrix(np.array(metrics["confusion_matrix"]),
                              path=path("confusion_matrix.png"))
    wrong = np.flatnonzero(predicted != y_test)
    right = np.flatnonzero(predicted == y_test)
    shown = np.concatenate([wrong[:10], right[:20 - min(len(wrong), 10)]])
    viz.plot_digits(X_test[shown], y_test[shown], predicted[shown], n=len(shown),
                    path=path("digits.png"))
    figure = viz.plot_weights(trained)
    figure.suptitle("Weights and biases after training (inputs: scaled pixels)")
    with atomic_write(path("weights.png")) as file:
        figure.savefig(file, format="png", dpi=100)
    return ["history.png", "confusion_matrix.png", "digits.png", "weights.png"]


# ----------------------------------------------------------------------------- XOR


def _perceptron_story(out) -> None:
    from glassnet.data import and_gate, xor
    from glassnet.perceptron import Perceptron

    out("1. A perceptron: z = w.x + b, output 1 if z >= 0 else 0, learned by Rosenblatt's rule")
    for name, (X, y) in (("AND", and_gate()), ("XOR", xor())):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            p = Perceptron(learning_rate=0.1, max_epochs=20).fit(X, y)
        verdict = (f"converged after {p.n_iter_} epochs" if p.converged_
                   else "did not converge: no straight line separates XOR's classes")
        out(f"   {name}: predictions {p.predict(X).tolist()} (targets {y.tolist()}), {verdict}")
        for warning in caught:
            out(f"   warning: {warning.message}")


def _xor_network_story(out, seed: int, steps: int = 2000, lr: float = 1.0) -> None:
    from glassnet.data import xor

    out("2. A 2-4-1 network (tanh hidden layer, sigmoid output) trained by gradient descent")
    X, y = xor()
    rng = np.random.default_rng(seed)
    W1 = gn.tensor(rng.normal(0, 0.5, (2, 4)), requires_grad=True)
    b1 = gn.zeros(4, requires_grad=True)
    W2 = gn.tensor(rng.normal(0, 0.5, (4, 1)), requires_grad=True)
    b2 = gn.zeros(1, requires_grad=True)
    x, target = gn.tensor(X), gn.tensor(y.reshape(-1, 1).astype(np.float32))
    for step in range(steps + 1):
        hidden = F.tanh(F.linear(x, W1, b1))
        logits = F.linear(hidden, W2, b2)
        loss = F.binary_cross_entropy_with_logits(logits, target)
        for p in (W1, b1, W2, b2):
            p.zero_grad()
        loss.backward()
        with gn.no_grad():
            for p in (W1, b1, W2, b2):
                p.data -= lr * p.grad
        if step % 500 == 0:
            out(f"   step {step:4d}  loss {loss.item():.4f}")
    with gn.no_grad():
        probabilities = F.sigmoid(F.linear(F.tanh(F.linear(x, W1, b1)), W2, b2)).data.ravel()
    for inputs, p, t in zip(X.astype(int).tolist(), probabilities, y):
        out(f"   {inputs} -> {p:.3f} (rounded {int(p > 0.5)}, target {t})")


def run_xor_demo(seed: int = 0, out=print) -> None:
    """The perceptron on AND and XOR, then a 2-4-1 network learning XOR.

    Example:
        >>> lines = []
        >>> run_xor_demo(out=lines.append)
        >>> lines[1]
        '   AND: predictions [0, 0, 0, 1] (targets [0, 0, 0, 1]), converged after 6 epochs'
    """
    _perceptron_story(out)
    out("")
    _xor_network_story(out, seed)
