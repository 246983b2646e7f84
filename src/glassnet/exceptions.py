"""The exceptions and warnings glassnet raises itself.

Every error that glassnet raises on purpose (rather than letting Python or NumPy raise it) can
be caught with ``GlassnetError``. Each one also inherits from the built-in exception that fits
it best, so code written for other libraries keeps working: a bad model file is a
``ValueError``, a model used before ``fit`` is a ``ValueError`` and an ``AttributeError`` (as in
scikit-learn).

Example:
    >>> from glassnet.exceptions import GlassnetError, ModelFileError
    >>> try:
    ...     raise ModelFileError("'model.glassnet' is truncated")
    ... except GlassnetError as error:
    ...     print(type(error).__name__, "-", error)
    ModelFileError - 'model.glassnet' is truncated
"""

from __future__ import annotations

__all__ = ["GlassnetError", "ModelFileError", "NotFittedError", "ConvergenceWarning"]


class GlassnetError(Exception):
    """Base class of every error glassnet raises on purpose.

    Example:
        >>> from glassnet.exceptions import GlassnetError, NotFittedError
        >>> issubclass(NotFittedError, GlassnetError)
        True
    """


class ModelFileError(GlassnetError, ValueError):
    """A model or weights file that cannot be loaded.

    Raised for a truncated, corrupted, foreign (not written by glassnet / not safetensors) or
    newer-version file. The message names the file and the reason. Loading never unpickles
    and never executes anything from the file.

    Example:
        >>> from glassnet.exceptions import ModelFileError
        >>> isinstance(ModelFileError("bad file"), ValueError)
        True
    """


class NotFittedError(GlassnetError, ValueError, AttributeError):
    """A model or estimator used (predict, evaluate, save, ...) before it was fitted or built.

    Like scikit-learn's ``NotFittedError`` it is both a ``ValueError`` and an
    ``AttributeError``, so scikit-learn's estimator checks and ``hasattr`` idioms work.

    Example:
        >>> from glassnet.exceptions import NotFittedError
        >>> try:
        ...     raise NotFittedError("This MLPClassifier is not fitted yet: call fit(X, y) first")
        ... except AttributeError as error:
        ...     print(error)
        This MLPClassifier is not fitted yet: call fit(X, y) first
    """


class ConvergenceWarning(UserWarning):
    """Training stopped (e.g. at ``max_iter``) before the optimisation converged.

    Example:
        >>> import warnings
        >>> from glassnet.exceptions import ConvergenceWarning
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     warnings.warn("max_iter=5 reached before convergence", ConvergenceWarning)
        >>> caught[0].category.__name__
        'ConvergenceWarning'
    """
