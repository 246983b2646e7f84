"""scikit-learn rivals: `MLPClassifier` with the same shape, Adam, no L2 penalty (alpha=0).

`fit` starts from fresh weights on every call, as users call it; the ConvergenceWarning that
`max_iter=1` provokes is silenced.
"""

from __future__ import annotations

import warnings

import numpy as np

from benchmarks.harness import Prepared, Unavailable, until_accurate


def classifier(hidden, batch_size, lr=1e-3, max_iter=1):
    """A seeded `MLPClassifier(solver="adam", activation="relu", alpha=0)` that runs `max_iter`.

    Example:
        >>> try:
        ...     print(classifier((4,), 32).batch_size)
        ... except Unavailable:
        ...     print(32)
        32
    """
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError as exc:
        raise Unavailable("scikit-learn not installed") from exc
    return MLPClassifier(
        hidden_layer_sizes=tuple(hidden), activation="relu", solver="adam", alpha=0.0,
        batch_size=batch_size, learning_rate_init=lr, max_iter=max_iter, shuffle=True,
        tol=0.0, n_iter_no_change=max_iter + 10, random_state=0,
    )


def quietly(fn, *args, **kwargs):
    """Call fn with scikit-learn's ConvergenceWarning (a UserWarning) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


def train_epochs(hidden, epochs, batch_size, lr=1e-3):
    """Setup for "fit `epochs` epochs on (X, y)"."""

    def setup(data):
        X, y = data
        y = y.ravel()
        classifier(hidden, batch_size, lr, epochs)  # fail early when sklearn is missing

        def run():
            quietly(classifier(hidden, batch_size, lr, epochs).fit, X, y)

        return Prepared(run, "MLPClassifier.fit")

    return setup


def predict(hidden, n_classes):
    """Setup for "predict_proba on all rows" (weights from one short fit on a few rows)."""

    def setup(X):
        clf = classifier(hidden, batch_size=128)
        labels = np.arange(min(len(X), 512)) % n_classes
        quietly(clf.fit, X[: len(labels)], labels)
        return Prepared(lambda: clf.predict_proba(X), "predict_proba")

    return setup


def train_to_target(hidden, batch_size, lr, target, max_epochs):
    """Setup for digits end to end: `partial_fit` (one epoch each) until accuracy >= target."""

    def setup(split):
        classifier(hidden, batch_size, lr)
        classes = np.arange(10)

        def run():
            clf = classifier(hidden, batch_size, lr)

            def epoch():
                quietly(clf.partial_fit, split.X_train, split.y_train, classes=classes)

            def accuracy():
                return float(np.mean(clf.predict(split.X_test) == split.y_test))

            return until_accurate(epoch, accuracy, target, max_epochs)

        return Prepared(run, "partial_fit per epoch")

    return setup
