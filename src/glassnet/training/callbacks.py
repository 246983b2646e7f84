"""Callbacks: code that the fit loop calls at fixed moments, Keras's hooks and semantics.

The loop calls, in this order (``logs`` is a dict of the numbers so far)::

    on_train_begin
        on_epoch_begin(epoch)
            on_train_batch_begin(batch) ... on_train_batch_end(batch, logs)   per batch
            on_test_begin ... on_test_end(logs)             validation, when there is some
        on_epoch_end(epoch, logs)          logs: loss, metrics, val_loss, val_<metric>
    on_train_end

``evaluate`` calls the ``on_test_*`` hooks and ``predict`` the ``on_predict_*`` ones.
A callback reaches the model being trained as ``self.model`` (it can read weights, set
``self.model.stop_training = True`` to stop after the current batch's epoch, change
``self.model.optimizer.lr``) and the fit settings as ``self.params`` (epochs, steps,
verbose).

Epochs count from 0 in the hooks, as in Keras (the progress display shows epoch + 1).

Example:
    >>> from glassnet.training.callbacks import Callback
    >>> class PrintLoss(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(f"epoch {epoch}: loss {logs['loss']:.2f}")
    >>> PrintLoss().on_epoch_end(0, {"loss": 0.25})
    epoch 0: loss 0.25
"""

from __future__ import annotations

import csv
import math
import os
import warnings

import numpy as np

__all__ = [
    "Callback",
    "CallbackList",
    "History",
    "EarlyStopping",
    "ModelCheckpoint",
    "LearningRateScheduler",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
    "CSVLogger",
    "LambdaCallback",
]

HOOKS = (
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
    "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end",
    "on_predict_batch_begin", "on_predict_batch_end",
)


class Callback:
    """Base class: override the hooks you need; each gets ``logs`` (a dict) or None.

    Attributes:
        model: the model being trained (set by the fit loop through ``set_model``).
        params: dict with ``epochs``, ``steps`` (batches per epoch) and ``verbose``.

    ``on_batch_begin``/``on_batch_end`` are the old Keras names of the training-batch
    hooks and are called by them.

    Example:
        >>> class CountBatches(Callback):
        ...     def on_train_begin(self, logs=None):
        ...         self.batches = 0
        ...     def on_train_batch_end(self, batch, logs=None):
        ...         self.batches += 1
        >>> counter = CountBatches()
        >>> counter.on_train_begin(); counter.on_train_batch_end(0); counter.batches
        1
    """

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model) -> None:
        """Called by ``fit``/``evaluate``/``predict``: the model this callback watches."""
        self.model = model

    def set_params(self, params: dict) -> None:
        """Called by ``fit``: its settings (``verbose``, ``epochs``, ``steps``)."""
        self.params = params

    def on_train_begin(self, logs=None):
        """Called once when ``fit`` starts."""

    def on_train_end(self, logs=None):
        """Called once when ``fit`` ends (``logs``: the last epoch's)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of each epoch (epoch counts from 0)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called after each epoch, with its training and validation numbers."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch."""
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch with the epoch's running numbers."""
        self.on_batch_end(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        """Old Keras name of ``on_train_batch_begin``."""

    def on_batch_end(self, batch, logs=None):
        """Old Keras name of ``on_train_batch_end``."""

    def on_test_begin(self, logs=None):
        """Called when ``evaluate`` (or the validation in ``fit``) starts."""

    def on_test_end(self, logs=None):
        """Called when ``evaluate`` (or the validation in ``fit``) ends, with its numbers."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each evaluation batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after each evaluation batch."""

    def on_predict_begin(self, logs=None):
        """Called when ``predict`` starts."""

    def on_predict_end(self, logs=None):
        """Called when ``predict`` ends."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each prediction batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each prediction batch."""


def implements(callback: Callback, hook: str) -> bool:
    """Does ``callback`` do something in ``hook`` (overridden, or set on the instance)?

    The fit loop skips the hooks nobody implements, so an unused hook costs nothing per batch.

    Example:
        >>> class OnEpoch(Callback):
        ...     def on_epoch_end(self, epoch, logs=None): pass
        >>> implements(OnEpoch(), "on_epoch_end"), implements(OnEpoch(), "on_train_batch_end")
        (True, False)
    """
    if hook in vars(callback):
        return True
    own = getattr(type(callback), hook, None)
    if own is not getattr(Callback, hook):
        return True
    alias = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}
    return hook in alias and implements(callback, alias[hook])


class CallbackList:
    """The callbacks of one ``fit``/``evaluate``/``predict`` call, called together.

    Adds the progress display (first) and a new ``History`` (last, so it records what the
    other callbacks added to the logs) unless told not to. Each hook is forwarded only to
    the callbacks that implement it.

    Args:
        callbacks: the user's callbacks (a list, or None).
        add_history: add a ``History`` (``fit`` does).
        add_progbar: add the progress display (a ``ProgbarLogger``).
        model: the model, given to every callback with ``set_model``.
        **params: ``epochs``, ``steps``, ``verbose``, given with ``set_params``.

    Example:
        >>> cbs = CallbackList([], add_history=True, add_progbar=False, epochs=1, verbose=0)
        >>> cbs.on_train_begin(); cbs.on_epoch_end(0, {"loss": 0.5})
        >>> cbs.history.history
        {'loss': [0.5]}
    """

    def __init__(self, callbacks=None, add_history: bool = False, add_progbar: bool = False,
                 model=None, **params):
        callbacks = list(callbacks or [])
        for callback in callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"callbacks must be Callback instances (e.g. EarlyStopping(...)), "
                    f"received {type(callback).__name__}"
                )
        self.history = None
        if add_progbar and params.get("verbose", 0):
            from glassnet.training.progress import ProgbarLogger

            callbacks.insert(0, ProgbarLogger())
        if add_history:
            self.history = History()
            callbacks.append(self.history)
        self.callbacks = callbacks
        self.params = params
        self.model = model
        for callback in callbacks:
            callback.set_params(params)
            if model is not None:
                callback.set_model(model)
        self._by_hook = {hook: [c for c in callbacks if implements(c, hook)] for hook in HOOKS}

    def wants(self, hook: str) -> bool:
        """True when some callback implements ``hook`` (the loop then prepares its logs)."""
        return bool(self._by_hook[hook])

    def wants_batch_logs(self, hook: str) -> bool:
        """True when a callback other than the progress display needs per-batch logs."""
        return any(not getattr(c, "computes_own_logs", False) for c in self._by_hook[hook])

    def _call(self, hook: str, *args) -> None:
        for callback in self._by_hook[hook]:
            getattr(callback, hook)(*args)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)


class History(Callback):
    """Records every epoch's logs; ``fit`` returns it (and sets ``model.history``).

    Attributes:
        history: dict of lists, one value per epoch: ``history["loss"]``,
            ``history["val_accuracy"]``, ...
        epoch: the epoch numbers recorded (from 0, or from ``initial_epoch``).

    Example:
        >>> h = History()
        >>> h.on_train_begin()
        >>> for epoch, loss in enumerate([0.9, 0.5]):
        ...     h.on_epoch_end(epoch, {"loss": loss})
        >>> h.history, h.epoch
        ({'loss': [0.9, 0.5]}, [0, 1])
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


# --------------------------------------------------------------------------------------------
# watching a monitored number
# --------------------------------------------------------------------------------------------

_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "r2")


def _higher_is_better(model, monitor: str) -> bool:
    """Keras's ``mode="auto"``: the loss goes down; a compiled metric knows its direction;
    names holding acc/auc/precision/recall/f1/r2 go up; anything else goes down."""
    name = monitor.removeprefix("val_")
    if name == "loss":
        return False
    for metric in getattr(model, "compiled_metrics", None) or ():
        if getattr(metric, "name", None) == name:
            return getattr(metric, "direction", "up") == "up"
    return any(part in name for part in _HIGHER_IS_BETTER)


def _check_mode(owner: str, mode: str) -> str:
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', received {mode!r}")
    return mode


def _missing_monitor(owner: str, monitor: str, logs) -> None:
    warnings.warn(
        f"{owner} is conditioned on '{monitor}', which is not in the logs. Available keys: "
        f"{', '.join(logs or {}) or '(none)'}"
        + (". Pass validation_data or validation_split to fit() to get val_ keys"
           if monitor.startswith("val_") else ""),
        stacklevel=3,
    )


class EarlyStopping(Callback):
    """Stop training when a monitored number has stopped improving (Keras's semantics).

    At the end of every epoch (from ``start_from_epoch`` on): the value improves if it
    beats the best so far by more than ``min_delta`` (lower for "min", higher for "max").
    An improvement resets the wait counter (if it also beats ``baseline``); otherwise the
    counter grows, and when it reaches ``patience`` training stops
    (``model.stop_training = True``). With ``patience=0`` the first epoch without
    improvement stops training; the first epoch (epoch 0) never stops it.

    ``restore_best_weights=True`` copies the weights at each new best epoch and puts them
    back at the end of training: whether the patience ran out or the epochs did (as in
    Keras 3; Keras 2 only restored when it stopped early). An epoch is restored even if it
    did not beat ``baseline``.

    Args:
        monitor: the log key to watch. Defaults to "val_loss".
        min_delta: the smallest change that counts as an improvement. Defaults to 0.
        patience: epochs without improvement before stopping. Defaults to 0.
        verbose: 1 prints a line when it stops and when it restores weights.
        mode: "min", "max" or "auto" (the default: "max" for accuracy-like names such as
            acc, auc, precision, recall, f1, r2 or a compiled metric that goes up; "min"
            for the loss and anything else).
        baseline: a value to beat; the wait counter is only reset by epochs that beat it.
        restore_best_weights: restore the best epoch's weights at the end of training.
        start_from_epoch: epochs of warm-up before monitoring starts.

    Attributes:
        best: the best monitored value seen (None before the first).
        best_epoch: the epoch (from 0) where it was seen.
        wait: epochs since the last improvement.
        stopped_epoch: the epoch (from 0) at which training was stopped, 0 if it was not.

    A missing monitor key gives a warning listing the available keys (and nothing stops).

    Example (the loss is already 0, so no epoch improves it: epoch 0 sets the best, epochs
    1, 2 and 3 wait, and epoch 3 stops training):
        >>> import numpy as np
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> from glassnet.training import Model
        >>> net = nn.Linear(2, 1)
        >>> _ = nn.init.zeros_(net.weight), nn.init.zeros_(net.bias)
        >>> model = Model(net)
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> stop = EarlyStopping(monitor="loss", patience=3)
        >>> history = model.fit(np.ones((8, 2)), np.zeros(8), epochs=10, callbacks=[stop],
        ...                     verbose=0)
        >>> len(history.history["loss"]), stop.stopped_epoch   # only 4 epochs run
        (4, 3)
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline=None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0):
        super().__init__()
        if patience < 0 or start_from_epoch < 0:
            raise ValueError(f"EarlyStopping: patience and start_from_epoch must be >= 0, "
                             f"received {patience} and {start_from_epoch}")
        self.monitor = monitor
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.verbose = verbose
        self.mode = _check_mode("EarlyStopping", mode)
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None
        self.sign = 1.0 if mode == "max" else -1.0  # "auto" is resolved in on_train_begin

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None
        higher = self.mode == "max" or (self.mode == "auto"
                                        and _higher_is_better(self.model, self.monitor))
        self.sign = 1.0 if higher else -1.0

    def _is_improvement(self, value, reference) -> bool:
        """``value`` beats ``reference`` by more than min_delta, in the right direction."""
        if reference is None:
            return True
        return self.sign * (value - reference) > self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            _missing_monitor("EarlyStopping", self.monitor, logs)
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # the first epoch is the best so far
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(Callback):
    """Save the model (or its weights) after every epoch, or only when it is the best yet.

    Files are written atomically (a temporary file, then a rename), so a crash during a
    save leaves the previous checkpoint whole. The full save (``model.save``) includes the
    optimizer state, so training can resume with ``fit(..., initial_epoch=epoch)`` after
    ``gn.load``.

    Args:
        filepath: where to save; may hold ``{epoch}`` (counted from 1) and log keys as
            format fields, e.g. ``"ckpt-{epoch:02d}-{val_loss:.2f}.glassnet"``.
        monitor: the log key that decides "best" (with ``save_best_only``).
        verbose: 1 prints a line at each save decision.
        save_best_only: save only when ``monitor`` improves on the best so far.
        save_weights_only: save only the weights (``model.save_weights``), no architecture.
        mode: "auto", "min" or "max", as in ``EarlyStopping``.
        save_freq: "epoch", or an integer: save every that many training batches.
        initial_value_threshold: a value the monitored number must beat to be saved at all.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from glassnet import nn
        >>> from glassnet.training import Model
        >>> model = Model(nn.Linear(2, 1))
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "w-{epoch:02d}.safetensors")
        ...     saver = ModelCheckpoint(path, monitor="loss", save_weights_only=True)
        ...     _ = model.fit(np.ones((4, 2)), np.ones(4), epochs=2, callbacks=[saver],
        ...                   verbose=0)
        ...     sorted(os.listdir(tmp))
        ['w-01.safetensors', 'w-02.safetensors']
    """

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__()
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(f"ModelCheckpoint: save_freq must be 'epoch' or a positive "
                             f"number of batches, received {save_freq!r}")
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.mode = _check_mode("ModelCheckpoint", mode)
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self.sign = 1.0 if mode == "max" else -1.0  # "auto" is resolved in on_train_begin
        self._epoch = 0
        self._batches_since_save = 0

    def on_train_begin(self, logs=None):
        higher = self.mode == "max" or (self.mode == "auto"
                                        and _higher_is_better(self.model, self.monitor))
        self.sign = 1.0 if higher else -1.0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._epoch, logs, batch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, logs)

    def _path(self, epoch: int, logs, batch=None) -> str:
        fields = dict(logs or {})
        fields["epoch"] = epoch + 1
        if batch is not None:
            fields.setdefault("batch", batch + 1)
        try:
            return self.filepath.format(**fields)
        except (KeyError, IndexError) as error:
            raise KeyError(
                f"ModelCheckpoint: cannot fill the filepath {self.filepath!r}: no value for "
                f"{error}; available: epoch, {', '.join(logs or {})}"
            ) from None

    def _should_save(self, epoch: int, logs, path: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"Epoch {epoch + 1}: saving model to {path}")
            return True
        current = (logs or {}).get(self.monitor)
        if current is None:  # Keras saves anyway
            _missing_monitor("ModelCheckpoint", self.monitor, logs)
            return True
        if self.best is None or self.sign * (current - self.best) > 0:
            if self.verbose > 0:
                before = "None" if self.best is None else f"{self.best:.5f}"
                print(f"Epoch {epoch + 1}: {self.monitor} improved from {before} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
        return False

    def _save(self, epoch: int, logs, batch=None) -> None:
        path = self._path(epoch, logs, batch)
        if os.path.isdir(path):
            raise IsADirectoryError(f"ModelCheckpoint: the filepath {path!r} is a directory; "
                                    f"give a file name")
        if not self._should_save(epoch, logs, path):
            return
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path, include_optimizer=True)


# --------------------------------------------------------------------------------------------
# the learning rate
# --------------------------------------------------------------------------------------------


def get_learning_rate(optimizer) -> float:
    """The optimizer's learning rate (its ``lr``, or its first parameter group's).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> get_learning_rate(optim.SGD([gn.zeros(1, requires_grad=True)], lr=0.1))
        0.1
    """
    if hasattr(optimizer, "lr"):
        return float(optimizer.lr)
    return float(optimizer.param_groups[0]["lr"])


def set_learning_rate(optimizer, value: float) -> None:
    """Set the learning rate (``lr``, or every parameter group's).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=0.1)
        >>> set_learning_rate(opt, 0.05)
        >>> get_learning_rate(opt), opt.param_groups[0]["lr"]
        (0.05, 0.05)
    """
    if hasattr(type(optimizer), "lr"):
        optimizer.lr = float(value)
        return
    for group in optimizer.param_groups:
        group["lr"] = float(value)


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of each epoch to ``schedule(epoch, lr)``.

    Args:
        schedule: a function of the epoch (from 0) and the current learning rate that
            returns the new learning rate.
        verbose: 1 prints the new rate at each epoch.

    The rate is also logged as ``learning_rate`` at the end of each epoch.

    Example:
        >>> import numpy as np
        >>> from glassnet import nn
        >>> from glassnet.training import Model
        >>> model = Model(nn.Linear(1, 1))
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> halve = LearningRateScheduler(lambda epoch, lr: lr if epoch == 0 else lr / 2)
        >>> history = model.fit(np.ones((4, 1)), np.ones(4), epochs=3, callbacks=[halve],
        ...                     verbose=0)
        >>> history.history["learning_rate"]
        [0.01, 0.005, 0.0025]
    """

    def __init__(self, schedule, verbose: int = 0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be a function "
                            f"schedule(epoch, lr), received {type(schedule).__name__}")
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = self.schedule(epoch, get_learning_rate(self.model.optimizer))
        if not isinstance(lr, (float, int, np.floating, np.integer)) or not math.isfinite(lr):
            raise ValueError(f"LearningRateScheduler: the schedule must return a finite "
                             f"number, returned {lr!r} at epoch {epoch}")
        set_learning_rate(self.model.optimizer, float(lr))
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model.optimizer)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when a monitored number stops improving.

    Keras's semantics: a value improves when it beats the best by more than ``min_delta``;
    after ``patience`` epochs without improvement the rate becomes
    ``max(lr * factor, min_lr)``, then ``cooldown`` epochs pass before counting again.
    The rate is logged as ``learning_rate``.

    Args:
        monitor: the log key to watch. Defaults to "val_loss".
        factor: the multiplier, in (0, 1). Defaults to 0.1.
        patience: epochs without improvement before reducing. Defaults to 10.
        verbose: 1 prints a line at each reduction.
        mode: "auto", "min" or "max" (as in ``EarlyStopping``).
        min_delta: the smallest change that counts as an improvement. Defaults to 1e-4.
        cooldown: epochs to wait after a reduction. Defaults to 0.
        min_lr: the lowest learning rate. Defaults to 0.

    Example:
        >>> cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
        >>> cb.mode, cb.factor
        ('auto', 0.5)
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0):
        super().__init__()
        if not 0 < factor < 1:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1), received {factor}")
        self.monitor = monitor
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.mode = _check_mode("ReduceLROnPlateau", mode)
        self.min_delta = min_delta
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._reset()

    def _reset(self):
        self.wait = 0
        self.cooldown_counter = 0
        higher = self.mode == "max" or (self.mode == "auto" and self.model is not None
                                        and _higher_is_better(self.model, self.monitor))
        self.sign = 1.0 if higher else -1.0
        self.best = -np.inf if higher else np.inf

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = get_learning_rate(optimizer)
        current = logs.get(self.monitor)
        if current is None:
            _missing_monitor("ReduceLROnPlateau", self.monitor, logs)
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self.sign * (current - self.best) > self.min_delta:
            self.best = current
            self.wait = 0
            return
        if self.cooldown_counter > 0:
            return
        self.wait += 1
        if self.wait < self.patience:
            return
        old_lr = get_learning_rate(optimizer)
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            set_learning_rate(optimizer, new_lr)
            if self.verbose > 0:
                print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                      f"{new_lr}.")
            self.cooldown_counter = self.cooldown
            self.wait = 0


class TerminateOnNaN(Callback):
    """Stop training quietly (with a warning) when the loss becomes NaN or infinite.

    Without it, ``fit`` raises ``TrainingDivergedError``. Either way the weights of the last
    epoch that ended with a finite loss are put back, and the epoch that diverged is not
    recorded in the history.

    Example:
        >>> import warnings
        >>> class FakeModel:
        ...     stop_training = False
        >>> cb = TerminateOnNaN(); cb.set_model(FakeModel())
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     cb.on_train_batch_end(4, {"loss": float("nan")})
        >>> cb.model.stop_training, str(caught[0].message)
        (True, 'Batch 4: invalid loss nan, terminating training')
    """

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            warnings.warn(f"Batch {batch}: invalid loss {loss}, terminating training",
                          UserWarning, stacklevel=2)
            self.model.stop_training = True


class CSVLogger(Callback):
    """Write each epoch's logs as a row of a CSV file (columns: epoch, then sorted keys).

    Args:
        filename: the CSV file.
        separator: the column separator. Defaults to ",".
        append: add to an existing file (no second header) instead of overwriting it.

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "log.csv")
        ...     logger = CSVLogger(path)
        ...     logger.on_train_begin()
        ...     logger.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.75})
        ...     logger.on_train_end()
        ...     print(open(path).read().strip())
        epoch,accuracy,loss
        0,0.75,0.5
    """

    def __init__(self, filename, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.separator = separator
        self.append = append
        self.keys = None
        self._file = None
        self._writer = None

    def on_train_begin(self, logs=None):
        has_rows = (self.append and os.path.exists(self.filename)
                    and os.path.getsize(self.filename) > 0)
        self._file = open(self.filename, "a" if self.append else "w", newline="",
                          encoding="utf-8")
        self._write_header = not has_rows
        self.keys = None
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._writer is None:
            self.keys = sorted(logs)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *self.keys],
                                          delimiter=self.separator, extrasaction="ignore")
            if self._write_header:
                self._writer.writeheader()
        row = {"epoch": epoch}
        row.update({key: logs.get(key, "NA") for key in self.keys})
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None


class LambdaCallback(Callback):
    """A callback made of plain functions, one per hook you need.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_train_begin, on_train_end: ``f(logs)``.
        on_train_batch_begin, on_train_batch_end: ``f(batch, logs)``.
        **kwargs: any other hook by name (``on_test_end=f``, ...).

    Example:
        >>> losses = []
        >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
        >>> cb.on_epoch_end(0, {"loss": 0.3}); losses
        [0.3]
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        functions = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                         on_train_begin=on_train_begin, on_train_end=on_train_end,
                         on_train_batch_begin=on_train_batch_begin,
                         on_train_batch_end=on_train_batch_end)
        for hook in kwargs:
            if hook not in HOOKS and hook not in ("on_batch_begin", "on_batch_end"):
                raise TypeError(f"LambdaCallback: unknown hook {hook!r}; valid hooks: "
                                f"{', '.join(HOOKS)}")
        functions.update(kwargs)
        for hook, function in functions.items():
            if function is not None:
                setattr(self, hook, function)
