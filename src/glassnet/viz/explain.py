"""Follow one input through a network, number by number: forward, loss, backward, one step.

``explain(model, x, y)`` does what the tutorials do by hand, on your own model:

1. **Forward pass.** The input row goes through the model once, in evaluation mode. Every
   layer call is recorded (a temporary hook on each leaf layer, removed afterwards): its
   input, ``z = x @ W + b`` with the arithmetic of each neuron written out, the activation
   and the output.
2. **Loss.** With a target ``y``, the loss is computed and written out, e.g.
   ``L = ((0.95 - 1.0)^2 + (0.0 - 0.0)^2) / 2``.
3. **Backward pass.** ``loss.backward()`` runs once through glassnet's autograd, keeping the
   gradient of every intermediate result (``retain_grad``). For each layer, from the last
   to the first, the explanation shows the chain rule with those numbers::

       dL/da                          (from the layer above, or from the loss)
       da/dz  = the activation's derivative (relu: 1 where z > 0; sigmoid: a(1 - a); ...)
       dL/dz  = dL/da * da/dz         (elementwise)
       dL/dW  = x^T @ dL/dz,   dL/db = dL/dz,   dL/dx = dL/dz @ W^T

   Every number is the one autograd computed, so what you read is what training uses.
4. **One step.** What plain gradient descent would do, ``w_new = w - lr * dL/dw``, and what
   the model's own optimizer (e.g. Adam, from ``compile``) would do, computed on copies.

The model is left exactly as it was: the same weights, no gradients added, the same
train/eval mode. (A lazy layer that has never seen data, like ``nn.Dense`` without
``input_shape``, is built by the forward pass, as any first call would.)

Which loss (``loss_rule`` in the result says which applied):

- ``loss=`` if you give it (a name such as "mse", "binary_crossentropy", a function
  ``loss(output, target)`` or an nn loss module);
- otherwise the loss the model was compiled with (Keras style, ``model.compile(loss=...)``);
- otherwise it is chosen from the model's output: a final sigmoid -> binary cross-entropy;
  a final softmax -> categorical cross-entropy (sparse when ``y`` is one class label);
  several outputs without an activation and ``y`` one class label -> cross-entropy on the
  logits (PyTorch's); anything else (a regression-shaped output) -> mean squared error.

Example (the tutorials' 2-node layer):
    >>> from glassnet import nn
    >>> layer = nn.Dense(2, activation="relu", input_dim=4)
    >>> layer.weight.data[...] = [[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]]
    >>> layer.bias.data[...] = [0.1, -0.2]
    >>> e = explain(nn.Sequential(layer), [1.0, 0.5, -1.0, 2.0], y=[1.0, 0.0])
    >>> e.records[0].z.round(4), e.records[0].output.round(4)
    (array([ 0.95, -1.3 ], dtype=float32), array([0.95, 0.  ], dtype=float32))
    >>> round(e.loss, 5)                    # mean squared error: ((0.95 - 1)^2 + 0^2) / 2
    0.00125
    >>> e.records[0].grad_z.round(4)        # dL/dz = 2 * (a - t) / 2 * relu'(z)
    array([-0.05,  0.  ], dtype=float32)
    >>> print(e)                            # doctest: +ELLIPSIS
    Explaining one input through Sequential ...
    Forward pass
    ============
    x = [1.0, 0.5, -1.0, 2.0]
    ...
      z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95
      z2 = 1.0*(-0.5) + 0.5*0.4 + (-1.0)*0.2 + 2.0*(-0.3) + (-0.2) = -1.3
      z = [0.95, -1.3]
      a = relu(z) = max(0, z) = [0.95, 0.0]
    ...
"""

from __future__ import annotations

import copy
import itertools
import math
import numbers
from dataclasses import dataclass, field, fields, is_dataclass

import numpy as np

from glassnet import backend
from glassnet.nn.activation import ACTIVATIONS, Activation, activation_name_of
from glassnet.nn.dropout import Dropout
from glassnet.nn.linear import Linear
from glassnet.nn.module import Module
from glassnet.nn.normalization import BatchNorm1d
from glassnet.nn.reshape import Flatten
from glassnet.tensor import Tensor, enable_grad, no_grad
from glassnet.viz import explain_text

__all__ = [
    "EXAMPLES",
    "Explanation",
    "LayerRecord",
    "OptimizerStep",
    "WeightChange",
    "example_network",
    "explain",
    "explain_example",
    "explain_row",
]


# ----------------------------------------------------------------------------- the records


@dataclass
class LayerRecord:
    """One layer call of the forward pass, with its gradients from the backward pass.

    Arrays are for the one explained input row, flattened to 1-D (``weight`` is (in, out)).
    The gradient fields are None when no target was given.

    Attributes:
        index: position in the forward pass, from 1.
        name: the layer's dotted name in the model ("0", "layer1", "encoder.0"), as in
            ``named_modules()`` and ``state_dict()``; "" for a model that is one layer.
        layer_type: the class name ("Dense", "Linear", "ReLU", ...).
        kind: "linear", "activation", "dropout", "batch_norm", "flatten" or "other".
        input, output: what the layer received and returned.
        call: 1, or 2, 3, ... when the same layer object is called again.
        activation: the activation's name ("relu", "sigmoid", ...) for activation layers
            and for a Dense/Linear layer that applies one; None otherwise.
        weight, bias, z: W (in, out), b and ``z = x @ W + b`` of a linear layer.
        details: settings that explain other layers (dropout's p, batch norm's statistics).
        note: something to know about this step (e.g. its input was computed by the
            model's own ``forward`` code between two layers).
        shared_weights: the layer is called more than once, so its weight gradients are
            totals over every call.
        grad_output: dL/d(output), i.e. dL/da.
        local_derivative: da/dz of an elementwise activation (None for softmax).
        grad_z: dL/dz (for an activation layer: dL/d(its input)).
        grad_weight, grad_bias: dL/dW and dL/db of a linear layer.
        grad_input: dL/d(input), handed back to the layer before.
        grad_params: dL/d(parameter) for the parameters of other layers, by name.

    Example:
        >>> from glassnet import nn
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> record = explain(layer, [1.0, 2.0], y=[0.0]).records[0]
        >>> record.kind, record.weight.shape, bool(record.grad_bias == record.grad_z)
        ('linear', (2, 1), True)
    """

    index: int
    name: str
    layer_type: str
    kind: str
    input: np.ndarray
    output: np.ndarray
    call: int = 1
    activation: str | None = None
    weight: np.ndarray | None = None
    bias: np.ndarray | None = None
    z: np.ndarray | None = None
    details: dict = field(default_factory=dict)
    note: str | None = None
    shared_weights: bool = False
    grad_output: np.ndarray | None = None
    local_derivative: np.ndarray | None = None
    grad_z: np.ndarray | None = None
    grad_weight: np.ndarray | None = None
    grad_bias: np.ndarray | None = None
    grad_input: np.ndarray | None = None
    grad_params: dict = field(default_factory=dict)


@dataclass
class WeightChange:
    """One parameter before and after an optimizer step.

    Attributes:
        name: its dotted name ("0.weight").
        shape: its shape.
        old, grad, new: the values, dL/d(values) and the values after the step.

    Example:
        >>> from glassnet import nn
        >>> e = explain(nn.Linear(1, 1, bias=False, rng=0), [2.0], y=[0.0], lr=0.5)
        >>> w = e.sgd.changes[0]                 # new = old - 0.5 * grad
        >>> w.name, bool(abs(w.new - (w.old - 0.5 * w.grad)).max() < 1e-7)
        ('weight', True)
    """

    name: str
    shape: tuple
    old: np.ndarray
    grad: np.ndarray
    new: np.ndarray


@dataclass
class OptimizerStep:
    """What one optimizer step would change (computed on copies; the model is unchanged).

    Attributes:
        kind: "sgd" (plain gradient descent, ``w - lr * g``) or "optimizer" (the model's).
        name: e.g. "SGD" or "Adam (lr = 0.001)".
        lr: the learning rate.
        changes: one ``WeightChange`` per trainable parameter.
        loss_after: the loss on the same input with the new weights.
        note: how to read this optimizer's step, when there is something to say.

    Example:
        >>> from glassnet import nn
        >>> e = explain(nn.Linear(2, 1, rng=0), [1.0, 2.0], y=[0.0], optimizer="adam", lr=0.01)
        >>> e.sgd.name, e.optimizer_step.name, [c.name for c in e.optimizer_step.changes]
        ('SGD', 'Adam (lr = 0.01)', ['weight', 'bias'])
    """

    kind: str
    name: str
    lr: float
    changes: list
    loss_after: float | None = None
    note: str | None = None


@dataclass(repr=False)
class Explanation:
    """The result of ``explain``: every number of one forward and backward pass.

    ``str(explanation)`` is the text that reads like the tutorials (sections "Forward
    pass", "Loss", "Backward pass (chain rule, from the output back)" and "One
    gradient-descent step"); ``to_dict()`` gives the numbers as JSON-ready lists.

    Attributes:
        model_name: the model's class name and size.
        input: the explained input row (1-D).
        records: one ``LayerRecord`` per layer call, in forward order.
        output: the model's output for the row (1-D).
        target: the target as the loss takes it (floats, or one class label), or None.
        loss: the loss value (a float), or None without a target.
        loss_name: e.g. "mean_squared_error".
        loss_rule: why this loss was used (given, compiled, or chosen from the output).
        grad_output: dL/dy, the gradient of the loss w.r.t. the model's output.
        sgd: the plain SGD step (``OptimizerStep``), or None without a target.
        optimizer_step: the step of the model's own optimizer (or the ``optimizer=``
            argument), or None.
        notes: things to know about this explanation.
        show_all, precision: how ``str()`` prints (everything, or wide layers summarised;
            how many digits).
        last_layer_is_output: False when the model's forward() changes the last layer's
            output with code of its own (then that step has no record).

    Example:
        >>> model, x, y, loss = example_network("two-node")
        >>> e = explain(model, x, y, loss=loss)
        >>> e
        <Explanation of Sequential (10 parameters): 1 layer call, loss 0.00125>
        >>> e.loss_name, e.output.round(4)
        ('mean_squared_error', array([0.95, 0.  ], dtype=float32))
    """

    model_name: str
    input: np.ndarray
    records: list
    output: np.ndarray
    target: np.ndarray | None = None
    loss: float | None = None
    loss_name: str | None = None
    loss_rule: str | None = None
    grad_output: np.ndarray | None = None
    sgd: OptimizerStep | None = None
    optimizer_step: OptimizerStep | None = None
    notes: list = field(default_factory=list)
    show_all: bool = False
    precision: int = 4
    last_layer_is_output: bool = True

    def __str__(self) -> str:
        return explain_text.render(self)

    def __repr__(self) -> str:
        loss = "" if self.loss is None else f", loss {self.loss:.6g}"
        calls = f"{len(self.records)} layer call{'' if len(self.records) == 1 else 's'}"
        return f"<Explanation of {self.model_name}: {calls}{loss}>"

    def to_dict(self) -> dict:
        """Every number as plain Python (lists of floats): ready for ``json.dumps``.

        Example:
            >>> import json
            >>> from glassnet import nn
            >>> e = explain(nn.Linear(2, 1, rng=0), [1.0, 2.0], y=[0.5])
            >>> d = e.to_dict()
            >>> sorted(d)[:4], len(d["records"]), d["records"][0]["kind"]
            (['grad_output', 'input', 'last_layer_is_output', 'loss'], 1, 'linear')
            >>> len(json.dumps(d)) > 100
            True
        """
        return _plain(self)

    def shortcut_for(self, record: LayerRecord):
        """``(formula, values)`` when this layer's activation and the loss cancel neatly.

        A final sigmoid with binary cross-entropy (or softmax with categorical
        cross-entropy) gives ``dL/dz = p - t``: the tutorials' ``dz2 = a2 - y``. Only
        returned when it matches the autograd numbers (not when p was clipped).

        Example:
            >>> model, x, y, loss = example_network("xor")
            >>> e = explain(model, x, y, loss=loss)
            >>> formula, values = e.shortcut_for(e.records[-1])
            >>> formula, values.round(4)
            ('p - t', array([-0.2599]))
        """
        last = self.records[-1] if self.records else None
        if record is not last or not self.last_layer_is_output or record.grad_z is None:
            return None
        p = record.output.astype(np.float64)
        if record.activation == "sigmoid" and self.loss_name == "binary_crossentropy":
            n = p.size
            formula = "p - t" if n == 1 else f"(p - t) / {n}"
            values = (p - self.target.astype(np.float64)) / n
        elif record.activation == "softmax" and self.loss_name in (
                "categorical_crossentropy", "sparse_categorical_crossentropy"):
            t = self.target.astype(np.float64)
            if t.size == 1:  # a class label: one-hot
                t = np.eye(p.size)[int(t[0])]
            formula, values = "p - t", p - t
        else:
            return None
        if not np.allclose(values, record.grad_z, rtol=1e-3, atol=1e-6):
            return None
        return formula, values


def _plain(value):
    """Dataclasses, dicts, arrays and NumPy numbers -> dicts, lists and Python numbers."""
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return value.astype(np.float64).tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


# ----------------------------------------------------------------------------- explain


def explain(model, x, y=None, *, loss=None, optimizer=None, lr: float = 0.1,
            show_all: bool = False, precision: int = 4) -> Explanation:
    """Explain one input's forward pass and, with a target, the backward pass and one step.

    Args:
        model: an ``nn.Module`` built from glassnet layers (``nn.Sequential``, nested
            Sequentials, your own ``nn.Module`` subclass), or a Keras-style
            ``glassnet.training.Model``.
        x: one input row, shape (features,) or (1, features). With more rows the first
            is explained (and a note says so).
        y: the target for that row (numbers shaped like the output, or one class label),
            or None for the forward pass only.
        loss: the loss to explain: a name ("mse", "binary_crossentropy",
            "sparse_categorical_crossentropy", ...), a function ``loss(output, target)``
            or an nn loss module. Defaults to the compiled loss, else one chosen from the
            output (see the module docstring).
        optimizer: an optimizer to show one step of (an instance over the model's
            parameters, or a name such as "adam", used with ``lr``). Defaults to the
            compiled model's optimizer; None shows plain SGD only.
        lr: the learning rate of the plain SGD step (and of a named ``optimizer``).
        show_all: print every unit, weight and value instead of summarising wide layers.
        precision: digits printed: decimals, or significant digits for numbers below 1
            (the numbers themselves are never rounded).

    Returns:
        An ``Explanation``: ``print`` it, or read ``.records``, ``.loss``, ``.to_dict()``.

    Raises:
        ValueError: x with the wrong number of features (naming the layer), NaN/inf in x
            or y, a target that does not fit the output, a bad ``lr`` or ``precision``.
        TypeError: a model that is not a glassnet Module or Model.

    Example:
        >>> from glassnet import nn
        >>> net = nn.Sequential(nn.Linear(2, 1, rng=0), nn.Sigmoid())
        >>> e = explain(net, [1.0, 0.0], y=1.0)
        >>> [r.layer_type for r in e.records], e.loss_name
        (['Linear', 'Sigmoid'], 'binary_crossentropy')
        >>> sig = e.records[1]              # dL/dz = dL/da * a * (1 - a)
        >>> bool(abs(sig.grad_z - sig.grad_output * sig.output * (1 - sig.output)).max() < 1e-6)
        True
    """
    module, trainer = _unwrap(model)
    _check_settings(lr, precision)
    row, rows, notes = _one_row(x, _parameter_dtype(module))
    modes = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        with enable_grad():
            return _explain(module, trainer, row, rows, notes, y, loss, optimizer, lr,
                            show_all, precision)
    finally:
        for m, training in modes:
            m.training = training


def _explain(module, trainer, row, rows, notes, y, loss, optimizer, lr, show_all, precision):
    """The four steps of ``explain``, with the model already in evaluation mode."""
    # 1. the forward pass, every layer call recorded
    x = Tensor(row, dtype=row.dtype, requires_grad=True)  # so dL/dx of layer 1 is kept
    with _LayerRecorder(module) as recorder:
        output = module(x)
    if not isinstance(output, Tensor):
        raise TypeError(f"explain: the model's forward must return a Tensor, it returned "
                        f"{type(output).__name__}")
    calls = recorder.calls
    notes += _gap_notes(calls, x, output)
    notes += _penalty_notes(module)
    last_is_output = bool(calls) and calls[-1].out is output
    explanation = Explanation(
        model_name=f"{type(module).__name__} ({module.num_parameters()} parameters)",
        input=_flat(row), records=[], output=_flat(output), notes=notes,
        show_all=show_all, precision=precision, last_layer_is_output=last_is_output)
    # 2. the loss, and one backward pass through autograd
    param_grads = None
    if y is not None:
        last_activation = _last_activation(calls) if last_is_output else None
        choice = _choose_loss(trainer, loss, output, last_activation, y, rows)
        loss_value, param_grads = _backward(module, output, choice)
        explanation.target = choice.target.ravel().copy()
        explanation.loss = loss_value
        explanation.loss_name = choice.name
        explanation.loss_rule = choice.rule
        explanation.grad_output = _grad_of(output)
    # 3. the numbers of each layer call, forward and backward
    explanation.records = [_make_record(i + 1, call, calls, param_grads)
                           for i, call in enumerate(calls)]
    # 4. one optimizer step, on copies of the weights
    if y is not None:
        named = [(name, p) for name, p in module.named_parameters() if p.requires_grad]
        explanation.sgd = _sgd_step(module, row, choice, named, param_grads, lr)
        own = optimizer if optimizer is not None else _compiled_optimizer(trainer)
        if own is not None:
            explanation.optimizer_step = _optimizer_step(module, row, choice, named,
                                                         param_grads, own, lr)
    return explanation


def explain_row(model, X_row, y_row=None, **options) -> Explanation:
    """``explain`` for one row of a data table (the CLI's ``glassnet explain MODEL data.csv``).

    The same as ``explain`` but strict about the shape: ``X_row`` must be one row,
    (features,) or (1, features), and ``y_row`` that row's target (a CSV label read as a
    float such as 2.0 is accepted as class 2).

    Raises:
        ValueError: ``X_row`` is not a single row.

    Example:
        >>> import numpy as np
        >>> from glassnet import nn
        >>> X = np.array([[1.0, 2.0], [3.0, 4.0]])
        >>> explain_row(nn.Linear(2, 1, rng=0), X[1]).input
        array([3., 4.], dtype=float32)
        >>> explain_row(nn.Linear(2, 1, rng=0), X)
        Traceback (most recent call last):
        ...
        ValueError: explain_row: expected one row of features, ... received shape (2, 2)
    """
    row = np.asarray(X_row.data if isinstance(X_row, Tensor) else X_row)
    if row.ndim == 2 and len(row) == 1:
        row = row[0]
    if row.ndim != 1:
        raise ValueError(f"explain_row: expected one row of features, shape (features,) or "
                         f"(1, features), received shape {row.shape}")
    return explain(model, row, y_row, **options)


# ----------------------------------------------------------------------------- inputs


def _unwrap(model) -> tuple:
    """(the nn.Module, the Keras-style trainer or None) for a Module or a training Model."""
    if isinstance(model, Module):
        # gn.Sequential keeps its Keras-style trainer (compile's loss and optimizer) here
        return model, vars(model).get("_keras_model")
    inner = getattr(model, "module", None)
    if isinstance(inner, Module) and hasattr(model, "compile"):
        return inner, model
    raise TypeError(f"explain: expected a glassnet model (an nn.Module such as nn.Sequential, "
                    f"or a Keras-style Model), received {type(model).__name__}")


def _check_settings(lr, precision) -> None:
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not math.isfinite(lr) \
            or lr <= 0:
        raise ValueError(f"explain: lr must be a positive number, received {lr!r}")
    if isinstance(precision, bool) or not isinstance(precision, numbers.Integral) \
            or precision < 1:
        raise ValueError(f"explain: precision must be an integer >= 1, received {precision!r}")


def _parameter_dtype(module: Module) -> np.dtype:
    first = next(module.parameters(), None)
    return first.dtype if first is not None else backend.get_default_dtype()


def _one_row(x, dtype) -> tuple:
    """(the first row as a (1, features) array of the model's dtype, rows given, notes)."""
    array = np.asarray(x.data if isinstance(x, Tensor) else x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"explain: x must hold numbers, received dtype {array.dtype}")
    if array.ndim == 0 or array.size == 0:
        raise ValueError(f"explain: x must be one sample, shape (features,) or (1, features), "
                         f"received shape {array.shape}")
    notes = []
    if array.ndim == 1:
        row = array[None, :]
    else:
        if len(array) > 1:
            notes.append(f"x has {len(array)} rows; explaining the first one (row 0)")
        row = array[:1]
    row = np.array(row, dtype=dtype)
    bad = np.argwhere(~np.isfinite(row.reshape(len(row), -1)))
    if len(bad):
        column = int(bad[0][1])
        raise ValueError(f"explain: x contains NaN or inf (column {column}: "
                         f"{row.reshape(-1)[column]})")
    return row, (1 if array.ndim == 1 else len(array)), notes


def _flat(tensor) -> np.ndarray:
    """The values of one row of a tensor (batch of 1), as a 1-D copy."""
    data = tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)
    return np.array(data, copy=True).reshape(-1)


def _grad_of(tensor) -> np.ndarray:
    """dL/d(tensor) kept by the backward pass, 1-D (zeros if it did not reach the loss)."""
    if not isinstance(tensor, Tensor) or tensor.grad is None:
        return np.zeros(np.size(tensor.data if isinstance(tensor, Tensor) else tensor))
    return np.array(tensor.grad, copy=True).reshape(-1)


# ----------------------------------------------------------------------------- recording


@dataclass
class _Call:
    """One call of a leaf layer during the forward pass (the live tensors)."""

    module: Module
    name: str
    x: object
    z: Tensor | None
    out: object
    count: int
    activated: bool = False
    note: str | None = None


class _LayerRecorder:
    """Records every call of every leaf layer while the ``with`` block runs.

    A leaf layer is a module without children (Linear, ReLU, Dropout, ... or your own
    small module). On entry each one gets an instance attribute ``forward`` that calls
    the real one and keeps its input and output: ``module(x)`` looks up ``self.forward``
    and finds the instance attribute before the class's method. On exit the attributes
    are removed again, so nothing outlives the call to ``explain``.
    """

    def __init__(self, module: Module):
        names = {}
        for name, m in module.named_modules():
            names.setdefault(id(m), name)
        self.leaves = [(m, names[id(m)]) for m in module.modules()
                       if next(m.children(), None) is None]
        self.calls = []
        self._counts = {}
        self._previous = []

    def __enter__(self) -> "_LayerRecorder":
        for leaf, name in self.leaves:
            self._previous.append(vars(leaf).get("forward"))
            object.__setattr__(leaf, "forward", self._recording(leaf, name, leaf.forward))
        return self

    def __exit__(self, *exc_info) -> None:
        for (leaf, _), previous in zip(self.leaves, self._previous):
            if previous is None:
                object.__delattr__(leaf, "forward")
            else:
                object.__setattr__(leaf, "forward", previous)

    def _recording(self, leaf: Module, name: str, forward):
        def recording_forward(*args, **kwargs):
            x = args[0] if args else next(iter(kwargs.values()), None)
            count = self._counts[id(leaf)] = self._counts.get(id(leaf), 0) + 1
            z, activated = None, False
            try:
                if _is_plain_linear(leaf):
                    z = forward(x, apply_activation=False)
                    activated = kwargs.get("apply_activation", True) and \
                        leaf.activation is not None
                    out = leaf.activation(z) if activated else z
                else:
                    out = forward(*args, **kwargs)
            except ValueError as error:
                where = f"'{name}' " if name else ""
                raise ValueError(f"explain: layer {where}({type(leaf).__name__}) cannot take "
                                 f"its input: {error}") from None
            for tensor in (x, z, out):  # keep their gradients after backward()
                if isinstance(tensor, Tensor) and tensor.requires_grad and not tensor.is_leaf:
                    tensor.retain_grad()
            self.calls.append(_Call(leaf, name, x, z, out, count, activated))
            return out

        return recording_forward


def _is_plain_linear(module: Module) -> bool:
    """A Linear/Dense whose forward is the library's (``z``, then its own activation)."""
    return isinstance(module, Linear) and type(module).forward is Linear.forward


def _gap_notes(calls, x, output) -> list:
    """Mark layer inputs that were computed by the model's own forward code, not a layer."""
    produced = {id(x)}
    for call in calls:
        if id(call.x) not in produced and isinstance(call.x, Tensor):
            call.note = "its input was computed by the model's forward() code, not by a layer"
            if call.x.grad_fn is not None:
                call.note += f" (last operation: {type(call.x.grad_fn).__name__})"
        produced.add(id(call.out))
    if calls and calls[-1].out is not output:
        last_op = type(output.grad_fn).__name__ if output.grad_fn is not None else "?"
        return [f"the model's forward() changes the last layer's output itself (last "
                f"operation: {last_op}); that step has no layer to show"]
    return []


def _penalty_notes(module: Module) -> list:
    with no_grad():
        penalty = float(module.regularization_loss().data)
    if penalty:
        return ["the weight penalties (kernel_regularizer) that fit() adds to the loss are "
                "left out here"]
    return []


def _last_activation(calls):
    """The activation name applied by the last layer call (None if there is none)."""
    if not calls:
        return None
    last = calls[-1]
    if last.z is not None:
        return last.module.activation_name if last.activated else None
    if _kind(last) == "activation":
        return activation_name_of(last.module)
    return None


# ----------------------------------------------------------------------------- records


def _kind(call: _Call) -> str:
    module = call.module
    if call.z is not None:
        return "linear"
    if isinstance(module, Dropout):
        return "dropout"
    if isinstance(module, BatchNorm1d):
        return "batch_norm"
    if isinstance(module, Flatten):
        return "flatten"
    if isinstance(module, (Activation, *ACTIVATIONS.values())):
        return "activation"
    return "other"


def _make_record(index: int, call: _Call, calls: list, param_grads) -> LayerRecord:
    """The numbers of one layer call (and, after a backward pass, its gradients)."""
    module, kind = call.module, _kind(call)
    record = LayerRecord(index=index, name=call.name, layer_type=type(module).__name__,
                         kind=kind, input=_flat(call.x), output=_flat(call.out),
                         call=call.count, note=call.note)
    own_params = list(module.named_parameters(recurse=False))
    record.shared_weights = bool(own_params) and sum(c.module is module for c in calls) > 1
    function = None
    if kind == "linear":
        record.weight = module.weight.data.copy()
        record.bias = None if module.bias is None else module.bias.data.copy()
        record.z = _flat(call.z)
        if call.activated:
            record.activation = module.activation_name or _callable_name(module.activation)
            function = module.activation
    elif kind == "activation":
        record.activation = activation_name_of(module)
        function = module
    elif kind == "dropout":
        record.details = {"p": module.p}
    elif kind == "batch_norm":
        record.details = _batch_norm_details(module)
    if param_grads is None:
        return record
    record.grad_output = _grad_of(call.out)
    record.grad_input = _grad_of(call.x)
    if kind == "linear":
        record.grad_z = _grad_of(call.z)
        record.grad_weight = param_grads[id(module.weight)]
        if module.bias is not None:
            record.grad_bias = param_grads[id(module.bias)]
        pre_activation = call.z
    else:
        record.grad_z = record.grad_input if kind == "activation" else None
        record.grad_params = {name: param_grads[id(p)].reshape(-1) for name, p in own_params}
        pre_activation = call.x
    if function is not None and _is_elementwise(record.activation):
        record.local_derivative = _local_derivative(function, pre_activation)
    return record


def _callable_name(function) -> str:
    return getattr(function, "__name__", type(function).__name__)


def _is_elementwise(name) -> bool:
    formulas = explain_text.ACTIVATION_FORMULAS
    return name in formulas and formulas[name][1] is not None


def _local_derivative(function, z) -> np.ndarray:
    """da/dz of an elementwise activation at z: autograd on a detached copy of z.

    For an elementwise f, d(sum_i f(z_i))/dz_j = f'(z_j), so one backward gives them all.
    """
    copy_of_z = Tensor(np.array(z.data, copy=True), dtype=z.dtype, requires_grad=True)
    function(copy_of_z).sum().backward()
    return copy_of_z.grad.reshape(-1)


def _batch_norm_details(module: BatchNorm1d) -> dict:
    details = {"eps": module.eps}
    if module.running_mean is not None:
        details["running_mean"] = np.array(module.running_mean, copy=True)
        details["running_var"] = np.array(module.running_var, copy=True)
    if module.weight is not None:
        details["weight"] = module.weight.data.copy()
        details["bias"] = module.bias.data.copy()
    return details


# ----------------------------------------------------------------------------- the loss


@dataclass
class _LossChoice:
    """The loss to explain: its name, why it was chosen, how to compute it, the target."""

    name: str
    rule: str
    compute: object  # compute(output Tensor, target Tensor) -> scalar Tensor
    target: np.ndarray


def _choose_loss(trainer, loss, output: Tensor, last_activation, y, rows: int) -> _LossChoice:
    y = _one_target(y, rows)
    width = output.shape[-1] if output.ndim else 1
    if loss is not None:
        spec, rule = loss, "given as loss="
    elif trainer is not None and trainer.loss is not None:
        spec, rule = trainer.loss, "the loss the model was compiled with"
    else:
        spec, rule = _default_loss(last_activation, width, y)
    if isinstance(spec, str):
        from glassnet.training import losses  # the names compile() understands

        entry = losses.get(spec)
        target = _target_for(entry.targets, entry.name, y, output)
        return _LossChoice(entry.name, rule, lambda out, t: entry(out, t, "mean"), target)
    if callable(spec):
        name = _callable_name(spec)
        target = _target_for("callable", name, y, output)
        return _LossChoice(name, rule, lambda out, t: _scalar(spec(out, t), name), target)
    raise TypeError(f"explain: loss must be a name (e.g. 'mse'), a function "
                    f"loss(output, target) or an nn loss module, received "
                    f"{type(spec).__name__}")


def _default_loss(last_activation, width: int, y: np.ndarray) -> tuple:
    """(loss name, why) chosen from the output when no loss is given or compiled."""
    label = y.size == 1 and width > 1
    if last_activation == "sigmoid":
        return "binary_crossentropy", "chosen by explain: the output ends in a sigmoid"
    if last_activation == "softmax":
        name = "sparse_categorical_crossentropy" if label else "categorical_crossentropy"
        return name, "chosen by explain: the output ends in a softmax"
    if label:
        return "cross_entropy", "chosen by explain: one class label for several outputs (logits)"
    return "mean_squared_error", "chosen by explain: a regression-shaped output"


def _one_target(y, rows: int) -> np.ndarray:
    array = np.asarray(y.data if isinstance(y, Tensor) else y)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"explain: y must hold numbers, received dtype {array.dtype}")
    if rows > 1 and array.ndim >= 1 and len(array) == rows:
        array = array[0]  # the target of the explained (first) row
    if array.size == 0 or not np.isfinite(array.astype(np.float64)).all():
        raise ValueError(f"explain: y must be finite numbers (one target), received {y!r}")
    return array


def _target_for(kind: str, name: str, y: np.ndarray, output: Tensor) -> np.ndarray:
    """The target as the loss takes it: floats shaped like the output, or a class label."""
    width = output.shape[-1] if output.ndim else 1
    wants_label = kind == "sparse" or (kind in ("labels_or_probabilities", "callable")
                                       and y.size == 1 and width > 1)
    if wants_label:
        label = float(y.reshape(-1)[0]) if y.size == 1 else math.nan
        if not (label == round(label) and 0 <= label < width):
            raise ValueError(f"explain: {name} needs one class label in [0, {width - 1}] for "
                             f"this output of {width} units, received y={y.tolist()}")
        return np.array([int(label)], dtype=np.int64)
    if y.size != output.numel():
        raise ValueError(f"explain: y has {y.size} values but the model's output has "
                         f"{output.numel()} (shape {output.shape}); give one target per output")
    target = y.reshape(output.shape).astype(output.dtype)
    if kind == "binary" and ((target < 0) | (target > 1)).any():
        raise ValueError(f"explain: {name} needs targets in [0, 1], received {y.tolist()}")
    return target


def _scalar(value, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"explain: the loss {name} must return a Tensor, it returned "
                        f"{type(value).__name__}")
    return value if value.ndim == 0 else value.mean()


def _backward(module: Module, output: Tensor, choice: _LossChoice) -> tuple:
    """Run loss.backward() once; return (loss value, {id(param): dL/dparam}).

    The parameters' own ``.grad`` is put back as it was, so nothing is left behind.
    """
    params = list(module.parameters())
    saved = [p.grad for p in params]
    try:
        for p in params:
            p.grad = None
        if not output.is_leaf:
            output.retain_grad()
        loss = choice.compute(output, Tensor._from_op(choice.target, None))
        loss.backward()
        grads = {id(p): np.zeros_like(p.data) if p.grad is None else p.grad.copy()
                 for p in params}
    finally:
        for p, grad in zip(params, saved):
            p.grad = grad
    return float(loss.data), grads


# ----------------------------------------------------------------------------- one step


def _sgd_step(module, row, choice, named, param_grads, lr) -> OptimizerStep:
    """Plain gradient descent, w_new = w - lr * dL/dw, for every trainable parameter."""
    changes = []
    for name, p in named:
        grad = param_grads[id(p)]
        new = p.data - p.data.dtype.type(lr) * grad
        changes.append(WeightChange(name, p.shape, p.data.copy(), grad, new))
    step = OptimizerStep("sgd", "SGD", float(lr), changes)
    step.loss_after = _loss_with_weights(module, row, choice, named, changes)
    return step


def _compiled_optimizer(trainer):
    """The Keras-style model's optimizer (or its name, before the first fit), or None."""
    if trainer is None:
        return None
    if getattr(trainer, "optimizer", None) is not None:
        return trainer.optimizer
    config = trainer.get_compile_config() if hasattr(trainer, "get_compile_config") else None
    if config and isinstance(config.get("optimizer"), str):
        return ("compiled", config["optimizer"])
    return None


def _optimizer_step(module, row, choice, named, param_grads, optimizer, lr) -> OptimizerStep:
    """One step of ``optimizer`` on copies of the parameters (the model keeps its own)."""
    clones = {}
    for _, p in named:
        clone = copy.copy(p)  # same class and flags, then its own arrays
        clone.data = p.data.copy()
        clone.grad = param_grads[id(p)].copy()
        clones[id(p)] = clone
    twin, first_step = _optimizer_on(optimizer, named, clones, lr)
    twin.step()
    changes = [WeightChange(name, p.shape, p.data.copy(), param_grads[id(p)],
                            clones[id(p)].data.copy()) for name, p in named]
    twin_lr = twin.param_groups[0]["lr"]
    step = OptimizerStep("optimizer", f"{type(twin).__name__} (lr = {twin_lr:g})",
                         float(twin_lr), changes)
    if first_step and type(twin).__name__ in ("Adam", "AdamW"):
        step.note = (f"Adam's first step: m_hat = g and v_hat = g^2, so each weight moves by "
                     f"about lr = {twin_lr:g} against the sign of its gradient, whatever the "
                     f"gradient's size")
    step.loss_after = _loss_with_weights(module, row, choice, named, changes)
    return step


def _optimizer_on(optimizer, named, clones: dict, lr) -> tuple:
    """(an optimizer over the clones in the same state as ``optimizer``, first step?)."""
    from glassnet import optim

    clone_list = list(clones.values())
    if isinstance(optimizer, tuple):  # ("compiled", name): Keras's settings for that name
        from glassnet.training.model import OPTIMIZERS as KERAS_OPTIMIZERS

        class_name, settings = KERAS_OPTIMIZERS[optimizer[1].lower()]
        return getattr(optim, class_name)(clone_list, **settings), True
    if isinstance(optimizer, str):
        key = optimizer.lower()
        if key not in optim.OPTIMIZERS:
            raise ValueError(f"explain: unknown optimizer {optimizer!r}. Valid names: "
                             f"{', '.join(sorted(optim.OPTIMIZERS))}")
        return optim.OPTIMIZERS[key](clone_list, lr=lr), True
    if not hasattr(optimizer, "step") or not hasattr(optimizer, "param_groups"):
        raise TypeError(f"explain: optimizer must be an optimizer or a name such as 'adam', "
                        f"received {type(optimizer).__name__}")
    first_step = not any(optimizer.state.get(p) for _, p in named)
    # Deep-copy the optimizer (its state included) with every parameter replaced by its
    # clone: deepcopy takes objects already in ``memo`` as they are.
    twin = copy.deepcopy(optimizer, memo=dict(clones))
    if not any(len(group["params"]) for group in twin.param_groups):
        twin.add_param_group({"params": clone_list})  # a Keras-style optimizer not bound yet
    return twin, first_step


def _loss_with_weights(module, row, choice, named, changes) -> float:
    """The loss on the same row with the new weights put in for a moment."""
    params = [p for _, p in named]
    saved = [p.data for p in params]
    try:
        for p, change in zip(params, changes):
            p.data = change.new
        with no_grad():
            output = module(Tensor(row, dtype=row.dtype))
            return float(choice.compute(output, Tensor._from_op(choice.target, None)).data)
    finally:
        for p, data in zip(params, saved):
            p.data = data


# ----------------------------------------------------------------------------- examples

#: the names ``explain_example`` knows (``glassnet explain --example NAME``)
EXAMPLES = ("two-node", "xor", "perceptron")

# The tutorials' 2-node layer: 4 inputs -> 2 ReLU nodes (used everywhere in the project).
TWO_NODE_X = [1.0, 0.5, -1.0, 2.0]
TWO_NODE_W = [[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]]
TWO_NODE_B = [0.1, -0.2]
TWO_NODE_Y = [1.0, 0.0]

# XOR by a 2-2-1 sigmoid network whose hidden units act as OR and NAND and whose output
# acts as AND: it already solves XOR (0.18, 0.74, 0.74, 0.18), but not yet surely, so the
# gradients are large enough to see. Explained on input [1, 0] with target 1.
XOR_W1 = [[4.0, -4.0], [4.0, -4.0]]
XOR_B1 = [-2.0, 6.0]
XOR_W2 = [[4.0], [4.0]]
XOR_B2 = [-6.0]


def _set_weights(layer: Linear, weight, bias) -> None:
    with no_grad():
        layer.weight.data[...] = weight
        layer.bias.data[...] = bias


def example_network(name: str) -> tuple:
    """``(model, x, y, loss)`` of a canned example: "two-node" or "xor".

    Example:
        >>> model, x, y, loss = example_network("two-node")
        >>> model(np.array([x])).data.round(4), y, loss
        (array([[0.95, 0.  ]], dtype=float32), [1.0, 0.0], 'mse')
    """
    from glassnet import nn

    key = _example_key(name)
    if key == "two-node":
        layer = nn.Dense(2, activation="relu", input_dim=4, name="two_node")
        _set_weights(layer, TWO_NODE_W, TWO_NODE_B)
        return nn.Sequential([layer], name="two_node_layer"), TWO_NODE_X, TWO_NODE_Y, "mse"
    if key == "xor":
        hidden = nn.Dense(2, activation="sigmoid", input_dim=2, name="hidden")
        out = nn.Dense(1, activation="sigmoid", input_dim=2, name="output")
        _set_weights(hidden, XOR_W1, XOR_B1)
        _set_weights(out, XOR_W2, XOR_B2)
        return nn.Sequential([hidden, out], name="xor"), [1.0, 0.0], [1.0], \
            "binary_crossentropy"
    raise ValueError(f"example_network: {name!r} has no network; use 'two-node' or 'xor'")


def _example_key(name) -> str:
    key = str(name).strip().lower().replace("_", "-").replace(" ", "-")
    key = {"twonode": "two-node", "2-node": "two-node"}.get(key, key)
    if key not in EXAMPLES:
        raise ValueError(f"Unknown example {name!r}. Valid names: {', '.join(EXAMPLES)}")
    return key


def explain_example(name: str, *, show_all: bool = False, precision: int = 4) -> str:
    """The text of a canned example (``glassnet explain --example NAME``).

    - "two-node": the tutorials' layer, 4 inputs -> 2 ReLU nodes, x = [1.0, 0.5, -1.0, 2.0],
      target [1.0, 0.0], mean squared error: z = [0.95, -1.3], relu -> [0.95, 0.0].
    - "xor": a 2-2-1 sigmoid network with hand-set weights on input [1, 0], target 1,
      binary cross-entropy: forward, backward and one SGD step (lr 0.1).
    - "perceptron": Rosenblatt's rule learning AND, sample by sample, epoch by epoch.

    Raises:
        ValueError: an unknown name (the valid names are listed).

    Example:
        >>> text = explain_example("two-node")
        >>> "z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95" in text
        True
        >>> print(explain_example("perceptron").splitlines()[-1])
        Converged in epoch 6: w = [0.2, 0.1], b = -0.3; predictions for AND: [0, 0, 0, 1]
    """
    key = _example_key(name)
    if key == "perceptron":
        return _perceptron_story(precision)
    model, x, y, loss = example_network(key)
    intro = {
        "two-node": "The tutorials' 2-node layer: 4 inputs -> 2 ReLU nodes, Z = X.W + b, "
                    "then ReLU(Z).",
        "xor": "XOR with a 2-2-1 sigmoid network: the hidden units act as OR and NAND, the "
               "output as AND.\nInput [1, 0], target 1 (XOR(1, 0) = 1).",
    }[key]
    explanation = explain(model, x, y, loss=loss, show_all=show_all, precision=precision)
    return f"{intro}\n\n{explanation}"


def _perceptron_story(precision: int = 4) -> str:
    """The perceptron rule on AND, one line per sample visit, until an epoch has no mistake."""
    from glassnet.perceptron import Perceptron

    f, v = explain_text.factor, explain_text.vector
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    lr = 0.1
    model = Perceptron(learning_rate=lr).fit(X, np.array([0, 0, 0, 1]), record=True)
    lines = [f"The perceptron learning rule on AND (learning rate {lr}), starting from "
             f"w = [0.0, 0.0], b = 0.0",
             "  z = w . x + b;  prediction = 1 if z >= 0 else 0;  error = y - prediction",
             f"  w <- w + {lr} * error * x;  b <- b + {lr} * error   (no change when the "
             f"error is 0)"]
    for epoch, visits in itertools.groupby(model.history_, key=lambda visit: visit["epoch"]):
        lines += ["", f"Epoch {epoch}"]
        mistakes = 0
        for visit in visits:
            x, w, b, error = visit["x"], visit["w_before"], visit["b_before"], visit["error"]
            terms = " + ".join(f"{f(wi, precision)}*{f(xi, precision)}" for wi, xi in zip(w, x))
            line = (f"  x = {v(x, precision)}, y = {visit['y']}: z = {terms} + "
                    f"{f(b, precision)} = {explain_text.number(visit['z'], precision)} -> "
                    f"prediction {visit['prediction']}, error {error}")
            if error:
                mistakes += 1
                line += (f"; w = w + {lr}*({error})*x = {v(visit['w_after'], precision)}, "
                         f"b = b + {lr}*({error}) = "
                         f"{explain_text.number(visit['b_after'], precision)}")
            else:
                line += "; no change"
            lines.append(line)
        lines.append(f"  {mistakes} mistake{'s' if mistakes != 1 else ''} in epoch {epoch}")
    weights = v(model.weights_, precision)
    verdict = "Converged" if model.converged_ else "Stopped without converging"
    lines += ["", f"{verdict} in epoch {model.n_iter_}: w = {weights}, "
                  f"b = {explain_text.number(model.bias_, precision)}; predictions for AND: "
                  f"{model.predict(X).tolist()}"]
    return "\n".join(lines)
