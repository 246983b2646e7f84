"""``Model``: Keras's ``compile``/``fit``/``evaluate``/``predict`` for any ``nn.Module``.

``gn.Sequential`` hands its Keras-style methods to a ``Model`` wrapped around itself;
``Model(module)`` gives the same methods to your own ``nn.Module`` subclass. There is one
training loop, this one::

    for each epoch:
        shuffle the rows once (one permutation from the model's random generator)
        for each slice of batch_size rows:          (train_step)
            output = module(x_batch)                forward: builds the graph
            loss = loss(output, y_batch) (+ weight penalties)
            loss.backward()                         fills every parameter's .grad
            optimizer.step()                        updates the weights in place
        validation: loss and metrics on held-out rows, without a graph
        callbacks.on_epoch_end(epoch, logs)         history, progress, early stopping, ...

Details that matter:

- **Fusion.** A model that ends in a sigmoid (softmax) and is trained with the binary
  (categorical) cross-entropy is trained on its logits, the output before that activation,
  with ``binary_cross_entropy_with_logits`` (``cross_entropy``): the same loss, but finite
  when the activation saturates. ``predict`` still returns probabilities. See
  ``glassnet.training.losses``.
- **Weighting.** ``sample_weight``/``class_weight`` weight each sample's loss; the batch
  loss is ``sum(w_i * loss_i) / batch_size`` (Keras's "sum_over_batch_size").
- **Logged numbers.** ``loss`` and the metrics of an epoch are over all its samples, as
  they were when each batch was seen (Keras's running values); ``val_*`` are computed after
  the epoch. Weight penalties (``kernel_regularizer``) are included in the loss.
- **Divergence.** If the loss becomes NaN or infinite, the weights (and optimizer state)
  of the last epoch that ended well are restored and ``TrainingDivergedError`` is raised,
  or training stops quietly when a callback such as ``TerminateOnNaN`` asks for it.

Example (the tutorials' students pass/fail model):
    >>> import numpy as np
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> _ = gn.seed(0)
    >>> from glassnet.data import students
    >>> X, y = students()
    >>> model = nn.Sequential([nn.Dense(5, input_shape=(2,), activation="relu"),
    ...                        nn.Dense(1, activation="sigmoid")])
    >>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    >>> history = model.fit(X, y, epochs=5, verbose=0)
    >>> sorted(history.history)
    ['accuracy', 'loss']
    >>> model.predict(X[:2]).shape
    (2, 1)
"""

from __future__ import annotations

import copy
import math
import sys

import numpy as np

from glassnet import backend
from glassnet.exceptions import GlassnetError, NotFittedError
from glassnet.nn.module import Module
from glassnet.ops.activations import stable_sigmoid
from glassnet.tensor import Tensor, no_grad
from glassnet.training import inputs
from glassnet.training import losses as loss_table
from glassnet.training import metrics as metrics_module
from glassnet.training.callbacks import CallbackList, get_learning_rate
from glassnet.training.progress import resolve_verbose
from glassnet.training.snapshot import Snapshot
from glassnet.training.summary import summary_table

__all__ = ["Model", "TrainingDivergedError", "OPTIMIZERS"]


class TrainingDivergedError(GlassnetError, RuntimeError):
    """The loss became NaN or infinite during ``fit`` (usually: the learning rate is too high).

    Example:
        >>> issubclass(TrainingDivergedError, RuntimeError)
        True
    """


#: optimizer names for ``compile(optimizer=...)``: (class in glassnet.optim, Keras's settings).
OPTIMIZERS = {
    "sgd": ("SGD", {"lr": 0.01}),
    "adam": ("Adam", {"lr": 1e-3, "eps": 1e-7}),
    "adamw": ("AdamW", {"lr": 1e-3, "eps": 1e-7, "weight_decay": 0.004}),
    "rmsprop": ("RMSprop", {"lr": 1e-3, "alpha": 0.9, "eps": 1e-7}),
    "adagrad": ("Adagrad", {"lr": 1e-3, "initial_accumulator_value": 0.1, "eps": 1e-7}),
}


def _optimizer_from_name(name: str, params: list):
    from glassnet import optim

    key = name.lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}. Valid names: "
                         f"{', '.join(sorted(OPTIMIZERS))}; or pass an optimizer instance, "
                         f"e.g. gn.optim.Adam(learning_rate=0.01)")
    class_name, settings = OPTIMIZERS[key]
    return getattr(optim, class_name)(params, **settings)


def _has_params(optimizer) -> bool:
    return any(len(group["params"]) for group in optimizer.param_groups)


def _bind_optimizer(optimizer, params: list) -> None:
    """Give a Keras-style optimizer (created without parameters) the model's parameters."""
    bind = getattr(optimizer, "bind", None)
    if bind is not None:
        bind(params)
        return
    empty = [group for group in optimizer.param_groups if not len(group["params"])]
    if empty:
        empty[0]["params"] = list(params)
    else:
        optimizer.add_param_group({"params": list(params)})


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class _Loss:
    """The compiled loss: what to call on the model's output (or logits) and its targets."""

    def __init__(self, identifier):
        self.identifier = identifier
        self.spec = None
        self.function = None
        self.per_sample_function = None
        if isinstance(identifier, loss_table.LossSpec):
            self.spec = identifier
        elif isinstance(identifier, str):
            self.spec = loss_table.get(identifier)
        elif callable(identifier):
            self.function = identifier
            if isinstance(getattr(identifier, "reduction", None), str):
                twin = copy.copy(identifier)  # an nn loss module: the same, unreduced
                twin.reduction = "none"
                self.per_sample_function = twin
        else:
            raise TypeError(f"compile: loss must be a name (e.g. 'mse'), a function "
                            f"loss(prediction, target) or an nn loss module, received "
                            f"{type(identifier).__name__}")
        self.name = self.spec.name if self.spec else getattr(
            identifier, "__name__", type(identifier).__name__)

    @property
    def targets(self) -> str:
        return self.spec.targets if self.spec else "callable"

    def fusable_activation(self):
        """The output activation this loss can be fused with ("sigmoid"/"softmax"/None)."""
        from glassnet.nn.loss import BCELoss

        if self.spec is not None:
            return self.spec.fused_activation
        if type(self.function) is BCELoss and self.function.reduction == "mean":
            return "sigmoid"
        return None

    def from_logits(self, logits, target, reduction):
        if self.spec is not None:
            return self.spec.from_logits(logits, target, reduction)
        return loss_table.get("bce_with_logits")(logits, target, reduction)

    def __call__(self, output, target, reduction):
        if self.spec is not None:
            return self.spec(output, target, reduction)
        if reduction == "mean":
            value = self.function(output, target)
            value = value if isinstance(value, Tensor) else Tensor(value)
            return value if value.ndim == 0 else value.mean()
        value = (self.per_sample_function or self.function)(output, target)
        if not isinstance(value, Tensor) or value.ndim == 0:
            raise ValueError(
                f"sample_weight/class_weight need one loss value per sample, but the loss "
                f"{self.name} returned a single number; use a loss name (e.g. 'mse') or "
                f"make the function return per-sample losses"
            )
        return loss_table.per_sample(value)


class Model:
    """Keras-style training for an ``nn.Module``: compile, fit, evaluate, predict, summary.

    Args:
        module: the network (``nn.Sequential`` or your own ``nn.Module``).
        rng: where the shuffling order comes from: a ``numpy.random.Generator``, an int seed
            or None (glassnet's default generator at the start of each ``fit``, so
            ``gn.seed(n)`` makes training repeatable bit for bit).

    Attributes:
        module: the network.
        optimizer: the optimizer (created or bound by the first ``fit``).
        loss: the loss given to ``compile``.
        compiled_metrics: the streaming metrics (``glassnet.training.metrics``).
        history: the ``History`` of the last ``fit``.
        stop_training: set it to True (e.g. from a callback) to stop ``fit`` after the
            current batch (the epoch is then finished: validation and callbacks).

    Example:
        >>> import numpy as np
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> class Net(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = nn.Linear(2, 4, rng=0)
        ...         self.out = nn.Linear(4, 1, rng=1)
        ...     def forward(self, x):
        ...         return self.out(self.hidden(x).tanh())
        >>> from glassnet import optim
        >>> model = Model(Net(), rng=0)
        >>> model.compile(optimizer=optim.SGD(learning_rate=0.1), loss="mse")
        >>> X = np.array([[0.0, 1.0], [1.0, 0.0]]); y = np.array([1.0, -1.0])
        >>> history = model.fit(X, y, epochs=50, batch_size=2, verbose=0)
        >>> history.history["loss"][-1] < history.history["loss"][0]
        True
    """

    def __init__(self, module: Module, rng=None):
        if not isinstance(module, Module):
            raise TypeError(f"Model: expected an nn.Module (e.g. nn.Sequential([...])), "
                            f"received {type(module).__name__}")
        if rng is not None:
            backend.get_generator(rng)  # fail early on a bad seed
        self.module = module
        self.rng = rng if not isinstance(rng, (int, np.integer)) else np.random.default_rng(rng)
        self.optimizer = None
        self.loss = None
        self.compiled_metrics = []
        self.history = None
        self.stop_training = False
        self._optimizer_spec = None
        self._loss = None
        self._loss_scale = 1.0
        self._compile_config = None
        self._metric_specs = []
        self._input_shape = None
        self._probe_key = None
        self._probe_shape = None
        self._reset_running()

    # ---------------------------------------------------------------------------- compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None):
        """Choose how to train: the optimizer, the loss and the metrics to report.

        Args:
            optimizer: a name ("adam", "sgd", "rmsprop", "adagrad", "adamw": Keras's default
                settings, e.g. Adam with learning rate 1e-3, SGD with 0.01) or an optimizer
                instance, with parameters (PyTorch style) or without
                (``gn.optim.Adam(learning_rate=0.01)``, Keras style: the model's parameters
                are bound to it on the first ``fit``). Defaults to "rmsprop" (Keras).
            loss: a name from ``glassnet.training.losses`` (both conventions:
                "mse"/"mean_squared_error", "binary_crossentropy",
                "sparse_categorical_crossentropy", "cross_entropy", ...), a function
                ``loss(prediction, target)`` returning a scalar Tensor (or one value per
                sample), or an nn loss module (``nn.MSELoss()``).
            metrics: a list of names ("accuracy", "mae", "r2", "precision", ...), functions
                ``fn(y_true, y_pred)`` or ``Metric`` instances; their log keys are the names
                given (validation adds ``val_``).
            loss_weights: a number (or a one-element list) multiplying the loss.

        Raises:
            ValueError: an unknown optimizer, loss or metric name (the valid names are listed).

        Example:
            >>> from glassnet import nn
            >>> model = Model(nn.Sequential([nn.Dense(3, activation="softmax")]))
            >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
            ...               metrics=["accuracy"])
            >>> model.compile(loss="mean_squared_eror")
            Traceback (most recent call last):
            ...
            ValueError: Unknown loss 'mean_squared_eror'. Valid names: bce, ...
        """
        if isinstance(optimizer, str):
            if optimizer.lower() not in OPTIMIZERS:
                _optimizer_from_name(optimizer, [])  # raises the error listing the names
            self._optimizer_spec = optimizer
            self.optimizer = None
        elif hasattr(optimizer, "step") and hasattr(optimizer, "param_groups"):
            self._optimizer_spec = None
            self.optimizer = optimizer
        else:
            raise TypeError(f"compile: optimizer must be a name such as 'adam' or an optimizer "
                            f"instance, received {type(optimizer).__name__}")
        self._loss = None if loss is None else _Loss(loss)
        self.loss = loss
        self._loss_scale = self._check_loss_weights(loss_weights)
        metrics = [] if metrics is None else metrics
        if isinstance(metrics, (str, metrics_module.Metric)) or callable(metrics):
            metrics = [metrics]
        self.compiled_metrics = [metrics_module.get(m) for m in metrics]
        self._metric_specs = list(metrics)  # as given (glassnet.io saves the names)
        self._compile_config = {"optimizer": optimizer, "loss": loss, "metrics": list(metrics),
                                "loss_weights": loss_weights}
        self.stop_training = False
        sample_shape = None if self.built else self._first_layer_input_shape()
        if sample_shape is not None:
            self.build((None, *sample_shape))  # Keras: built once the input is known
        if self.built:
            self._ensure_optimizer()

    def get_compile_config(self) -> dict | None:
        """What ``compile`` was given, JSON-friendly where possible (for saving a model).

        Names stay names; an optimizer instance becomes ``{"class_name", "config"}`` with
        its first group's settings; a loss or metric given as a function or object (which
        cannot be written to a file) becomes None. None before ``compile``.

        Example:
            >>> from glassnet import nn
            >>> model = Model(nn.Linear(2, 1))
            >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
            >>> model.get_compile_config()
            {'optimizer': 'adam', 'loss': 'mse', 'metrics': ['mae'], 'loss_weights': None}
        """
        if self._compile_config is None:
            return None
        config = dict(self._compile_config)
        optimizer = config["optimizer"]
        if not isinstance(optimizer, str):
            groups = getattr(optimizer, "param_groups", None) or [getattr(optimizer, "defaults",
                                                                          {})]
            settings = {k: v for k, v in groups[0].items() if k not in ("params", "param_names")}
            config["optimizer"] = {"class_name": type(optimizer).__name__, "config": settings}
        if not isinstance(config["loss"], str):
            config["loss"] = None
        config["metrics"] = [m if isinstance(m, str) else None for m in config["metrics"]]
        return config

    @staticmethod
    def _check_loss_weights(loss_weights) -> float:
        if loss_weights is None:
            return 1.0
        if isinstance(loss_weights, (list, tuple)) and len(loss_weights) == 1:
            loss_weights = loss_weights[0]
        if isinstance(loss_weights, (int, float)) and not isinstance(loss_weights, bool):
            return float(loss_weights)
        raise ValueError(f"compile: loss_weights must be a number for a single-output model, "
                         f"received {loss_weights!r}")

    def _ensure_optimizer(self) -> None:
        """Create the named optimizer, or bind the model's parameters to a Keras-style one."""
        params = list(self.module.parameters())
        if self.optimizer is None:
            self.optimizer = _optimizer_from_name(self._optimizer_spec, params)
        elif not _has_params(self.optimizer) and params:
            _bind_optimizer(self.optimizer, params)
        if getattr(self.optimizer, "elementwise", False) and _has_params(self.optimizer):
            # one packed array per group: a step is a dozen NumPy calls, not a dozen per weight
            self.optimizer.flatten_parameters()

    # ---------------------------------------------------------------------------- building
    @property
    def built(self) -> bool:
        """True when every layer has its weights (lazy layers build on the first batch)."""
        built = getattr(self.module, "built", None)
        if isinstance(built, bool):
            return built
        return all(getattr(m, "built", True) for m in self.module.modules())

    def build(self, input_shape) -> None:
        """Create the weights of every lazy layer for inputs of ``input_shape``.

        Args:
            input_shape: the shape of a batch, e.g. ``(None, 4)``, or of one sample, ``(4,)``
                when the module's first layer is not told otherwise.

        Example:
            >>> from glassnet import nn
            >>> model = Model(nn.Sequential([nn.Dense(3), nn.Dense(1)]))
            >>> model.build((None, 4)); model.built
            True
        """
        shape = tuple(input_shape)
        if not shape or shape[0] is not None:
            shape = (None, *shape)
        sample = np.zeros(tuple(1 if n is None else int(n) for n in shape), self._dtype())
        self._probe(sample, "build")

    def _dtype(self) -> np.dtype:
        first = next(self.module.parameters(), None)
        return first.dtype if first is not None else backend.get_default_dtype()

    def _probe(self, x_rows: np.ndarray, where: str) -> tuple:
        """Run the first row(s) through the model (eval mode, no graph): builds lazy layers,
        checks the input width (the layer raises, naming itself and both widths) and
        returns the output shape."""
        modes = [(m, m.training) for m in self.module.modules()]
        self.module.eval()
        try:
            with no_grad():
                output = self.module(Tensor._from_op(x_rows, None))
        finally:
            for module, training in modes:
                module.training = training
        self._input_shape = tuple(x_rows.shape[1:])
        if not isinstance(output, Tensor):
            raise TypeError(f"{where}: the module's forward must return a Tensor, returned "
                            f"{type(output).__name__}")
        return output.shape

    def _output_shape(self, x: np.ndarray, where: str) -> tuple:
        """The output shape for inputs like ``x``: probed once, then remembered while the
        input width, dtype and the module's layers stay the same (so ``train_on_batch``
        does not pay for an extra forward pass per call)."""
        key = (x.shape[1:], x.dtype.str, tuple(id(m) for m in self.module.modules()))
        if key != self._probe_key or not self.built:
            self._probe_shape = self._probe(x[:1], where)
            self._probe_key = key
        return self._probe_shape

    def _require_built(self, where: str) -> None:
        if not self.built:
            raise NotFittedError(
                f"{where}: this model has not yet been built. Train it with fit() first, "
                f"call model.build(input_shape), or give the first layer its input size "
                f"(e.g. nn.Dense(5, input_shape=(2,)))"
            )

    def _require_compiled(self, where: str) -> None:
        if self._loss is None:
            raise RuntimeError(f"{where}: you must call compile(optimizer=..., loss=...) "
                               f"before {where}()")

    # ---------------------------------------------------------------------------- fusion
    def _output_head(self):
        """(activation name, logits function) when the loss can be fused, else (None, None)."""
        wanted = self._loss.fusable_activation() if self._loss else None
        if wanted is None:
            return None, None
        module = self.module
        from glassnet.nn.container import Sequential
        from glassnet.nn.linear import Linear

        if isinstance(module, Sequential):
            if type(module).forward is not Sequential.forward:
                return None, None
            if module.output_activation_name == wanted:
                return wanted, module.logits
        elif isinstance(module, Linear) and type(module).forward is Linear.forward:
            if module.activation_name == wanted:
                return wanted, lambda x: module(x, apply_activation=False)
        return None, None

    # ---------------------------------------------------------------------------- one batch
    def _reset_running(self) -> None:
        self._loss_sum = 0.0
        self._seen = 0

    def running_logs(self) -> dict:
        """The current epoch's numbers so far: ``loss`` and each metric (over seen samples)."""
        logs = {"loss": self._loss_sum / self._seen if self._seen else float("nan")}
        for metric in self.compiled_metrics:
            logs[metric.name] = metric.result()
        return logs

    def _batch_loss(self, x: Tensor, y: Tensor, weight) -> tuple:
        """Forward pass and loss on one batch: (loss Tensor, output array for metrics)."""
        n = len(x)
        if self._logits_fn is not None:
            output = self._logits_fn(x)
            loss_of = self._loss.from_logits
        else:
            output = self.module(x)
            loss_of = self._loss
        if weight is None:
            loss = loss_of(output, y, "mean")
        else:
            loss = (loss_of(output, y, "none") * weight).sum() / n
        if self._loss_scale != 1.0:
            loss = loss * self._loss_scale
        if self._penalized:
            loss = loss + self.module.regularization_loss()
        return loss, output.data

    def _metric_outputs(self, output: np.ndarray) -> np.ndarray:
        """What the model outputs (probabilities) from what was computed (maybe logits)."""
        if self._head == "sigmoid":
            return stable_sigmoid(output)
        if self._head == "softmax":
            return _softmax(output)
        return output

    def _update_metrics(self, metrics, y: np.ndarray, output: np.ndarray, weight) -> None:
        if not metrics:
            return
        wide = output.ndim == 2 and output.shape[1] > 1
        if self._head == "softmax" and wide and all(m.argmax_only for m in metrics):
            predictions = output  # argmax(logits) == argmax(softmax(logits)): skip the softmax
        else:
            predictions = self._metric_outputs(output)
        for metric in metrics:
            metric.update_state(y, predictions, weight)

    def train_step(self, x_batch: np.ndarray, y_batch: np.ndarray, sample_weight=None) -> float:
        """One step of gradient descent on one prepared batch; returns the batch loss.

        forward -> loss -> ``loss.backward()`` -> ``optimizer.step()``, then the epoch's
        running loss and metrics are updated. A NaN/infinite loss is returned without a
        step (``fit`` decides what to do). ``fit`` calls it with slices of the arrays it has
        checked and converted; override it to change what one step does.

        Args:
            x_batch: inputs (batch, features), in the parameters' dtype.
            y_batch: targets as ``fit`` prepared them (labels int64, else floats).
            sample_weight: one weight per sample, or None.
        """
        x = Tensor._from_op(x_batch, None)
        y = Tensor._from_op(y_batch, None)
        weight = None if sample_weight is None else Tensor._from_op(sample_weight, None)
        # a packed optimizer keeps its gradient buffer: backward() adds into it, no copies
        self.optimizer.zero_grad(set_to_none=not getattr(self.optimizer, "elementwise", False))
        loss, output = self._batch_loss(x, y, weight)
        value = float(loss.data)
        if not math.isfinite(value):
            return value
        loss.backward()
        self.optimizer.step()
        self._loss_sum += value * len(x_batch)
        self._seen += len(x_batch)
        self._update_metrics(self.compiled_metrics, y_batch, output, sample_weight)
        return value

    def test_step(self, x_batch: np.ndarray, y_batch: np.ndarray, sample_weight=None,
                  metrics=None) -> float:
        """Loss (and metric updates) on one prepared batch, without a graph or a step."""
        with no_grad():
            x = Tensor._from_op(x_batch, None)
            weight = None if sample_weight is None else Tensor._from_op(sample_weight, None)
            loss, output = self._batch_loss(x, Tensor._from_op(y_batch, None), weight)
        self._update_metrics(self.compiled_metrics if metrics is None else metrics,
                             y_batch, output, sample_weight)
        return float(loss.data)

    # ---------------------------------------------------------------------------- fit
    def _prepare(self, x, y, sample_weight, class_weight, where: str) -> tuple:
        """Check and convert one (x, y, weights) set; builds the model on its first row."""
        x = inputs.features(x, self._dtype(), where)
        output_shape = self._output_shape(x, where)
        y = inputs.targets(y, len(x), output_shape, self._loss, self._dtype(), where)
        weight = inputs.sample_weights(sample_weight, class_weight, y, len(x), self._dtype(),
                                        where)
        return x, y, weight

    def _start(self, where: str) -> None:
        """What fit/evaluate need before the first batch: the fused head and penalties."""
        self._head, self._logits_fn = self._output_head()
        self._penalized = any(
            regularizer is not None and param is not None
            for module in self.module.modules() for regularizer, param in module.penalties()
        )

    def _snapshot(self) -> Snapshot:
        """A copy of the weights and optimizer state, refreshed at the end of each epoch."""
        return Snapshot(self.module, self.optimizer)

    def fit(self, x=None, y=None, batch_size=None, epochs: int = 1, verbose="auto",
            callbacks=None, validation_split: float = 0.0, validation_data=None,
            shuffle: bool = True, class_weight=None, sample_weight=None,
            initial_epoch: int = 0, validation_batch_size=None):
        """Train for ``epochs`` passes over the data; returns the ``History``.

        Args:
            x: inputs, shape (samples, features) (a NumPy array, list or Tensor).
            y: targets: integer labels (N,) for sparse cross-entropy, 0/1 (N,) or (N, 1) for
                binary cross-entropy, one-hot (N, C), or numbers for regression. A 1-D y for
                a model with one output is reshaped to (N, 1), as Keras does.
            batch_size: samples per gradient step. Defaults to 32.
            epochs: the epoch to stop at (counting ``initial_epoch``). Defaults to 1.
            verbose: 0 silent, 1 progress bar, 2 one line per epoch, "auto" (the default):
                1 on a terminal, else 2.
            callbacks: a list of ``Callback``s (``EarlyStopping``, ``ModelCheckpoint``, ...).
            validation_split: the fraction of the data to hold out for validation: the
                LAST rows, taken before shuffling (as Keras).
            validation_data: ``(x_val, y_val)`` or ``(x_val, y_val, sample_weight_val)``;
                takes precedence over ``validation_split``.
            shuffle: shuffle the training rows at every epoch (one permutation from the
                model's generator).
            class_weight: ``{class: weight}`` multiplying each sample's loss by its class's
                weight (classes not listed weigh 1).
            sample_weight: one weight per training sample (multiplied with class_weight).
            initial_epoch: the epoch to start from (to resume training).
            validation_batch_size: batch size for validation. Defaults to ``batch_size``.

        Returns:
            The ``History``: ``history.history["loss"]``, ``["val_loss"]``, ``["accuracy"]``...

        Raises:
            ValueError: bad inputs (shapes, lengths, NaN/inf, labels out of range), with
                what was expected and what was received.
            TrainingDivergedError: the loss became NaN or infinite (the last good epoch's
                weights are restored first).

        Example:
            >>> import numpy as np
            >>> import glassnet as gn
            >>> from glassnet import nn
            >>> from glassnet import optim
            >>> from glassnet.data import xor
            >>> _ = gn.seed(1)
            >>> X, y = xor()
            >>> model = nn.Sequential([nn.Dense(4, activation="tanh"),
            ...                        nn.Dense(1, activation="sigmoid")])
            >>> model.compile(optimizer=optim.Adam(learning_rate=0.1),
            ...               loss="binary_crossentropy", metrics=["accuracy"])
            >>> history = model.fit(X, y, epochs=300, batch_size=4, verbose=0)
            >>> history.history["accuracy"][-1]
            1.0
        """
        where = "fit"
        self._require_compiled(where)
        batch_size = inputs.batch_size(batch_size, where)
        epochs = int(epochs)
        if initial_epoch < 0:
            raise ValueError(f"{where}: initial_epoch must be >= 0, received {initial_epoch}")
        verbose = resolve_verbose(verbose)
        if x is None:
            raise ValueError(f"{where}: x is None; pass the inputs as an array")
        x_array = inputs.as_array(x, "x", where)
        y_array = inputs.as_array(y, "y", where)
        if y_array is not None and x_array.ndim >= 1 and y_array.ndim >= 1 \
                and len(x_array) != len(y_array):
            raise ValueError(f"{where}: x and y must have the same number of samples: x has "
                             f"shape {x_array.shape}, y has shape {y_array.shape}")
        x_array, y_array, weight, x_val, y_val, w_val = inputs.split_validation(
            x_array, y_array, sample_weight, validation_split, validation_data, where)
        x_array, y_array, weight = self._prepare(x_array, y_array, weight, class_weight, where)
        self._ensure_optimizer()
        validation = None
        if x_val is not None:
            validation = self._prepare(x_val, y_val, w_val, None, f"{where} (validation_data)")
        self._start(where)
        val_metrics = [copy.deepcopy(m) for m in self.compiled_metrics]
        steps = -(-len(x_array) // batch_size)
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=True, model=self,
                                     verbose=verbose, epochs=epochs, steps=steps)
        generator = backend.get_generator(self.rng)
        modes = [(m, m.training) for m in self.module.modules()]
        self.stop_training = False
        self.module.train()
        try:
            # overflow to inf/NaN is detected on the loss (clear error below), not warned about
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                self._train_epochs(x_array, y_array, weight, validation, val_metrics,
                                   batch_size, epochs, initial_epoch, shuffle, generator,
                                   callback_list, validation_batch_size or batch_size)
        finally:
            for module, training in modes:
                module.training = training
        self.history = callback_list.history
        return callback_list.history

    def _train_epochs(self, x, y, weight, validation, val_metrics, batch_size, epochs,
                      initial_epoch, shuffle, generator, callbacks, val_batch_size) -> None:
        n = len(x)
        wants_begin = callbacks.wants("on_train_batch_begin")
        wants_end = callbacks.wants("on_train_batch_end")
        end_needs_logs = callbacks.wants_batch_logs("on_train_batch_end")
        snapshot = self._snapshot()
        snapshot.take()
        good_epoch = initial_epoch
        logs = {}
        callbacks.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            self._reset_running()
            for metric in self.compiled_metrics:
                metric.reset_state()
            callbacks.on_epoch_begin(epoch)
            order = generator.permutation(n) if shuffle else None
            for batch, start in enumerate(range(0, n, batch_size)):
                # one permutation per epoch; each batch gathers its own rows (no shuffled copy
                # of the whole data set: that would double the memory of a big x)
                rows = slice(start, start + batch_size) if order is None else \
                    order[start:start + batch_size]
                if wants_begin:
                    callbacks.on_train_batch_begin(batch)
                value = self.train_step(x[rows], y[rows], None if weight is None else weight[rows])
                if not math.isfinite(value):
                    self._diverged(value, epoch, batch, good_epoch, snapshot, callbacks)
                    return
                if wants_end:
                    callbacks.on_train_batch_end(batch, self.running_logs()
                                                 if end_needs_logs else None)
                if self.stop_training:
                    break
            logs = self.running_logs()
            if validation is not None:
                self.module.eval()
                val_logs = self._evaluate_arrays(*validation, val_batch_size, callbacks,
                                                 val_metrics)
                self.module.train()
                logs.update({f"val_{key}": value for key, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, logs)
            snapshot.take()
            good_epoch = epoch + 1
            if self.stop_training:
                break
        callbacks.on_train_end(logs)

    def _diverged(self, value, epoch, batch, good_epoch, snapshot, callbacks) -> None:
        """The loss is NaN/inf: restore the last good epoch; stop quietly or raise."""
        if callbacks.wants("on_train_batch_end"):
            logs = self.running_logs()
            logs["loss"] = value
            callbacks.on_train_batch_end(batch, logs)
        learning_rate = get_learning_rate(self.optimizer)
        snapshot.restore()
        quiet = self.stop_training
        callbacks.on_train_end({"loss": value})
        if quiet:
            return
        restored = (f"the weights at the end of epoch {good_epoch}" if good_epoch
                    else "the initial weights")
        raise TrainingDivergedError(
            f"fit: the loss became {value} at epoch {epoch + 1}, batch {batch + 1}: training "
            f"diverged (or the loss is undefined for these targets), and {restored} were "
            f"restored. Try a lower learning rate (it is {learning_rate:g}), "
            f"standardise the inputs, or pass callbacks=[TerminateOnNaN()] to stop quietly"
        )

    # ---------------------------------------------------------------------------- evaluate
    def _evaluate_arrays(self, x, y, weight, batch_size, callbacks, metrics) -> dict:
        for metric in metrics:
            metric.reset_state()
        total = 0.0
        wants_begin = callbacks.wants("on_test_batch_begin")
        wants_end = callbacks.wants("on_test_batch_end")
        callbacks.on_test_begin()
        for batch, start in enumerate(range(0, len(x), batch_size)):
            rows = slice(start, start + batch_size)
            if wants_begin:
                callbacks.on_test_batch_begin(batch)
            value = self.test_step(x[rows], y[rows], None if weight is None else weight[rows],
                                   metrics)
            total += value * len(x[rows])
            if wants_end:
                callbacks.on_test_batch_end(batch, {"loss": total / min(len(x), start +
                                                                         batch_size)})
        logs = {"loss": total / len(x)}
        logs.update({metric.name: metric.result() for metric in metrics})
        callbacks.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 return_dict: bool = False, callbacks=None):
        """The loss and metrics on data, in evaluation mode, without a graph.

        Args:
            x, y: inputs and targets (as for ``fit``).
            batch_size: samples per batch. Defaults to 32.
            verbose: 0 silent, 1 progress bar, 2 one line, "auto" (1 on a terminal, else 2).
            sample_weight: one weight per sample.
            return_dict: return ``{"loss": ..., "accuracy": ...}`` instead of a list.
            callbacks: callbacks receiving the ``on_test_*`` hooks.

        Returns:
            The loss as a float when no metrics were compiled, else ``[loss, *metrics]``
            (Python floats, in the order of ``compile(metrics=...)``), or a dict.

        Example:
            >>> import numpy as np
            >>> from glassnet import nn
            >>> layer = nn.Linear(1, 1)
            >>> _ = nn.init.ones_(layer.weight), nn.init.zeros_(layer.bias)
            >>> model = Model(layer)
            >>> model.compile(loss="mse", metrics=["mae"])
            >>> model.evaluate(np.array([[1.0], [2.0]]), np.array([1.0, 4.0]), verbose=0)
            [2.0, 1.0]
        """
        where = "evaluate"
        self._require_compiled(where)
        self._require_built(where)
        batch_size = inputs.batch_size(batch_size, where)
        verbose = resolve_verbose(verbose)
        x, y, weight = self._prepare(x, y, sample_weight, None, where)
        self._start(where)
        steps = -(-len(x) // batch_size)
        callback_list = CallbackList(callbacks, add_progbar=True, model=self, verbose=verbose,
                                     steps=steps)
        modes = [(m, m.training) for m in self.module.modules()]
        self.module.eval()
        try:
            logs = self._evaluate_arrays(x, y, weight, batch_size, callback_list,
                                         self.compiled_metrics)
        finally:
            for module, training in modes:
                module.training = training
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    # ---------------------------------------------------------------------------- predict
    def predict(self, x, batch_size=None, verbose=0, callbacks=None) -> np.ndarray:
        """The model's outputs as a NumPy array: evaluation mode, no graph, in batches.

        For a model ending in a sigmoid/softmax these are probabilities (also when training
        used the fused logits form).

        Args:
            x: inputs (samples, features).
            batch_size: samples per forward pass. Defaults to 32.
            verbose: 0 (the default) silent, 1 progress bar, 2 one line.
            callbacks: callbacks receiving the ``on_predict_*`` hooks.

        Example:
            >>> import numpy as np
            >>> from glassnet import nn
            >>> layer = nn.Linear(2, 1)
            >>> _ = nn.init.ones_(layer.weight), nn.init.zeros_(layer.bias)
            >>> Model(layer).predict(np.array([[1, 2], [3, 4]]))
            array([[3.],
                   [7.]], dtype=float32)
        """
        where = "predict"
        self._require_built(where)
        batch_size = inputs.batch_size(batch_size, where)
        x = inputs.features(x, self._dtype(), where)
        callback_list = CallbackList(callbacks, add_progbar=True, model=self,
                                     verbose=resolve_verbose(verbose),
                                     steps=-(-len(x) // batch_size))
        modes = [(m, m.training) for m in self.module.modules()]
        self.module.eval()
        outputs = None
        callback_list.on_predict_begin()
        try:
            with no_grad():
                for batch, start in enumerate(range(0, len(x), batch_size)):
                    callback_list.on_predict_batch_begin(batch)
                    result = self.module(Tensor._from_op(x[start:start + batch_size], None))
                    if outputs is None:
                        outputs = np.empty((len(x), *result.shape[1:]), dtype=result.dtype)
                    outputs[start:start + batch_size] = result.data
                    callback_list.on_predict_batch_end(batch)
        finally:
            for module, training in modes:
                module.training = training
        callback_list.on_predict_end()
        return outputs

    def predict_on_batch(self, x) -> np.ndarray:
        """``predict`` on one batch (no batching, no progress display)."""
        rows = len(inputs.as_array(x, "x", "predict_on_batch"))
        return self.predict(x, batch_size=max(1, rows), verbose=0)

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None,
                       return_dict: bool = False):
        """One optimizer step on one batch; returns its loss (and metrics on this batch).

        Example:
            >>> import numpy as np
            >>> from glassnet import nn
            >>> model = Model(nn.Linear(1, 1, rng=0))
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> first = model.train_on_batch(np.ones((4, 1)), np.zeros(4))
            >>> model.train_on_batch(np.ones((4, 1)), np.zeros(4)) < first
            True
        """
        where = "train_on_batch"
        self._require_compiled(where)
        x, y, weight = self._prepare(x, y, sample_weight, class_weight, where)
        self._ensure_optimizer()
        self._start(where)
        self._reset_running()
        for metric in self.compiled_metrics:
            metric.reset_state()
        modes = [(m, m.training) for m in self.module.modules()]
        self.module.train()
        try:
            value = self.train_step(x, y, weight)
        finally:
            for module, training in modes:
                module.training = training
        logs = self.running_logs() if math.isfinite(value) else {"loss": value}
        return self._as_result(logs, return_dict)

    def test_on_batch(self, x, y, sample_weight=None, return_dict: bool = False):
        """Loss and metrics on one batch, in evaluation mode (as ``evaluate``)."""
        rows = len(inputs.as_array(x, "x", "test_on_batch"))
        return self.evaluate(x, y, batch_size=max(1, rows),
                             verbose=0, sample_weight=sample_weight, return_dict=return_dict)

    @staticmethod
    def _as_result(logs: dict, return_dict: bool):
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    # ---------------------------------------------------------------------------- weights
    def get_weights(self) -> list:
        """Copies of every weight array (parameters, then buffers, layer by layer).

        Example:
            >>> from glassnet import nn
            >>> [w.shape for w in Model(nn.Linear(3, 2)).get_weights()]
            [(3, 2), (2,)]
        """
        return list(self.module.state_dict().values())

    def set_weights(self, weights) -> None:
        """Copy a list of arrays (``get_weights()``'s order and shapes) into the model.

        Raises:
            ValueError: a different number of arrays or a different shape (named).
        """
        self._require_built("set_weights")
        state = self.module.state_dict()
        weights = list(weights)
        if len(weights) != len(state):
            raise ValueError(f"set_weights: the model has {len(state)} weight arrays "
                             f"({', '.join(state)}), received {len(weights)}")
        for (name, current), new in zip(state.items(), weights):
            if np.shape(new) != current.shape:
                raise ValueError(f"set_weights: '{name}' has shape {current.shape}, received "
                                 f"an array of shape {np.shape(new)}")
        self.module.load_state_dict(dict(zip(state, weights)))

    def count_params(self) -> int:
        """The number of weights (numbers) in the model."""
        return self.module.num_parameters()

    @property
    def layers(self) -> list:
        """The module's direct children (Keras's ``model.layers``)."""
        return list(self.module.children())

    def __call__(self, x):
        return self.module(x)

    # ---------------------------------------------------------------------------- summary
    def _layer_shapes(self) -> dict:
        """Output shape of each direct child, from one zero sample (no graph, eval mode)."""
        if self._input_shape is None:
            self._input_shape = self._first_layer_input_shape()
            if self._input_shape is None:
                return {}
        shapes = {}
        children = list(self.module.children())
        wrapped = []
        for child in children:
            def recording(*args, _child=child, _forward=child.forward, **kwargs):
                out = _forward(*args, **kwargs)
                shapes[id(_child)] = getattr(out, "shape", None)
                return out
            object.__setattr__(child, "forward", recording)
            wrapped.append(child)
        try:
            output_shape = self._probe(np.zeros((1, *self._input_shape), self._dtype()),
                                       "summary")
        finally:
            for child in wrapped:
                object.__delattr__(child, "forward")
        if not children:  # a single layer: its output is the model's
            shapes[id(self.module)] = output_shape
        return shapes

    def _first_layer_input_shape(self):
        """The shape of one sample, when the first layer knows it (else None)."""
        from glassnet.nn.container import Sequential
        from glassnet.nn.linear import Linear
        from glassnet.nn.reshape import InputLayer

        first = self.module
        while isinstance(first, Sequential) and len(first):
            first = first[0]
        if isinstance(first, InputLayer):
            return first.shape
        if isinstance(first, Linear) and first.in_features is not None:
            return (first.in_features,)
        return None

    def summary(self, print_fn=None, line_length: int = 72) -> None:
        """Print a table of the layers: name (type), output shape, number of parameters.

        Works before ``fit`` when the input size is known (``input_shape=`` on the first
        layer, ``build()``, or a first eager ``nn.Linear``).

        Args:
            print_fn: called with each line (default: ``print``); pass ``lines.append`` to
                collect the text.
            line_length: total width of the table.

        Raises:
            NotFittedError: the model has not yet been built (unknown input size).

        Example:
            >>> from glassnet import nn
            >>> model = nn.Sequential([nn.Dense(5, input_shape=(2,), activation="relu",
            ...                                 name="hidden"),
            ...                        nn.Dense(1, activation="sigmoid", name="output")],
            ...                       name="students")
            >>> model.summary()
            Model: "students"
            ________________________________________________________________________
            Layer (type)                     Output Shape                   Param #
            ========================================================================
            hidden (Dense)                   (None, 5)                           15
            output (Dense)                   (None, 1)                            6
            ========================================================================
            Total params: 21
            Trainable params: 21
            Non-trainable params: 0
            ________________________________________________________________________
        """
        shapes = self._layer_shapes()
        if not self.built:
            self._require_built("summary")
        emit = print_fn or (lambda line: print(line, file=sys.stdout))
        for line in summary_table(self.module, shapes, line_length):
            emit(line)

    # ---------------------------------------------------------------------------- files
    def save(self, path, include_optimizer: bool = True) -> None:
        """Save architecture, weights (and optimizer state) to one file, atomically.

        Delegates to ``glassnet.io.model_file.save_model``; ``gn.load(path)`` reads it.
        The module must be built-in layers (``nn.Sequential`` of glassnet layers): a custom
        ``nn.Module`` has no architecture config (save its ``state_dict()`` instead).
        """
        from glassnet.io.model_file import save_model

        return save_model(self, path, include_optimizer=include_optimizer)

    def save_weights(self, path) -> None:
        """Save only the weights (``state_dict``) as a safetensors file, atomically.

        Example:
            >>> import os, tempfile
            >>> from glassnet import nn
            >>> a, b = Model(nn.Linear(2, 1, rng=0)), Model(nn.Linear(2, 1, rng=1))
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     a.save_weights(os.path.join(tmp, "w.safetensors"))
            ...     b.load_weights(os.path.join(tmp, "w.safetensors"))
            >>> bool((a.get_weights()[0] == b.get_weights()[0]).all())
            True
        """
        from glassnet.io import save_arrays

        save_arrays(path, dict(self.module.state_dict()),
                    metadata={"format": "glassnet-weights"})

    def load_weights(self, path) -> None:
        """Load weights saved by ``save_weights`` (names and shapes must match)."""
        from glassnet.io import load_arrays

        arrays, _ = load_arrays(path)
        self.module.load_state_dict(arrays)

    def explain(self, x, y=None, **options):
        """The forward (and, with ``y``, backward) pass for one input, number by number.

        Uses this model's compiled loss and optimizer; see ``glassnet.viz.explain.explain``
        for the options.
        """
        from glassnet.viz.explain import explain

        return explain(self, x, y, **options)

    def __repr__(self) -> str:
        return f"Model({self.module!r})"
