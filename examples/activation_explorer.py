"""The same deep network with six activations: loss curves, dead units, gradient flow.

What it teaches:

- An activation function is the only non-linear part of a network; which one you pick
  changes how (and whether) the network learns. Here one network, 64 pixels -> 4 hidden
  layers of 32 units -> 10 digits, with Glorot-initialised weights, plain SGD (lr 0.1) and
  the same seed, is trained with sigmoid, tanh, relu, leaky_relu, elu and gelu in turn.
- Vanishing gradients: sigmoid's derivative is at most 0.25, and backpropagation multiplies
  one such factor per layer, so the first layer's gradient is hundreds of times smaller
  than the last layer's. The sigmoid network barely moves from chance (loss log 10 = 2.30)
  while the others learn. The per-layer gradient norms show it.
- Dead ReLUs: a ReLU unit whose weighted sum is negative for every input outputs 0 and gets
  a zero gradient, so it never learns again. The example counts them ("dead": f'(z) = 0 on
  every training example). A healthy run has a few; too large a learning rate (1.0 here)
  kills many in a few epochs. leaky_relu, elu and gelu keep a small slope for z < 0,
  so their units cannot die this way.

Run it:

    uv run python examples/activation_explorer.py            # trains six networks, prints tables
    uv run python examples/activation_explorer.py --fast     # 3 epochs each
    uv run python examples/activation_explorer.py --out      # also plots the activations, loss
                                                             # curves and gradient flow into
                                                             # ./example-output/activation_explorer/
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import glassnet as gn
from glassnet import nn, optim

NAME = "activation_explorer"
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
HIDDEN_LAYERS, WIDTH = 4, 32


def build_network(activation: str):
    """64 -> 32 -> 32 -> 32 -> 32 -> 10; an activation layer after each hidden Dense layer."""
    layers, width_in = [], 64
    for _ in range(HIDDEN_LAYERS):
        layers.append(nn.Dense(WIDTH, input_dim=width_in))   # Glorot-uniform weights, zero bias
        layers.append(nn.get_activation(activation))         # e.g. nn.ReLU()
        width_in = WIDTH
    layers.append(nn.Dense(10, input_dim=width_in))           # 10 logits
    return nn.Sequential(layers)


def train(net, X, y, epochs: int, lr: float) -> dict:
    """Mini-batch SGD, recording the loss per epoch and each layer's gradient norm per step."""
    loader = gn.data.DataLoader(gn.data.TensorDataset(X, y), batch_size=32, shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=lr)
    losses, norms = [], []
    for epoch in range(epochs):
        total = 0.0
        for X_batch, y_batch in loader:
            loss = loss_fn(net(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            norms.append(gn.viz.gradient_norms(net))   # {"0.weight": ||dL/dW1||, ...}
            optimizer.step()
            total += loss.item() * len(X_batch)
        losses.append(total / len(X))
    return {"loss": losses, "gradient_norms": norms}


def dead_fractions(net, X) -> list:
    """For each hidden layer, the fraction of units with f'(z) = 0 on every example.

    The derivative comes from autograd: for a = f(z), ``a.sum().backward()`` puts f'(z)
    into ``z.grad``, one value per example and unit.
    """
    fractions = []
    h = gn.tensor(X)
    for layer in net:
        if isinstance(layer, nn.Dense):
            with gn.no_grad():
                h = layer(h)                       # z = h @ W + b
            continue
        z = gn.tensor(h.numpy(), requires_grad=True)
        a = layer(z)                               # the activation layer
        a.sum().backward()
        never_active = np.all(z.grad == 0, axis=0)  # one flag per unit
        fractions.append(float(never_active.mean()))
        h = a.detach()
    return fractions


def accuracy(net, X, y) -> float:
    net.eval()
    with gn.no_grad():
        predicted = net(gn.tensor(X)).numpy().argmax(axis=1)
    net.train()
    return float(np.mean(predicted == y))


def layer_ratio(norms: list) -> float:
    """First layer's gradient norm / last layer's, averaged over the last 20 steps."""
    recent = norms[-20:]
    first = np.mean([step["0.weight"] for step in recent])
    last = np.mean([step[f"{2 * HIDDEN_LAYERS}.weight"] for step in recent])
    return float(first / last)


def compare_activations(X_train, y_train, X_test, y_test, epochs: int) -> dict:
    results = {}
    print(f"{'activation':<11} {'loss: first epoch -> last':>26} {'test acc':>9} "
          f"{'grad L1/L5':>11}  dead units per hidden layer")
    for name in ACTIVATIONS:
        gn.seed(0)                                  # the same weights and batches for each
        net = build_network(name)
        run = train(net, X_train, y_train, epochs, lr=0.1)
        run["test_accuracy"] = accuracy(net, X_test, y_test)
        run["dead"] = dead_fractions(net, X_train)
        run["gradient_ratio"] = layer_ratio(run["gradient_norms"])
        results[name] = run
        dead = " ".join(f"{fraction:4.0%}" for fraction in run["dead"])
        print(f"{name:<11} {run['loss'][0]:12.3f} -> {run['loss'][-1]:.3f}      "
              f"{run['test_accuracy']:9.3f} {run['gradient_ratio']:11.4f}  {dead}")
    print("\ngrad L1/L5: the first layer's gradient norm divided by the output layer's. Far")
    print("below 1 (sigmoid): the gradient vanishes on its way back, the first layers barely")
    print("learn. Near 1 or above: the gradient reaches every layer.\n")
    return results


def dying_relu(X_train, y_train, lr: float = 1.0, epochs: int = 3) -> dict:
    """The ReLU network again, with a learning rate ten times larger."""
    gn.seed(0)
    net = build_network("relu")
    with np.errstate(over="ignore", invalid="ignore"):   # a step this large may overshoot
        run = train(net, X_train, y_train, epochs, lr=lr)
    dead = dead_fractions(net, X_train)
    print(f"ReLU with lr = {lr}: after {epochs} epochs the loss is {run['loss'][-1]:.3f} and "
          f"{' '.join(f'{d:.0%}' for d in dead)} of the units per hidden layer are dead.")
    print("Big steps pushed their weighted sums below 0 for every input; with zero")
    print("gradient, nothing brings them back. leaky_relu keeps a slope of 0.01 there.\n")
    return {"loss": run["loss"], "dead": dead}


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: 3 epochs per activation instead of 15.
        out_dir: a directory for the plots, or None for no plots.
    """
    X, y = gn.data.load_digits()
    X_train, X_test, y_train, y_test = gn.data.train_test_split(
        X / 16.0, y, test_size=0.2, random_state=0, stratify=y)
    epochs = 3 if fast else 15
    print(f"Digits, a 64-{'-'.join([str(WIDTH)] * HIDDEN_LAYERS)}-10 network, SGD lr 0.1, "
          f"{epochs} epochs each\n")
    results = compare_activations(X_train, y_train, X_test, y_test, epochs)
    too_fast = dying_relu(X_train, y_train)
    plots = plot(results, out_dir) if out_dir is not None else []
    return {
        "final_loss": {name: run["loss"][-1] for name, run in results.items()},
        "losses": {name: run["loss"] for name, run in results.items()},
        "test_accuracy": {name: run["test_accuracy"] for name, run in results.items()},
        "dead": {name: run["dead"] for name, run in results.items()},
        "gradient_ratio": {name: run["gradient_ratio"] for name, run in results.items()},
        "dying_relu": too_fast,
        "plots": plots,
    }


def plot(results, out_dir) -> list:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    paths = []

    path = os.path.join(out_dir, "activations.png")
    gn.viz.plot_activations(ACTIVATIONS, path=path)
    paths.append(path)

    path = os.path.join(out_dir, "loss_curves.png")
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.add_subplot()
    for name, run in results.items():
        epochs = np.arange(1, len(run["loss"]) + 1)
        ax.plot(epochs, run["loss"], marker="o", markersize=3,
                label=f"{name} (test acc {run['test_accuracy']:.2f})")
    ax.axhline(np.log(10), color="0.5", linestyle=":", label="chance: log 10 = 2.30")
    ax.set(title="The same network, six activations (SGD, lr 0.1)", xlabel="epoch",
           ylabel="training loss (cross-entropy)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.savefig(path, dpi=100)
    paths.append(path)

    path = os.path.join(out_dir, "gradient_flow.png")
    # "0.weight", "2.weight", ... (names in the Sequential) -> "layer 1", "layer 2", ...
    chosen = {
        name: [{f"layer {int(key.split('.')[0]) // 2 + 1}": norm for key, norm in step.items()}
               for step in results[name]["gradient_norms"]]
        for name in ("sigmoid", "tanh", "relu")
    }
    gn.viz.plot_gradient_flow(chosen, path=path)
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
