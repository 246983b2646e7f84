"""glassnet's contestants, written against the DESIGN's API sketch.

Every glassnet call of the suite lives in this file. While the library is being built, a
missing piece (ImportError, AttributeError, NotImplementedError) makes the harness report the
row as "glassnet: not available (<reason>)" instead of crashing the run.

Two front doors are timed:
- Keras style: `gn.Sequential([nn.Dense(...), ...]).compile(...)`, then `fit` / `predict`.
  The model ends in softmax (sigmoid) and is compiled with "sparse_categorical_crossentropy"
  ("binary_crossentropy"), the tutorials' spelling, which the DESIGN requires to be fused to
  the stable logits form. `keras_head` is the one place to change that choice.
- PyTorch style: `nn.Sequential(nn.Linear, nn.ReLU, ...)`, `optim.Adam(net.parameters())` and
  the loop below, which gathers batches from one permutation per epoch like the rivals do.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Prepared, prepare_training, until_accurate


def import_glassnet():
    """(gn, nn, optim), or the ImportError that says what is missing.

    Example:
        >>> try:
        ...     gn, nn, optim = import_glassnet()
        ... except ImportError:
        ...     pass
    """
    import glassnet as gn
    from glassnet import nn, optim

    return gn, nn, optim


def _seed(gn, seed=0):
    seed_fn = getattr(gn, "seed", None)
    if seed_fn is not None:
        seed_fn(seed)


def keras_head(n_outputs):
    """(output activation, loss name) of the Keras-style models.

    Example:
        >>> keras_head(10), keras_head(1)
        (('softmax', 'sparse_categorical_crossentropy'), ('sigmoid', 'binary_crossentropy'))
    """
    if n_outputs == 1:
        return "sigmoid", "binary_crossentropy"
    return "softmax", "sparse_categorical_crossentropy"


def keras_model(sizes, lr, hidden="relu"):
    """A compiled Keras-style `gn.Sequential` with Dense layers of `sizes[1:]`."""
    gn, nn, optim = import_glassnet()
    _seed(gn)
    activation, loss = keras_head(sizes[-1])
    layers = [nn.Dense(width, activation=hidden) for width in sizes[1:-1]]
    layers.append(nn.Dense(sizes[-1], activation=activation))
    model = gn.Sequential(layers)
    model.compile(optimizer=optim.Adam(lr=lr), loss=loss)
    return model


def torch_style_net(sizes, hidden="relu"):
    """A PyTorch-style `nn.Sequential(nn.Linear, activation, ..., nn.Linear)` (logits out)."""
    gn, nn, _ = import_glassnet()
    _seed(gn)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(fan_in, fan_out), nn.Tanh() if hidden == "tanh" else nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def _loss_fn(gn, n_outputs):
    if n_outputs == 1:
        return gn.functional.binary_cross_entropy_with_logits
    return gn.functional.cross_entropy


def _step(gn, net, opt, loss_fn, xb, yb):
    loss = loss_fn(net(gn.tensor(xb)), gn.tensor(yb))
    opt.zero_grad()
    loss.backward()
    opt.step()


def _loop_epoch(gn, net, opt, loss_fn, X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _step(gn, net, opt, loss_fn, X[idx], y[idx])


def fit_epochs(sizes, epochs, batch_size, lr=1e-3, hidden="relu", fresh=True):
    """Setup for Keras-style `model.fit(X, y, epochs=..., batch_size=...)`.

    `fresh`: every run starts from a new model (else each run continues the training).
    """

    def setup(data):
        X, y = data

        def train(model):
            model.fit(X, y, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=True)

        return prepare_training(lambda: keras_model(sizes, lr, hidden), train,
                                "Sequential.fit", fresh)

    return setup


def loop_epochs(sizes, epochs, batch_size, lr=1e-3, hidden="relu", fresh=True):
    """Setup for the PyTorch-style loop over batches of one permutation per epoch.

    `fresh`: every run starts from new weights (else each run continues the training).
    """

    def setup(data):
        X, y = data
        gn, _, optim = import_glassnet()
        loss_fn = _loss_fn(gn, sizes[-1])

        def build():
            net = torch_style_net(sizes, hidden)
            return net, optim.Adam(net.parameters(), lr=lr), np.random.default_rng(0)

        def train(state):
            net, opt, rng = state
            for _ in range(epochs):
                _loop_epoch(gn, net, opt, loss_fn, X, y, batch_size, rng)

        return prepare_training(build, train, "nn.Module loop", fresh)

    return setup


def fit_full_batch(sizes, steps, lr, hidden="tanh"):
    """Setup for `steps` full-batch steps through Keras-style fit (epochs=steps)."""

    def setup(data):
        X, y = data

        def train(model):
            model.fit(X, y, batch_size=len(X), epochs=steps, verbose=0, shuffle=False)

        return prepare_training(lambda: keras_model(sizes, lr, hidden), train,
                                f"fit(epochs={steps})")

    return setup


def loop_full_batch(sizes, steps, lr, hidden="tanh"):
    """Setup for `steps` full-batch steps in the PyTorch-style loop."""

    def setup(data):
        X, y = data
        gn, _, optim = import_glassnet()
        loss_fn = _loss_fn(gn, sizes[-1])

        def build():
            net = torch_style_net(sizes, hidden)
            return net, optim.Adam(net.parameters(), lr=lr)

        def train(state):
            net, opt = state
            for _ in range(steps):
                _step(gn, net, opt, loss_fn, X, y)

        return prepare_training(build, train, "nn.Module loop")

    return setup


def predict_keras(sizes):
    """Setup for Keras-style `model.predict(X)` in one batch (weights from one short fit)."""

    def setup(X):
        model = keras_model(sizes, 1e-3)
        labels = np.arange(min(len(X), 256)) % sizes[-1]
        model.fit(X[: len(labels)], labels, batch_size=128, epochs=1, verbose=0)
        return Prepared(lambda: model.predict(X, batch_size=len(X)), "predict")

    return setup


def predict_no_grad(sizes):
    """Setup for the PyTorch-style forward pass under `gn.no_grad()` (logits)."""

    def setup(X):
        gn, _, _ = import_glassnet()
        net = torch_style_net(sizes)

        def run():
            with gn.no_grad():
                return net(gn.tensor(X))

        return Prepared(run, "no_grad")

    return setup


def fit_to_target(sizes, batch_size, lr, target, max_epochs):
    """Setup for digits end to end through Keras-style `fit(epochs=1)` calls."""

    def setup(split):
        import_glassnet()

        def run():
            model = keras_model(sizes, lr)

            def epoch():
                model.fit(split.X_train, split.y_train, batch_size=batch_size, epochs=1,
                          verbose=0, shuffle=True)

            def accuracy():
                proba = np.asarray(model.predict(split.X_test))
                return float(np.mean(proba.argmax(axis=1) == split.y_test))

            return until_accurate(epoch, accuracy, target, max_epochs)

        return Prepared(run, "fit(epochs=1) per epoch")

    return setup


def loop_to_target(sizes, batch_size, lr, target, max_epochs):
    """Setup for digits end to end through the PyTorch-style loop."""

    def setup(split):
        gn, _, optim = import_glassnet()
        loss_fn = _loss_fn(gn, sizes[-1])

        def run():
            net = torch_style_net(sizes)
            opt = optim.Adam(net.parameters(), lr=lr)
            rng = np.random.default_rng(0)

            def epoch():
                _loop_epoch(gn, net, opt, loss_fn, split.X_train, split.y_train, batch_size,
                            rng)

            def accuracy():
                with gn.no_grad():
                    logits = net(gn.tensor(split.X_test)).data
                return float(np.mean(logits.argmax(axis=1) == split.y_test))

            return until_accurate(epoch, accuracy, target, max_epochs)

        return Prepared(run, "nn.Module loop")

    return setup
