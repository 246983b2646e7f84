"""The tutorials' worked example: 4 inputs -> a layer of 2 ReLU nodes, number by number.

What it teaches:

- What one layer computes: every node j takes a weighted sum of all inputs plus its bias,
  z_j = x1*W1j + x2*W2j + x3*W3j + x4*W4j + b_j, then the activation a_j = relu(z_j).
  With x = [1.0, 0.5, -1.0, 2.0] and the tutorials' W and b this gives z = [0.95, -1.3]
  and a = [0.95, 0.0]: node 2 is switched off by the ReLU.
- The backward pass for the squared error against the target t = [1.0, 0.0]:
  L = ((a1 - t1)^2 + (a2 - t2)^2) / 2 = 0.00125, then the chain rule
  dL/da = (a - t), da/dz = relu'(z), dL/dz = dL/da * da/dz, dL/dW[i, j] = x_i * dL/dz_j,
  dL/db = dL/dz, dL/dx = W @ dL/dz. A node the ReLU switched off gets no gradient at all.
- One gradient-descent step, w_new = w - lr * dL/dw (lr = 0.1), and the loss after it.
- Every number is computed twice, by hand (plain Python arithmetic) and by glassnet
  (``gn.explain``, which runs the real forward pass and autograd), and the two are checked
  to agree.

Run it:

    uv run python examples/two_node_layer.py          # prints the explanation and the checks
    uv run python examples/two_node_layer.py --out    # also draws the network with its weights
                                                      # into ./example-output/two_node_layer/
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import glassnet as gn
from glassnet import nn

NAME = "two_node_layer"

# The tutorials' numbers.
x = [1.0, 0.5, -1.0, 2.0]                 # 4 input features
W = [[0.2, -0.5],                         # W[i][j]: from input i to node j (4 x 2)
     [-0.1, 0.4],
     [0.3, 0.2],
     [0.5, -0.3]]
b = [0.1, -0.2]                           # one bias per node
t = [1.0, 0.0]                            # the target, for the backward pass
LEARNING_RATE = 0.1


def by_hand() -> dict:
    """Forward, loss, backward and one SGD step with nothing but Python arithmetic."""
    nodes = range(2)
    inputs = range(4)
    # forward: z_j = sum_i x_i * W[i][j] + b_j, then a_j = max(0, z_j)
    z = [sum(x[i] * W[i][j] for i in inputs) + b[j] for j in nodes]
    a = [max(0.0, z_j) for z_j in z]
    # loss: mean squared error over the 2 outputs
    loss = sum((a[j] - t[j]) ** 2 for j in nodes) / 2
    # backward, the chain rule one factor at a time
    dL_da = [2 * (a[j] - t[j]) / 2 for j in nodes]           # d/da of (a - t)^2 / 2
    da_dz = [1.0 if z[j] > 0 else 0.0 for j in nodes]         # relu'(z)
    dL_dz = [dL_da[j] * da_dz[j] for j in nodes]
    dL_dW = [[x[i] * dL_dz[j] for j in nodes] for i in inputs]
    dL_db = list(dL_dz)
    dL_dx = [sum(W[i][j] * dL_dz[j] for j in nodes) for i in inputs]
    # one step of gradient descent
    W_new = [[W[i][j] - LEARNING_RATE * dL_dW[i][j] for j in nodes] for i in inputs]
    b_new = [b[j] - LEARNING_RATE * dL_db[j] for j in nodes]
    z_new = [sum(x[i] * W_new[i][j] for i in inputs) + b_new[j] for j in nodes]
    loss_after = sum((max(0.0, z_new[j]) - t[j]) ** 2 for j in nodes) / 2
    return {"z": z, "a": a, "loss": loss, "dL_da": dL_da, "da_dz": da_dz, "dL_dz": dL_dz,
            "dL_dW": dL_dW, "dL_db": dL_db, "dL_dx": dL_dx, "W_new": W_new, "b_new": b_new,
            "loss_after": loss_after}


def print_by_hand(hand: dict) -> None:
    print("By hand")
    print("=======")
    z, a = hand["z"], hand["a"]
    for j in range(2):
        terms = " + ".join(f"{num(x[i])}*{num(W[i][j])}" for i in range(4))
        print(f"z{j + 1} = {terms} + {num(b[j])} = {short(z[j])}")
    print(f"a = relu(z) = [max(0, {short(z[0])}), max(0, {short(z[1])})] = {fmt(a)}")
    print(f"L = (({short(a[0])} - {t[0]})^2 + ({short(a[1])} - {t[1]})^2) / 2 "
          f"= {short(hand['loss'])}")
    print(f"dL/dz = (a - t) * relu'(z) = {fmt(hand['dL_dz'])}")
    print(f"dL/dW = x^T dL/dz = {fmt(hand['dL_dW'])}   (column 2 is all 0: node 2 is off)")
    print(f"dL/db = {fmt(hand['dL_db'])},  dL/dx = {fmt(hand['dL_dx'])}")
    print(f"After one step with lr = {LEARNING_RATE}: loss {hand['loss']:.6g} -> "
          f"{hand['loss_after']:.4g}\n")


def num(value) -> str:
    """A number as the tutorials write it in a sum: negative ones in parentheses."""
    return f"({value})" if value < 0 else f"{value}"


def short(value) -> str:
    """A number rounded to 4 significant digits: 0.9500000000000001 -> '0.95'."""
    return str(float(f"{value:.4g}") + 0.0)


def fmt(values) -> str:
    """Numbers rounded to 4 significant digits (and -0.0 shown as 0.0), nested lists kept."""
    rounded = np.vectorize(lambda v: float(f"{v:.4g}") + 0.0)(np.asarray(values, dtype=float))
    return str(rounded.tolist())


def with_glassnet():
    """The same layer as a glassnet model, explained by ``gn.explain``."""
    layer = nn.Dense(2, activation="relu", input_dim=4)
    model = gn.Sequential([layer])
    model.set_weights([np.array(W), np.array(b)])
    explanation = gn.explain(model, x, y=t, loss="mse", lr=LEARNING_RATE)
    return model, explanation


def compare(hand: dict, explanation) -> dict:
    """Check every hand-computed number against glassnet's, to float32 precision."""
    record = explanation.records[0]                     # the one layer call
    step = {change.name: change for change in explanation.sgd.changes}
    pairs = {
        "z": (hand["z"], record.z),
        "a": (hand["a"], record.output),
        "loss": (hand["loss"], explanation.loss),
        "dL/da": (hand["dL_da"], record.grad_output),
        "da/dz": (hand["da_dz"], record.local_derivative),
        "dL/dz": (hand["dL_dz"], record.grad_z),
        "dL/dW": (hand["dL_dW"], record.grad_weight),
        "dL/db": (hand["dL_db"], record.grad_bias),
        "dL/dx": (hand["dL_dx"], record.grad_input),
        "W after one step": (hand["W_new"], step["0.weight"].new),
        "b after one step": (hand["b_new"], step["0.bias"].new),
        "loss after one step": (hand["loss_after"], explanation.sgd.loss_after),
    }
    print("By hand vs glassnet")
    print("===================")
    differences = {}
    for name, (ours, theirs) in pairs.items():
        difference = float(np.max(np.abs(np.asarray(ours) - np.asarray(theirs))))
        differences[name] = difference
        print(f"  {name:<20} largest difference {difference:.1e}")
        # float32 keeps about 7 significant digits
        np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-6, err_msg=name)
    print("  All equal (to float32 precision).\n")
    return differences


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: accepted for a uniform interface (this example is instant anyway).
        out_dir: a directory for the network drawing, or None for no plot.
    """
    hand = by_hand()
    print_by_hand(hand)
    model, explanation = with_glassnet()
    print("glassnet: gn.explain(model, x, y=t, loss='mse')")
    print("===============================================")
    print(explanation)
    print()
    differences = compare(hand, explanation)
    plots = []
    if out_dir is not None:
        plots = plot(model, out_dir)
    record = explanation.records[0]
    return {
        "z": record.z.tolist(),
        "a": record.output.tolist(),
        "loss": explanation.loss,
        "grad_z": record.grad_z.tolist(),
        "grad_weight": record.grad_weight.tolist(),
        "grad_bias": record.grad_bias.tolist(),
        "grad_input": record.grad_input.tolist(),
        "loss_after_step": explanation.sgd.loss_after,
        "hand": hand,
        "differences": differences,
        "text": str(explanation),
        "plots": plots,
    }


def plot(model, out_dir) -> list:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "two_node_network.png")
    gn.viz.plot_network(model, path=path)
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
