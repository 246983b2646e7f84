"""PyTorch rivals: eager mode on the CPU with 2 threads, written the way a careful user would.

Batches are gathered from one `randperm` per epoch (no DataLoader, whose per-sample Python
work would make PyTorch look slower than it is).
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Prepared, Unavailable, prepare_training, until_accurate

TORCH_THREADS = 2


def import_torch():
    """Import torch with 2 intra-op threads, or raise `Unavailable`.

    Example:
        >>> try:
        ...     torch = import_torch()
        ... except Unavailable:
        ...     pass
    """
    try:
        import torch
    except ImportError as exc:
        raise Unavailable("torch not installed") from exc
    torch.set_num_threads(TORCH_THREADS)
    return torch


def mlp(sizes, hidden="relu", seed=0):
    """nn.Sequential of Linear layers with ReLU/Tanh between them.

    Example:
        >>> try:
        ...     print(mlp([2, 4, 1], hidden="tanh")[1])
        ... except Unavailable:
        ...     print("Tanh()")
        Tanh()
    """
    torch = import_torch()
    torch.manual_seed(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.Tanh() if hidden == "tanh"
                   else torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def adam(params, lr, variant="default"):
    """torch.optim.Adam; variant "fused" tries fused=True, falls back to foreach=True.

    Returns:
        (optimizer, note): the note says which variant really runs.
    """
    torch = import_torch()
    params = list(params)
    if variant != "fused":
        return torch.optim.Adam(params, lr=lr), ""
    try:
        probe = torch.nn.Parameter(torch.zeros(2))
        probe.grad = torch.ones(2)
        torch.optim.Adam([probe], lr=lr, fused=True).step()
        return torch.optim.Adam(params, lr=lr, fused=True), "fused Adam"
    except (RuntimeError, TypeError, ValueError):
        return torch.optim.Adam(params, lr=lr, foreach=True), "fused Adam unsupported: foreach"


def _loss_fn(torch, n_outputs):
    if n_outputs == 1:
        return torch.nn.BCEWithLogitsLoss()
    return torch.nn.CrossEntropyLoss()


def _epoch(torch, net, opt, loss_fn, X, y, batch_size, generator):
    order = torch.randperm(len(X), generator=generator)
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(X[idx]), y[idx])
        loss.backward()
        opt.step()


def _tensors(torch, X, y):
    return torch.from_numpy(X), torch.from_numpy(y)


def train_epochs(sizes, epochs, batch_size, lr=1e-3, hidden="relu", variant="default",
                 fresh=True):
    """Setup for "train `epochs` epochs on (X, y)" cases; returns a function data -> Prepared.

    `fresh`: every run starts from new weights (else each run continues the training).
    """

    def setup(data):
        torch = import_torch()
        X, y = _tensors(torch, *data)
        loss_fn = _loss_fn(torch, sizes[-1])
        note = adam(mlp(sizes, hidden).parameters(), lr, variant)[1]

        def build():
            net = mlp(sizes, hidden)
            return net, adam(net.parameters(), lr, variant)[0], torch.Generator().manual_seed(0)

        def train(state):
            net, opt, generator = state
            for _ in range(epochs):
                _epoch(torch, net, opt, loss_fn, X, y, batch_size, generator)

        return prepare_training(build, train, note, fresh)

    return setup


def full_batch_steps(sizes, steps, lr, hidden="tanh"):
    """Setup for "`steps` full-batch Adam steps" (XOR)."""

    def setup(data):
        torch = import_torch()
        X, y = _tensors(torch, *data)
        loss_fn = _loss_fn(torch, sizes[-1])

        def build():
            net = mlp(sizes, hidden)
            return net, adam(net.parameters(), lr)[0]

        def train(state):
            net, opt = state
            for _ in range(steps):
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(net(X), y)
                loss.backward()
                opt.step()

        return prepare_training(build, train)

    return setup


def predict(sizes):
    """Setup for "logits of all rows under no_grad"."""

    def setup(X):
        torch = import_torch()
        X = torch.from_numpy(X)
        net = mlp(sizes)

        def run():
            with torch.no_grad():
                return net(X)

        return Prepared(run, "no_grad")

    return setup


def train_to_target(sizes, batch_size, lr, target, max_epochs):
    """Setup for digits end to end: build, train epoch by epoch until test accuracy >= target."""

    def setup(split):
        torch = import_torch()
        X, y = _tensors(torch, split.X_train, split.y_train)
        X_test = torch.from_numpy(split.X_test)

        def run():
            net = mlp(sizes)
            opt, _ = adam(net.parameters(), lr)
            loss_fn = torch.nn.CrossEntropyLoss()
            generator = torch.Generator().manual_seed(0)

            def epoch():
                net.train()
                _epoch(torch, net, opt, loss_fn, X, y, batch_size, generator)

            def accuracy():
                net.eval()
                with torch.no_grad():
                    predicted = net(X_test).argmax(dim=1).numpy()
                return float(np.mean(predicted == split.y_test))

            return until_accurate(epoch, accuracy, target, max_epochs)

        return Prepared(run)

    return setup

