"""``glassnet demo``: the story of neural networks in one run, on built-in data.

1. A single perceptron learns AND (linearly separable) and fails on XOR (not).
2. A 2-4-1 network with a hidden tanh layer learns XOR with backpropagation.
"""

from __future__ import annotations

import warnings

import numpy as np

import glassnet as gn
from glassnet import functional as F


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


def run_demo(seed: int = 0, out=print) -> None:
    """Run the demo, printing with ``out``."""
    _perceptron_story(out)
    out("")
    _xor_network_story(out, seed)
