"""XOR with a 2-4-1 network twice: in pure NumPy with backprop by hand, and in glassnet.

What it teaches:

- A hidden layer solves what a single perceptron cannot (see perceptron_gates.py): a
  2-4-1 network with sigmoid units learns XOR.
- Backpropagation written out by hand, as in the tutorials' ``NeuralNetwork`` class:
  forward z1 = X W1 + b1, a1 = sigmoid(z1), z2 = a1 W2 + b2, a2 = sigmoid(z2); binary
  cross-entropy loss; backward
      dz2 = a2 - y                        (sigmoid + cross-entropy simplify to this)
      dW2 = a1^T dz2 / m,  db2 = mean(dz2)
      dz1 = (dz2 W2^T) * a1 * (1 - a1)    (the chain rule through the sigmoid)
      dW1 = X^T dz1 / m,   db1 = mean(dz1)
  and the update W <- W - lr * dW for each weight.
- The same network in glassnet, PyTorch style (``nn.Sequential`` of ``nn.Linear`` and
  ``nn.Sigmoid``, ``nn.BCELoss``, ``optim.SGD``, ``loss.backward()``): autograd finds the
  same gradients without a line of calculus. Started from the same weights, the two runs
  give the same losses and weights at every epoch (float64, to about 1e-12).

Run it:

    uv run python examples/xor_from_scratch.py            # trains both, compares the numbers
    uv run python examples/xor_from_scratch.py --out      # also plots the loss curves and the
                                                          # decision boundary into
                                                          # ./example-output/xor_from_scratch/
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import glassnet as gn
from glassnet import nn, optim

NAME = "xor_from_scratch"
LEARNING_RATE = 0.5
SEED = 3  # try 7: that start sits on a plateau (loss 0.693 = log 2) for thousands of epochs


class NumpyNetwork:
    """The tutorials' 2-layer network from scratch: only NumPy, backprop by hand."""

    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()

    @staticmethod
    def sigmoid(z):
        return 1 / (1 + np.exp(-np.clip(z, -500, 500)))

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1        # keep what backward needs
        self.a1 = self.sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.a2 = self.sigmoid(self.z2)
        return self.a2

    def backward(self, X, y, learning_rate):
        m = len(X)
        dz2 = self.a2 - y                                  # dL/dz2 for sigmoid + BCE
        dW2 = self.a1.T @ dz2 / m
        db2 = np.mean(dz2, axis=0)
        dz1 = (dz2 @ self.W2.T) * self.a1 * (1 - self.a1)  # chain rule through sigmoid
        dW1 = X.T @ dz1 / m
        db1 = np.mean(dz1, axis=0)
        self.W2 -= learning_rate * dW2
        self.b2 -= learning_rate * db2
        self.W1 -= learning_rate * dW1
        self.b1 -= learning_rate * db1
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    def train(self, X, y, epochs, learning_rate):
        losses = []
        for epoch in range(epochs):
            output = self.forward(X)
            loss = -np.mean(y * np.log(output) + (1 - y) * np.log(1 - output))
            losses.append(float(loss))
            self.backward(X, y, learning_rate)
        return losses


def glassnet_network(W1, b1, W2, b2):
    """The same 2-4-1 sigmoid network in glassnet, with the same starting weights."""
    net = nn.Sequential(
        nn.Linear(2, 4, dtype="float64"),
        nn.Sigmoid(),
        nn.Linear(4, 1, dtype="float64"),
        nn.Sigmoid(),
    )
    net.load_state_dict({"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": b2})
    return net


def train_glassnet(net, X, y, epochs, learning_rate):
    """The PyTorch-style loop: forward, loss, zero_grad, backward, step."""
    inputs = gn.tensor(X, dtype="float64")
    targets = gn.tensor(y, dtype="float64")
    loss_fn = nn.BCELoss()
    optimizer = optim.SGD(net.parameters(), lr=learning_rate)
    losses = []
    for epoch in range(epochs):
        output = net(inputs)
        loss = loss_fn(output, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def first_gradients(numpy_net, net, X, y) -> dict:
    """The gradients of the very first step, by hand and by autograd, side by side."""
    by_hand_net = NumpyNetwork(numpy_net.W1, numpy_net.b1, numpy_net.W2, numpy_net.b2)
    by_hand_net.forward(X)
    by_hand = by_hand_net.backward(X, y, learning_rate=0.0)     # lr 0: only the gradients
    loss = nn.BCELoss()(net(gn.tensor(X, dtype="float64")), gn.tensor(y, dtype="float64"))
    net.zero_grad()
    loss.backward()
    by_autograd = {"W1": net[0].weight.grad, "b1": net[0].bias.grad,
                   "W2": net[2].weight.grad, "b2": net[2].bias.grad}
    net.zero_grad()
    print("The first step's gradients, by hand and by autograd:")
    differences = {}
    for name in by_hand:
        differences[name] = float(np.max(np.abs(by_hand[name] - by_autograd[name])))
        print(f"  dL/d{name}: by hand {np.round(by_hand[name].ravel(), 5).tolist()}")
        print(f"  {'':>{len(name) + 4}}autograd {np.round(by_autograd[name].ravel(), 5).tolist()}"
              f"   (largest difference {differences[name]:.1e})")
    print()
    return differences


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: 1000 epochs instead of the tutorials' 2000 (XOR is solved either way).
        out_dir: a directory for the plots, or None for no plots.
    """
    X, y = gn.data.xor(dtype="float64")
    y = y.reshape(-1, 1).astype(np.float64)
    epochs = 1000 if fast else 2000

    # the same starting weights for both: small random W (symmetry breaking), zero b
    rng = np.random.default_rng(SEED)
    W1 = rng.standard_normal((2, 4)) * 0.5
    b1 = np.zeros(4)
    W2 = rng.standard_normal((4, 1)) * 0.5
    b2 = np.zeros(1)

    numpy_net = NumpyNetwork(W1, b1, W2, b2)
    net = glassnet_network(W1, b1, W2, b2)
    gradient_differences = first_gradients(numpy_net, net, X, y)

    print(f"Training both for {epochs} epochs (full batch, lr = {LEARNING_RATE}):")
    numpy_losses = numpy_net.train(X, y, epochs, LEARNING_RATE)
    glassnet_losses = train_glassnet(net, X, y, epochs, LEARNING_RATE)
    for epoch in range(0, epochs, 200):
        print(f"  epoch {epoch:>5}: NumPy loss {numpy_losses[epoch]:.6f}   "
              f"glassnet loss {glassnet_losses[epoch]:.6f}")

    numpy_output = numpy_net.forward(X)
    with gn.no_grad():
        glassnet_output = net(gn.tensor(X, dtype="float64")).numpy()
    print("\nAfter training:")
    print(f"  {'x':>10}  {'NumPy':>8}  {'glassnet':>8}  target")
    for xi, p_np, p_gn, t in zip(X.astype(int).tolist(), numpy_output[:, 0],
                                 glassnet_output[:, 0], y[:, 0].astype(int)):
        print(f"  {str(xi):>10}  {p_np:8.4f}  {p_gn:8.4f}  {t}")

    weight_difference = max(
        float(np.max(np.abs(numpy_net.W1 - net[0].weight.numpy()))),
        float(np.max(np.abs(numpy_net.W2 - net[2].weight.numpy()))),
        float(np.max(np.abs(numpy_net.b1 - net[0].bias.numpy()))),
        float(np.max(np.abs(numpy_net.b2 - net[2].bias.numpy()))),
    )
    loss_difference = float(np.max(np.abs(np.array(numpy_losses) - np.array(glassnet_losses))))
    print(f"\nLargest difference over all {epochs} epochs: loss {loss_difference:.1e}; "
          f"final weights {weight_difference:.1e}.")
    np.testing.assert_allclose(glassnet_losses, numpy_losses, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(glassnet_output, numpy_output, rtol=1e-9, atol=1e-12)
    print("Same start, same numbers: autograd computes exactly the hand-written backprop.\n")

    plots = plot(net, numpy_losses, glassnet_losses, X, y, out_dir) if out_dir else []
    predictions = (glassnet_output[:, 0] > 0.5).astype(int)
    return {
        "numpy_losses": numpy_losses,
        "glassnet_losses": glassnet_losses,
        "numpy_output": numpy_output[:, 0].tolist(),
        "glassnet_output": glassnet_output[:, 0].tolist(),
        "predictions": predictions.tolist(),
        "targets": y[:, 0].astype(int).tolist(),
        "gradient_differences": gradient_differences,
        "loss_difference": loss_difference,
        "weight_difference": weight_difference,
        "plots": plots,
    }


def plot(net, numpy_losses, glassnet_losses, X, y, out_dir) -> list:
    """Both loss curves (on top of each other) and the learnt decision boundary."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    fig = Figure(figsize=(11, 4.4), layout="constrained")
    ax_loss, ax_boundary = fig.subplots(1, 2)
    epochs = np.arange(1, len(numpy_losses) + 1)
    ax_loss.plot(epochs, numpy_losses, color="C0", linewidth=4, alpha=0.5,
                 label="NumPy, backprop by hand")
    ax_loss.plot(epochs, glassnet_losses, "k--", linewidth=1.2, label="glassnet, autograd")
    ax_loss.set(title="The same loss curve, twice", xlabel="epoch",
                ylabel="binary cross-entropy")
    ax_loss.grid(alpha=0.3)
    ax_loss.legend()
    gn.viz.plot_decision_boundary(net, X, y[:, 0].astype(int), resolution=120, ax=ax_boundary)
    ax_boundary.set_title("What the 2-4-1 network learnt: P(XOR = 1)")
    fig.suptitle("XOR from scratch (NumPy) and with glassnet, from the same weights")
    path = os.path.join(out_dir, "xor_from_scratch.png")
    fig.savefig(path, dpi=100)
    print(f"Wrote {path}")
    return [path]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a quick run (used by the tests)")
    parser.add_argument("--out", nargs="?", const=os.path.join("example-output", NAME),
                        default=None, metavar="DIR",
                        help=f"write the plots into DIR (default example-output/{NAME})")
    arguments = parser.parse_args()
    main(fast=arguments.fast, out_dir=arguments.out)
