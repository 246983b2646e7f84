"""A small convolutional network on the 8x8 digits, Keras style (images NHWC).

What it teaches:

- A convolution slides small filters (3x3 here) over the image; each filter is one set of
  9 weights (per input channel) reused at every position, so it finds the same pattern
  (an edge, a stroke end) wherever it is, with very few weights.
- Images keep their shape: (batch, height, width, channels) = (N, 8, 8, 1), as Keras
  stores them. The network: ``Conv2D(16, 3, padding="same")`` -> ``MaxPool2D(2)`` (8x8 ->
  4x4) -> ``Conv2D(32, 3)`` (4x4 -> 2x2) -> ``Flatten`` -> ``Dense(10, softmax)``.
  ``model.summary()`` shows each layer's output shape and its weights: about 6,000 in all,
  fewer than one 64 -> 128 dense layer.
- It reaches about 97% test accuracy; the plots show the 16 learnt 3x3 filters and what
  each makes of one digit (its feature maps).

Run it:

    uv run python examples/convnet_digits.py            # trains and prints the accuracy
    uv run python examples/convnet_digits.py --fast     # 4 epochs
    uv run python examples/convnet_digits.py --out      # also plots filters, feature maps and
                                                        # the training curves into
                                                        # ./example-output/convnet_digits/
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import glassnet as gn
from glassnet import nn

NAME = "convnet_digits"


def build_model():
    model = gn.Sequential([
        nn.Conv2D(16, 3, padding="same", activation="relu"),   # 16 filters of 3x3: 8x8x16
        nn.MaxPool2D(2),                                        # max of each 2x2: 4x4x16
        nn.Conv2D(32, 3, activation="relu"),                    # 32 filters of 3x3x16: 2x2x32
        nn.Flatten(),                                           # 128 numbers
        nn.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: 4 epochs instead of 20.
        out_dir: a directory for the plots, or None for no plots.
    """
    gn.seed(0)
    X, y = gn.data.load_digits()
    images = (X / 16.0).reshape(-1, 8, 8, 1)        # NHWC: one channel (grey)
    X_train, X_test, y_train, y_test = gn.data.train_test_split(
        images, y, test_size=0.2, random_state=42, stratify=y)
    print(f"Digits as images: train {X_train.shape}, test {X_test.shape} (N, H, W, C)\n")

    model = build_model()
    epochs = 4 if fast else 20
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=32, validation_split=0.1,
                        verbose=0)
    model.summary()
    test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
    print(f"\nTest accuracy after {epochs} epochs: {test_accuracy:.3f}")

    first_conv = model.layers[0]
    print(f"First layer's kernel: shape {first_conv.weight.shape} "
          f"(height, width, input channels, filters)\n")
    plots = plot(model, history, X_test, y_test, out_dir) if out_dir is not None else []
    return {"test_accuracy": test_accuracy, "test_loss": test_loss,
            "history": history.history, "parameters": model.num_parameters(),
            "plots": plots}


def plot(model, history, X_test, y_test, out_dir) -> list:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, name) for name in ("convnet_history.png",
                                                      "convnet_filters.png")]
    gn.viz.plot_history(history, path=paths[0])

    conv = model.layers[0]
    kernel = conv.weight.numpy()[:, :, 0, :]                # (3, 3, 16)
    digit = X_test[:1]                                       # one test image, (1, 8, 8, 1)
    with gn.no_grad():
        maps = conv(gn.tensor(digit)).numpy()[0]             # (8, 8, 16) after ReLU
    fig = Figure(figsize=(12, 3.2), layout="constrained")
    top, bottom = fig.subfigures(2, 1)
    top.suptitle("The 16 learnt 3x3 filters of the first layer (blue > 0, red < 0)")
    bottom.suptitle(f"What each filter makes of this test digit (a {y_test[0]}): its feature "
                    f"maps after ReLU")
    limit = np.abs(kernel).max()
    axes = top.subplots(1, 17)
    axes[0].axis("off")                                     # (lines up with "input" below)
    for k, ax in enumerate(axes[1:]):
        ax.imshow(kernel[:, :, k], cmap="RdBu", vmin=-limit, vmax=limit)
        ax.set_title(f"filter {k + 1}", fontsize=7)
        ax.axis("off")
    axes = bottom.subplots(1, 17)
    axes[0].imshow(digit[0, :, :, 0], cmap="gray_r")
    axes[0].set_title("input", fontsize=7)
    axes[0].axis("off")
    for k, ax in enumerate(axes[1:]):
        ax.imshow(maps[:, :, k], cmap="viridis")
        ax.set_title(f"map {k + 1}", fontsize=7)
        ax.axis("off")
    fig.savefig(paths[1], dpi=100)
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
