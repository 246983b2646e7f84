"""The progress display of ``fit``, ``evaluate`` and ``predict``.

``verbose`` chooses what you see:

- ``0``: nothing;
- ``1``: a progress bar per epoch (tqdm) with the ETA and the running loss and metrics;
- ``2``: one plain line per epoch, for logs and CI::

      Epoch 3/30 - loss: 0.1234 - accuracy: 0.9500 - val_loss: 0.2010 - 0.12s

- ``"auto"`` (the default): 1 when standard output is a terminal (or in Jupyter), else 2.

Example:
    >>> format_logs({"loss": 0.123456, "accuracy": 0.95, "lr": 1e-05})
    'loss: 0.1235 - accuracy: 0.9500 - lr: 1.0000e-05'
"""

from __future__ import annotations

import os
import sys
import time

from glassnet.training.callbacks import Callback

__all__ = ["ProgbarLogger", "format_logs", "resolve_verbose"]


def resolve_verbose(verbose) -> int:
    """Turn ``verbose`` into 0, 1 or 2 ("auto": 1 on a terminal, else 2).

    Example:
        >>> resolve_verbose(0), resolve_verbose(2)
        (0, 2)
    """
    if verbose == "auto":
        stream = sys.stdout
        terminal = hasattr(stream, "isatty") and stream.isatty()
        return 1 if terminal or "ipykernel" in sys.modules else 2  # a bar in Jupyter too
    if verbose in (0, 1, 2) and not isinstance(verbose, float):
        return int(verbose)
    raise ValueError(f"verbose must be 0, 1, 2 or 'auto', received {verbose!r}")


#: the bar: "Epoch 3/30 45/45 |#####     | 00:01<00:01, loss: 0.1234 - accuracy: 0.9500"
BAR_FORMAT = "{desc} {n_fmt}/{total_fmt} |{bar:20}| {elapsed}<{remaining}{postfix}"


def _width() -> dict:
    """tqdm's size settings: follow the terminal, or 80x24 when it reports a 0x0 size (some
    pseudo-terminals do, and tqdm would then hide the bar); Jupyter sizes itself."""
    if "ipykernel" in sys.modules:
        return {}
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return {"dynamic_ncols": True} if columns > 0 else {"ncols": 80, "nrows": 24}


def _number(value) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if value != 0 and abs(value) < 1e-3:
        return f"{value:.4e}"
    return f"{value:.4f}"


def format_logs(logs) -> str:
    """``'key: value - key: value'`` with 4 decimals (scientific notation below 1e-3).

    Example:
        >>> format_logs({"loss": 0.25, "accuracy": 1, "lr": 1e-5})
        'loss: 0.2500 - accuracy: 1.0000 - lr: 1.0000e-05'
    """
    return " - ".join(f"{key}: {_number(value)}" for key, value in (logs or {}).items())


class ProgbarLogger(Callback):
    """Shows training progress: a tqdm bar (verbose=1) or one line per epoch (verbose=2).

    ``fit`` adds it by itself (first in the callback list) when ``verbose`` is not 0.
    During ``fit`` the validation pass shows nothing of its own: its numbers appear at the
    end of the epoch's bar or line.

    Example:
        >>> bar = ProgbarLogger()
        >>> bar.set_params({"verbose": 2, "epochs": 3, "steps": 4})
        >>> bar.on_train_begin(); bar.on_epoch_begin(0)
        >>> bar._start -= 0.5                              # pretend half a second passed
        >>> bar.on_epoch_end(0, {"loss": 0.25, "val_loss": 0.5})
        Epoch 1/3 - loss: 0.2500 - val_loss: 0.5000 - 0.50s
    """

    computes_own_logs = True  # asks the model for running logs only when it redraws
    refresh_seconds = 0.2

    def __init__(self):
        super().__init__()
        self._bar = None
        self._in_fit = False
        self._start = 0.0
        self._last_refresh = 0.0

    @property
    def verbose(self) -> int:
        return self.params.get("verbose", 1)

    # -- bars ----------------------------------------------------------------------------
    def _open_bar(self, description: str) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(total=self.params.get("steps"), desc=description, unit="step",
                         file=sys.stdout, leave=True, mininterval=0.1,
                         bar_format=BAR_FORMAT, **_width())
        self._last_refresh = time.perf_counter()

    def _advance(self, logs) -> None:
        if self._bar is None:
            return
        self._bar.update(1)
        now = time.perf_counter()
        if now - self._last_refresh >= self.refresh_seconds:
            self._last_refresh = now
            if not logs and hasattr(self.model, "running_logs"):
                logs = self.model.running_logs()
            if logs:
                self._bar.set_postfix_str(format_logs(logs), refresh=False)

    def _close_bar(self, logs) -> None:
        if self._bar is None:
            return
        if logs:
            self._bar.set_postfix_str(format_logs(logs), refresh=False)
        self._bar.close()
        self._bar = None

    def _line(self, head: str, logs) -> None:
        seconds = time.perf_counter() - self._start
        parts = [head] + ([format_logs(logs)] if logs else []) + [f"{seconds:.2f}s"]
        print(" - ".join(parts), file=sys.stdout, flush=True)

    # -- training ------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._close_bar(None)
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._epoch_head = f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}"
        if self.verbose == 1:
            self._open_bar(self._epoch_head)

    def on_train_batch_end(self, batch, logs=None):
        self._advance(logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.verbose == 1:
            self._close_bar(logs)
        else:
            self._line(self._epoch_head, logs)

    # -- evaluate and predict (not the validation inside fit) ----------------------------
    def on_test_begin(self, logs=None):
        if self._in_fit:
            return
        self._start = time.perf_counter()
        if self.verbose == 1:
            self._open_bar("Evaluate")

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit:
            self._advance(logs)

    def on_test_end(self, logs=None):
        if self._in_fit:
            return
        if self.verbose == 1:
            self._close_bar(logs)
        else:
            self._line("Evaluate", logs)

    def on_predict_begin(self, logs=None):
        self._start = time.perf_counter()
        if self.verbose == 1:
            self._open_bar("Predict")

    def on_predict_batch_end(self, batch, logs=None):
        self._advance(None)

    def on_predict_end(self, logs=None):
        if self.verbose == 1:
            self._close_bar(None)
        else:
            self._line("Predict", logs)
