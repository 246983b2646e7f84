"""The perceptron: Rosenblatt's learning rule (1958), one neuron with a step activation.

A perceptron computes a weighted sum of its inputs and fires when it reaches the threshold::

    z = w . x + b                    (the net input: w the weights, b the bias)
    y_hat = step(z) = 1 if z >= 0 else 0

and learns from its mistakes, one sample at a time::

    error = y - y_hat                (+1: should have fired, -1: should not have, 0: right)
    w <- w + learning_rate * error * x
    b <- b + learning_rate * error

There is no gradient and no autograd here: the step function is flat everywhere except at 0,
so it has no useful derivative, and the rule above is not gradient descent on a smooth loss.
If the two classes can be separated by a straight line (a plane, in more dimensions) the rule
finds one after finitely many mistakes (Novikoff's convergence theorem, 1962): AND and OR are
learnt in a few epochs. If they cannot, as for XOR, it never stops making mistakes, and a
network with a hidden layer is needed (see ``glassnet.nn``).

Example:
    >>> import numpy as np
    >>> from glassnet.perceptron import Perceptron
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> p = Perceptron(learning_rate=0.1).fit(X, np.array([0, 0, 0, 1]))   # AND
    >>> p.predict(X), p.errors_
    (array([0, 0, 0, 1]), [2, 3, 3, 2, 1, 0])
"""

from __future__ import annotations

import difflib
import inspect
import math
import numbers
import warnings

import numpy as np

from glassnet.backend import get_default_dtype, get_generator
from glassnet.exceptions import ConvergenceWarning, NotFittedError

__all__ = ["Perceptron", "ConvergenceWarning"]


class Perceptron:
    """Rosenblatt's perceptron for two classes, trained one sample at a time.

    The model is ``predict(x) = step(w . x + b)`` with ``step(z) = 1 if z >= 0 else 0``, and
    ``fit`` applies the rule ``w <- w + learning_rate * (y - y_hat) * x`` (and the same for
    ``b`` with x = 1) to each sample in turn. An epoch is one pass over the data; training
    stops after the first epoch without a mistake (``converged_ = True``) or after
    ``max_epochs`` epochs, with a ``ConvergenceWarning`` because the classes are then probably
    not linearly separable.

    Choices worth knowing:

    - **z >= 0, not z > 0.** At exactly z = 0 the perceptron fires (predicts the second class),
      as in Rosenblatt's step (Heaviside) function and the tutorial's ``1 if z >= 0 else 0``.
      Some texts use ``z > 0`` (scikit-learn's ``Perceptron`` predicts the second class only for
      ``decision_function > 0``); the two give different runs from zero weights, where every
      z starts at 0: with ``>=`` the untrained perceptron says 1 to everything.
    - **Zero initial weights.** A multi-layer network must start from small random weights,
      or all hidden units in a layer compute the same thing and receive the same update
      forever (symmetry). A single perceptron has no other unit to be symmetric with, and its
      update ``error * x`` is non-zero at the first mistake, so zeros work and make every run
      reproducible by hand. (Tutorials that start a lone perceptron from small random weights
      "to break symmetry" borrow a rule that only matters for layers.) A consequence: from zero
      weights, w and b are always ``learning_rate`` times a sum of ``+-x`` and ``+-1``, so the
      learning rate only scales them and never changes a prediction, a mistake or an epoch.
    - **Exact ties.** Binary gates like AND land exactly on z = 0, and floating point cannot
      represent 0.1: ``0.1 + 0.1 + 0.1 - 0.3`` is ``5.6e-17``, not 0. To follow the hand
      calculation, ``fit`` keeps the running sums of ``error * x`` and ``error`` (exact for
      integer inputs) and sets ``w = learning_rate * sum``, the same value as adding the
      updates one by one, but rounded once instead of many times. Then any z within rounding
      error of 0 (``|z| <= (n_features + 2) * eps * (|x| . |w| + |b|)``) is counted as exactly
      0 by ``fit``, ``decision_function`` and ``predict`` alike.

    Parameters are stored as given; ``fit`` validates them (scikit-learn's convention, so
    ``get_params``, ``set_params`` and ``sklearn.base.clone`` work without scikit-learn).

    Args:
        learning_rate: step size ``lr`` of the update, > 0. Defaults to 0.1.
        max_epochs: the most passes over the data, >= 1. Defaults to 100.
        shuffle: visit the samples in a new random order every epoch. Defaults to False
            (the order given, as in the tutorials).
        random_state: None (glassnet's default generator, see ``gn.seed``), an int seed or a
            ``numpy.random.Generator``; used only when ``shuffle=True``.

    Attributes:
        weights_ (ndarray of shape (n_features,)): w, float32 unless X is float64.
        bias_ (float): b.
        errors_ (list of int): mistakes (updates) made in each epoch; ends with 0 if converged.
        n_iter_ (int): epochs run.
        converged_ (bool): whether an epoch passed without a mistake.
        classes_ (ndarray of shape (2,)): the two labels, sorted; ``classes_[1]`` is the one
            predicted when z >= 0.
        n_features_in_ (int): number of features seen in ``fit``.
        history_ (list of dict or None): with ``fit(..., record=True)``, one entry per sample
            visit in order (see ``fit``); otherwise None.

    Example:
        >>> import numpy as np
        >>> from glassnet.perceptron import Perceptron
        >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        >>> p = Perceptron(learning_rate=0.1).fit(X, np.array([0, 1, 1, 1]))   # OR
        >>> p.converged_, p.n_iter_, p.weights_.round(2).tolist(), round(p.bias_, 2)
        (True, 4, [0.1, 0.1], -0.1)
        >>> p.predict(np.array([[0.0, 0.2], [1.0, 1.0]]))
        array([0, 1])
    """

    # For scikit-learn older than 1.6 (newer versions ask __sklearn_tags__).
    _estimator_type = "classifier"

    def __init__(self, learning_rate=0.1, max_epochs=100, *, shuffle=False, random_state=None):
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.random_state = random_state

    # ------------------------------------------------------------ scikit-learn conventions

    @classmethod
    def _param_names(cls) -> list:
        """The constructor's parameter names, sorted (as scikit-learn lists them)."""
        signature = inspect.signature(cls.__init__)
        return sorted(name for name in signature.parameters if name != "self")

    def get_params(self, deep=True) -> dict:
        """The constructor parameters as a dict (``deep`` is accepted for scikit-learn).

        Example:
            >>> Perceptron(learning_rate=0.5).get_params()
            {'learning_rate': 0.5, 'max_epochs': 100, 'random_state': None, 'shuffle': False}
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params) -> Perceptron:
        """Set constructor parameters by name and return ``self`` (validated in ``fit``).

        Raises:
            ValueError: for a name that is not a parameter; the message lists the valid ones.

        Example:
            >>> Perceptron().set_params(max_epochs=10, shuffle=True)
            Perceptron(max_epochs=10, shuffle=True)
        """
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                close = difflib.get_close_matches(name, valid, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"Invalid parameter {name!r} for Perceptron. "
                    f"Valid parameters are: {valid}.{hint}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if value is not defaults[name].default and value != defaults[name].default
        ]
        return f"Perceptron({', '.join(changed)})"

    def __sklearn_tags__(self):
        """Tags for scikit-learn >= 1.6 (imported only when scikit-learn asks)."""
        from sklearn.utils import ClassifierTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
        )

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "weights_")

    # ----------------------------------------------------------------------------- fitting

    def fit(self, X, y, *, record=False) -> Perceptron:
        """Learn w and b with Rosenblatt's rule; return ``self``.

        For each epoch, for each sample (in order, or shuffled with ``shuffle=True``)::

            z = w . x + b;  y_hat = 1 if z >= 0 else 0;  error = y - y_hat
            w <- w + learning_rate * error * x;  b <- b + learning_rate * error

        starting from w = 0, b = 0. Stops after the first epoch with no mistake.

        Args:
            X: array-like of shape (n_samples, n_features), numbers without NaN/inf.
            y: array-like of shape (n_samples,) with exactly two distinct labels (0/1, -1/1,
                strings, ...); ``classes_[0]`` is learnt as 0 and ``classes_[1]`` as 1.
            record: keep ``history_``, one dict per sample visit with keys ``epoch``
                (1-based), ``sample`` (row of X), ``x``, ``y`` (target 0/1), ``z``,
                ``prediction`` (0/1), ``error`` (-1, 0 or 1), ``w_before``, ``w_after``,
                ``b_before``, ``b_after``. A visit with error 0 leaves w and b unchanged.
                Meant for small data (``glassnet explain --example perceptron``).

        Returns:
            self, fitted.

        Raises:
            ValueError: bad hyperparameters, X not 2-D or empty, NaN/inf in X or y, X and y of
                different lengths, not exactly two classes.
            TypeError: non-numeric X or hyperparameters of the wrong type.

        Warns:
            ConvergenceWarning: ``max_epochs`` reached with mistakes in the last epoch.

        Example:
            >>> import numpy as np
            >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
            >>> p = Perceptron().fit(X, np.array([0, 0, 0, 1]), record=True)
            >>> step = p.history_[0]   # epoch 1, sample 0: x = [0, 0], target 0
            >>> step["z"], step["prediction"], step["error"], step["b_before"], step["b_after"]
            (0.0, 1, -1, 0.0, -0.1)
        """
        learning_rate, max_epochs, rng = self._validated_hyperparameters()
        X = _check_X(X, "Perceptron.fit")
        y = _check_y(y, X.shape, "Perceptron.fit")
        classes = _two_classes(y, "Perceptron.fit")
        targets = (y == classes[1]).astype(np.int64)  # classes_[0] -> 0, classes_[1] -> 1

        lr = X.dtype.type(learning_rate)
        n_samples, n_features = X.shape
        # w = lr * sum_w and b = lr * sum_b (see "Exact ties" in the class docstring).
        sum_w = np.zeros(n_features, dtype=X.dtype)
        sum_b = X.dtype.type(0)
        w, b = lr * sum_w, lr * sum_b
        errors, history = [], [] if record else None
        for epoch in range(1, max_epochs + 1):
            order = rng.permutation(n_samples) if self.shuffle else range(n_samples)
            mistakes = 0
            for i in order:
                x_i = X[i]
                z = float(_net_input(x_i, w, b))
                prediction = 1 if z >= 0 else 0  # the step function
                error = int(targets[i]) - prediction
                w_before, b_before = w, b
                if error != 0:
                    sum_w = sum_w + error * x_i  # w <- w + lr * error * x
                    sum_b = sum_b + error  # b <- b + lr * error
                    w, b = lr * sum_w, lr * sum_b
                    mistakes += 1
                if record:
                    history.append({
                        "epoch": epoch, "sample": int(i), "x": x_i.copy(),
                        "y": int(targets[i]), "z": z, "prediction": prediction, "error": error,
                        "w_before": w_before.copy(), "w_after": w.copy(),
                        "b_before": float(b_before), "b_after": float(b),
                    })
            errors.append(mistakes)
            if mistakes == 0:
                break

        self.weights_ = w
        self.bias_ = float(b)
        self.errors_ = errors
        self.n_iter_ = len(errors)
        self.converged_ = errors[-1] == 0
        self.classes_ = classes
        self.n_features_in_ = n_features
        self.history_ = history
        if not self.converged_:
            warnings.warn(
                f"Perceptron did not converge in max_epochs={max_epochs} epochs: it still made "
                f"{errors[-1]} mistakes on {n_samples} samples in the last epoch. The data is "
                f"probably not linearly separable (like XOR: no straight line separates the "
                f"classes), and then the perceptron rule never stops. Use a multi-layer "
                f"network with a hidden layer (e.g. 2-4-1 for XOR), or raise max_epochs if "
                f"the classes are separable but close.",
                ConvergenceWarning,
                stacklevel=2,
            )
        return self

    def _validated_hyperparameters(self):
        """Check the constructor parameters (at fit time, as scikit-learn does)."""
        lr = self.learning_rate
        if not isinstance(lr, numbers.Real) or isinstance(lr, (bool, np.bool_)):
            raise TypeError(
                f"Perceptron: learning_rate must be a positive number, received {lr!r} "
                f"({type(lr).__name__})"
            )
        if not math.isfinite(lr) or lr <= 0:
            raise ValueError(f"Perceptron: learning_rate must be > 0 and finite, received {lr!r}")
        epochs = self.max_epochs
        if not isinstance(epochs, numbers.Integral) or isinstance(epochs, (bool, np.bool_)):
            raise TypeError(
                f"Perceptron: max_epochs must be an integer >= 1, received {epochs!r} "
                f"({type(epochs).__name__})"
            )
        if epochs < 1:
            raise ValueError(f"Perceptron: max_epochs must be >= 1, received {epochs!r}")
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise TypeError(
                f"Perceptron: shuffle must be True or False, received {self.shuffle!r}"
            )
        try:
            rng = get_generator(self.random_state)
        except TypeError as error:
            raise TypeError(f"Perceptron: random_state: {error}") from None
        return float(lr), int(epochs), rng

    # -------------------------------------------------------------------------- predicting

    def decision_function(self, X) -> np.ndarray:
        """The net input ``z = X . w + b`` for each sample (z >= 0 means ``classes_[1]``).

        Values within floating-point rounding error of 0 are returned as exactly 0.0.

        Args:
            X: array-like of shape (n_samples, n_features_in_).

        Returns:
            ndarray of shape (n_samples,).

        Example:
            >>> import numpy as np
            >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
            >>> p = Perceptron().fit(X, np.array([0, 0, 0, 1]))
            >>> p.decision_function(X).round(2)
            array([-0.3, -0.2, -0.1,  0. ], dtype=float32)
        """
        self._check_fitted("decision_function")
        X = _check_X(X, "Perceptron.decision_function", self.weights_.dtype)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"Perceptron.decision_function: X has {X.shape[1]} features, but Perceptron is "
                f"expecting {self.n_features_in_} features as input (as in fit); received "
                f"shape {X.shape}"
            )
        return _net_input(X, self.weights_, self.bias_)

    def predict(self, X) -> np.ndarray:
        """The predicted label of each sample: ``classes_[1]`` where z >= 0, else ``classes_[0]``.

        Args:
            X: array-like of shape (n_samples, n_features_in_).

        Returns:
            ndarray of shape (n_samples,) holding labels from ``classes_``.

        Example:
            >>> import numpy as np
            >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
            >>> p = Perceptron().fit(X, np.array(["no", "no", "no", "yes"]))
            >>> p.predict(X).tolist()
            ['no', 'no', 'no', 'yes']
        """
        z = self.decision_function(X)
        return self.classes_[(z >= 0).astype(np.int64)]

    def score(self, X, y) -> float:
        """Accuracy: the fraction of samples whose predicted label equals y.

        Example:
            >>> import numpy as np
            >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
            >>> y_xor = np.array([0, 1, 1, 0])
            >>> p = Perceptron(max_epochs=5)
            >>> import warnings
            >>> with warnings.catch_warnings():
            ...     warnings.simplefilter("ignore")
            ...     score = p.fit(X, y_xor).score(X, y_xor)
            >>> score < 1.0     # XOR is not linearly separable
            True
        """
        self._check_fitted("score")
        X = _check_X(X, "Perceptron.score", self.weights_.dtype)
        y = _check_y(y, X.shape, "Perceptron.score")
        return float(np.mean(self.predict(X) == y))

    def _check_fitted(self, method: str) -> None:
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(
                f"This Perceptron instance is not fitted yet. Call 'fit' with appropriate "
                f"arguments before using '{method}'."
            )


# ------------------------------------------------------------------------- shared helpers


def _net_input(X, w, b):
    """z = X . w + b, with any z within rounding error of 0 set to exactly 0.

    Bound: computing ``x . w + b`` in floating point, with each weight one rounding away from
    its exact value, is off by at most about ``(n_features + 2) * eps / 2`` times
    ``|x| . |w| + |b|``; we use twice that. A genuine z that small is already below what the
    floating-point inputs can resolve, so calling it 0 changes nothing real.
    """
    z = X @ w + b
    tolerance = (w.shape[0] + 2) * np.finfo(w.dtype).eps * (np.abs(X) @ np.abs(w) + abs(b))
    return np.where(np.abs(z) <= tolerance, 0, z).astype(w.dtype, copy=False)


def _check_X(X, where: str, dtype=None) -> np.ndarray:
    """X as a finite 2-D float array; float32/float64 arrays keep their dtype.

    Other numbers (lists, integers) become ``dtype`` (default: glassnet's default dtype).
    """
    if type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"{where}: sparse input is not supported, received {type(X).__name__}; "
            f"convert it with X.toarray()"
        )
    array = np.asarray(X)
    if array.dtype == object:
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{where}: X must hold numbers ({error})") from None
    if array.dtype.kind == "c":
        raise ValueError(f"{where}: Complex data not supported, received dtype {array.dtype}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{where}: X must hold numbers, received dtype {array.dtype}")
    if array.ndim != 2:
        hint = ""
        if array.ndim == 1:
            hint = (
                " Reshape your data with X.reshape(-1, 1) if it has a single feature or "
                "X.reshape(1, -1) if it is a single sample."
            )
        raise ValueError(
            f"{where}: expected X as a 2-D array (n_samples, n_features), "
            f"received shape {array.shape}.{hint}"
        )
    for axis, what in ((0, "sample(s)"), (1, "feature(s)")):
        if array.shape[axis] == 0:
            raise ValueError(
                f"{where}: found X with 0 {what} (shape={array.shape}) while a minimum of 1 "
                f"is required."
            )
    keep = isinstance(X, np.ndarray) and X.dtype in (np.float32, np.float64)
    array = array.astype(X.dtype if keep else (dtype or get_default_dtype()), copy=False)
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        row, column = bad[0]
        raise ValueError(
            f"{where}: X contains NaN or inf; the first is {array[row, column]} at row {row}, "
            f"column {column}"
        )
    return array


def _check_y(y, x_shape, where: str) -> np.ndarray:
    """y as a 1-D array with one label per row of X (a column vector is flattened)."""
    if y is None:
        raise ValueError(f"{where} requires y to be passed, but the target y is None")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{where}: expected y as a 1-D array of labels, received shape {y.shape}")
    if y.shape[0] != x_shape[0]:
        raise ValueError(
            f"{where}: X and y must have the same number of samples, received X with shape "
            f"{x_shape} and y with shape {y.shape}"
        )
    if y.dtype.kind in "fc":
        bad = np.flatnonzero(~np.isfinite(y))
        if len(bad):
            raise ValueError(
                f"{where}: y contains NaN or inf; the first is {y[bad[0]]} at row {bad[0]}"
            )
    return y


def _two_classes(y, where: str) -> np.ndarray:
    """The sorted pair of labels in y, or a ValueError that says what is wrong with y."""
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        row = int(np.flatnonzero(y != np.round(y))[0])
        raise ValueError(
            f"{where}: Unknown label type: y looks continuous ({y[row]} at row {row}); the "
            f"perceptron needs two class labels such as 0/1, -1/1 or two strings"
        )
    classes = np.unique(y)
    if len(classes) == 1:
        raise ValueError(
            f"{where}: y has 1 class ({_preview(classes)}); the perceptron learns to separate "
            f"exactly two classes, so it needs samples of both"
        )
    if len(classes) > 2:
        raise ValueError(
            f"{where}: Only binary classification is supported. The perceptron separates "
            f"exactly two classes, but y has {len(classes)}: {_preview(classes)}. Use a "
            f"network with a softmax output (e.g. glassnet.sklearn.MLPClassifier) for more."
        )
    return classes


def _preview(values, limit=10) -> str:
    """A short printable list of values for error messages."""
    values = np.asarray(values).ravel()
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in values[:limit])
    more = f", ... ({len(values)} in all)" if len(values) > limit else ""
    return f"[{shown}{more}]"
