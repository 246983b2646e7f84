"""Setups for the NumPy floors (see numpy_mlp.py for the code they time)."""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Prepared, prepare_training, until_accurate
from benchmarks.numpy_mlp import GemmFloor, NumpyMLP


def train_epochs(sizes, epochs, batch_size, lr=1e-3, hidden="relu", fresh=True):
    """Setup for "train the minimal NumPy MLP for `epochs` epochs".

    `fresh`: every run starts from new weights (else each run continues the training).
    """

    def setup(data):
        X, y = data

        def build():
            return NumpyMLP(sizes, lr, hidden), np.random.default_rng(0)

        def train(state):
            net, rng = state
            for _ in range(epochs):
                net.train_epoch(X, y, batch_size, rng)

        return prepare_training(build, train, fresh=fresh)

    return setup


def full_batch_steps(sizes, steps, lr, hidden="tanh"):
    """Setup for "`steps` full-batch Adam steps", from new weights every run."""

    def setup(data):
        X, y = data

        def train(net):
            for _ in range(steps):
                net.train_step(X, y)

        return prepare_training(lambda: NumpyMLP(sizes, lr, hidden), train)

    return setup


def gemm_epochs(sizes, epochs, batch_size):
    """Setup for the GEMM floor of `epochs` training epochs."""

    def setup(data):
        floor = GemmFloor(sizes, data[0], batch_size)

        def run():
            for _ in range(epochs):
                floor.train_epoch()

        return Prepared(run, "matmuls only")

    return setup


def predict(sizes):
    """Setup for the minimal MLP's forward pass (logits) on all rows."""

    def setup(X):
        net = NumpyMLP(sizes)
        return Prepared(lambda: net.predict(X))

    return setup


def gemm_predict(sizes):
    """Setup for the GEMM floor of one forward pass on all rows."""

    def setup(X):
        floor = GemmFloor(sizes, X, batch_size=1)
        return Prepared(floor.predict, "matmuls only")

    return setup


def train_to_target(sizes, batch_size, lr, target, max_epochs):
    """Setup for digits end to end with the minimal NumPy MLP."""

    def setup(split):
        def run():
            net = NumpyMLP(sizes, lr)
            rng = np.random.default_rng(0)

            def epoch():
                net.train_epoch(split.X_train, split.y_train, batch_size, rng)

            def accuracy():
                predicted = net.predict(split.X_test).argmax(axis=1)
                return float(np.mean(predicted == split.y_test))

            return until_accurate(epoch, accuracy, target, max_epochs)

        return Prepared(run)

    return setup
