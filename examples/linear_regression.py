"""Linear regression y = m*x + b by gradient descent on the squared loss, with autograd.

What it teaches:

- The model is a line, y_hat = m*x + b, with two learnable numbers: the weight (slope) m and
  the bias b. The data are 100 points around the true line y = 2x + 1 (plus noise).
- The squared loss measures how far the line is from the points:
  L(m, b) = mean((y - (m*x + b))^2). (The tutorials write the sum; the mean is the sum
  divided by the number of points, which keeps the learning rate independent of it.)
- Gradient descent: compute dL/dm and dL/db, step both against their gradient,
  m <- m - lr * dL/dm, b <- b - lr * dL/db, and repeat. glassnet's autograd computes the
  gradients (``loss.backward()`` fills ``m.grad`` and ``b.grad``); the first step checks them
  against the formulas dL/dm = -2 mean(x * (y - y_hat)), dL/db = -2 mean(y - y_hat).
- The loss falls from about 179 to the noise level (about 0.24), and m and b converge to
  the best line through the points (the least-squares solution, close to m = 2, b = 1; not
  exactly, because of the noise).
- The learning rate matters: lr = 0.02 converges, lr = 0.03 makes every step overshoot
  further and the loss explodes.

Run it:

    uv run python examples/linear_regression.py            # prints the training
    uv run python examples/linear_regression.py --out      # also plots the line, the loss
                                                           # and m, b, in ./example-output/
                                                           #    linear_regression/
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import glassnet as gn

NAME = "linear_regression"
TRUE_M, TRUE_B = 2.0, 1.0


def squared_loss(m, b, x, y):
    """L = mean((y - (m*x + b))^2): a scalar Tensor that remembers how it was computed."""
    prediction = m * x + b
    return ((y - prediction) ** 2).mean()


def check_first_gradient(m, b, x, y) -> dict:
    """Autograd's dL/dm and dL/db against the formulas from calculus, at the start."""
    loss = squared_loss(m, b, x, y)
    loss.backward()
    error = y.numpy() - (m.item() * x.numpy() + b.item())       # y - y_hat
    formula_m = float(-2 * np.mean(x.numpy() * error))
    formula_b = float(-2 * np.mean(error))
    print(f"Gradient at m = {m.item()}, b = {b.item()}:")
    print(f"  autograd dL/dm = {m.grad.item():.4f}   formula -2 mean(x (y - y_hat)) = "
          f"{formula_m:.4f}")
    print(f"  autograd dL/db = {b.grad.item():.4f}   formula -2 mean(y - y_hat)     = "
          f"{formula_b:.4f}\n")
    autograd = [m.grad.item(), b.grad.item()]
    np.testing.assert_allclose(autograd, [formula_m, formula_b], rtol=1e-5)
    return {"autograd": autograd, "formula": [formula_m, formula_b]}


def gradient_descent(x, y, lr: float, steps: int, report_every: int = 0) -> dict:
    """Fit m and b from 0 by plain gradient descent; return the trajectory."""
    m = gn.tensor(0.0, requires_grad=True)
    b = gn.tensor(0.0, requires_grad=True)
    losses, ms, bs = [], [], []
    for step in range(steps):
        loss = squared_loss(m, b, x, y)       # forward: build the graph
        loss.backward()                       # backward: m.grad = dL/dm, b.grad = dL/db
        losses.append(loss.item())
        # the update, done on the raw numbers (.data), outside the graph
        m.data -= lr * m.grad
        b.data -= lr * b.grad
        m.grad = None                         # gradients add up unless cleared
        b.grad = None
        ms.append(m.item())
        bs.append(b.item())
        if report_every and (step % report_every == 0 or step == steps - 1):
            print(f"  step {step:>5}   loss {losses[-1]:10.4f}   m = {ms[-1]:7.4f}   "
                  f"b = {bs[-1]:7.4f}")
    return {"loss": losses, "m": ms, "b": bs}


def main(fast: bool = False, out_dir=None) -> dict:
    """Run the example; returns the numbers the tests check.

    Args:
        fast: fewer gradient-descent steps (1000 instead of 2000).
        out_dir: a directory for the plots, or None for no plots.
    """
    X, y = gn.data.make_line(100, slope=TRUE_M, intercept=TRUE_B, noise=0.5, random_state=0)
    x, y = gn.tensor(X[:, 0]), gn.tensor(y)
    print(f"100 points around y = {TRUE_M:g}x + {TRUE_B:g}, x in [0, 10), noise std 0.5\n")

    first_gradient = check_first_gradient(gn.tensor(0.0, requires_grad=True),
                                          gn.tensor(0.0, requires_grad=True), x, y)

    lr, steps = 0.02, 1000 if fast else 2000
    print(f"Gradient descent from m = 0, b = 0 with lr = {lr} (the loss before the step, "
          f"m and b after it):")
    run = gradient_descent(x, y, lr, steps, report_every=steps // 10)

    # the best line for this data: least squares, solved directly
    best_m, best_b = np.polyfit(x.numpy(), y.numpy(), deg=1)
    print(f"\nGradient descent: m = {run['m'][-1]:.4f}, b = {run['b'][-1]:.4f}")
    print(f"Least squares:    m = {best_m:.4f}, b = {best_b:.4f}   (the best line for this data)")
    print(f"True line:        m = {TRUE_M:.4f}, b = {TRUE_B:.4f}   (the noise hides it a little)")
    print("b converges last: x is large (up to 10), so the loss is much steeper along m than")
    print("along b, and a learning rate safe for m moves b slowly.\n")

    print("Too large a learning rate, lr = 0.03: every step overshoots further")
    too_big = gradient_descent(x, y, 0.03, 12, report_every=3)
    print()

    best_loss = float(np.mean((y.numpy() - (best_m * x.numpy() + best_b)) ** 2))
    plots = plot(x.numpy(), y.numpy(), run, best_loss, out_dir) if out_dir is not None else []
    return {
        "m": run["m"][-1],
        "b": run["b"][-1],
        "least_squares": (float(best_m), float(best_b)),
        "least_squares_loss": best_loss,
        "first_gradient": first_gradient,
        "loss": run["loss"],
        "too_large_lr_loss": too_big["loss"],
        "plots": plots,
    }


def plot(x, y, run, best_loss, out_dir) -> list:
    """The data with the line at a few steps, the falling loss, and m and b over the steps."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plots skipped: they need matplotlib (pip install 'glassnet[plot]').")
        return []
    os.makedirs(out_dir, exist_ok=True)
    fig = Figure(figsize=(14, 4.4), layout="constrained")
    ax_data, ax_loss, ax_params = fig.subplots(1, 3)
    ax_data.scatter(x, y, s=12, color="0.5", label="data")
    line_x = np.array([0.0, 10.0])
    steps = len(run["m"])
    for step, alpha in ((0, 0.3), (4, 0.6), (steps - 1, 1.0)):
        m, b = run["m"][step], run["b"][step]
        ax_data.plot(line_x, m * line_x + b, color="C0", alpha=alpha, linewidth=2,
                     label=f"after step {step + 1}: y = {m:.2f}x + {b:.2f}")
    ax_data.plot(line_x, TRUE_M * line_x + TRUE_B, "k--", linewidth=1,
                 label=f"true line y = {TRUE_M:g}x + {TRUE_B:g}")
    ax_data.set(title="The line moves onto the data", xlabel="x (feature)",
                ylabel="y (label)")
    ax_data.legend(fontsize=8)
    step_numbers = np.arange(1, steps + 1)
    ax_loss.plot(step_numbers, run["loss"], color="C3", label="loss")
    ax_loss.axhline(best_loss, color="k", linestyle="--", linewidth=1,
                    label=f"least-squares loss {best_loss:.3f} (the noise)")
    ax_loss.set(xscale="log", yscale="log", title="Squared loss falls",
                xlabel="step (log scale)", ylabel="mean((y - (m x + b))^2), log scale")
    ax_loss.legend(fontsize=8)
    ax_params.plot(step_numbers, run["m"], color="C0", label="m (weight)")
    ax_params.plot(step_numbers, run["b"], color="C2", label="b (bias)")
    ax_params.axhline(TRUE_M, color="C0", linestyle="--", linewidth=1, label=f"true m = {TRUE_M:g}")
    ax_params.axhline(TRUE_B, color="C2", linestyle="--", linewidth=1, label=f"true b = {TRUE_B:g}")
    ax_params.set(xscale="log", title="m converges fast, b slowly", xlabel="step (log scale)",
                  ylabel="value")
    ax_params.legend(fontsize=8)
    for ax in (ax_data, ax_loss, ax_params):
        ax.grid(alpha=0.3)
    fig.suptitle("Linear regression by gradient descent (lr = 0.02)")
    path = os.path.join(out_dir, "linear_regression.png")
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
