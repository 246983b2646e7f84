"""How an ``Explanation`` is written out: numbers, vectors and the four sections.

``glassnet.viz.explain`` computes the numbers; this module only turns them into text that
reads like the tutorials. Everything printed is plain ASCII, so it shows the same on any
terminal: ``*`` multiplies, ``@`` is the matrix product (as in Python), ``^T`` transposes
and ``-`` is the minus sign.

Long things are summarised unless ``show_all=True``: a vector shows its first values and
"... (N more)", a layer with more than 4 units writes out the arithmetic of its first 2,
and a neuron with more than 8 inputs shows its first terms.

Example:
    >>> number(0.95000005), number(-1.3000001), number(0.0), number(0.00125)
    ('0.95', '-1.3', '0.0', '0.00125')
    >>> vector([1.0, 0.5, -1.0, 2.0])
    '[1.0, 0.5, -1.0, 2.0]'
    >>> neuron_line(0, [1.0, 0.5, -1.0, 2.0], [0.2, -0.1, 0.3, 0.5], 0.1, 0.95)
    'z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95'
"""

from __future__ import annotations

import math

import numpy as np

#: A layer with at most this many units has every neuron's arithmetic written out.
FEW_UNITS = 4
#: Otherwise this many neurons are written out, then "... (N more units)".
SHOWN_UNITS = 2
#: A neuron with at most this many inputs shows every term x_i*w_i.
FEW_TERMS = 8
#: Vectors longer than FEW_VALUES show their first SHOWN_VALUES values.
FEW_VALUES = 8
SHOWN_VALUES = 6
#: Matrices with at most this many numbers are printed whole.
FEW_MATRIX_VALUES = 16

#: activation name -> (a = f(z), da/dz as the textbook writes it; None: not elementwise)
ACTIVATION_FORMULAS = {
    "relu": ("max(0, z)", "1 where z > 0, else 0"),
    "leaky_relu": ("z if z > 0, else slope * z", "1 where z > 0, else slope"),
    "elu": ("z if z > 0, else alpha * (e^z - 1)", "1 where z > 0, else a + alpha"),
    "gelu": ("z * Phi(z)", "Phi(z) + z * phi(z)"),
    "sigmoid": ("1 / (1 + e^-z)", "a * (1 - a)"),
    "tanh": ("(e^z - e^-z) / (e^z + e^-z)", "1 - a^2"),
    "softplus": ("ln(1 + e^z)", "sigmoid(z)"),
    "silu": ("z * sigmoid(z)", "sigmoid(z) * (1 + z * (1 - sigmoid(z)))"),
    "swish": ("z * sigmoid(z)", "sigmoid(z) * (1 + z * (1 - sigmoid(z)))"),
    "linear": ("z", "1"),
    "softmax": ("e^z_i / sum_j e^z_j", None),
    "log_softmax": ("z_i - ln(sum_j e^z_j)", None),
}

#: how each non-elementwise activation passes the gradient back (its Jacobian, applied)
JACOBIAN_RULES = {
    "softmax": "dL/dz_i = a_i * (dL/da_i - sum_j a_j * dL/da_j)",
    "log_softmax": "dL/dz_i = dL/da_i - softmax(z)_i * sum_j dL/da_j",
}

#: loss name -> how dL/dy follows from the formula (n = number of outputs)
LOSS_DERIVATIVES = {
    "mean_squared_error": "dL/dy = 2 * (y - t) / n",
    "mean_absolute_error": "dL/dy = sign(y - t) / n",
    "binary_crossentropy": "dL/dy = (y - t) / (y * (1 - y)) / n",
    "bce_with_logits": "dL/dy = (sigmoid(y) - t) / n",
    "cross_entropy": "dL/dy = softmax(y) - onehot(label)",
}


# ----------------------------------------------------------------------------- numbers


def number(value, precision: int = 4) -> str:
    """One number, short: up to ``precision`` decimals (significant digits below 1).

    Whole numbers keep one decimal ("2.0"), zero is "0.0" (never "-0.0"), and tiny values
    use exponent notation.

    Example:
        >>> number(2), number(-0.05), number(12.3456789), number(4.5e-05), number(-0.0)
        ('2.0', '-0.05', '12.3457', '4.5e-05', '0.0')
    """
    value = float(value)
    if value == 0:
        return "0.0"
    if not math.isfinite(value):
        return str(value)
    if abs(value) < 1:
        return f"{value:.{precision}g}"
    text = f"{value:.{precision}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def factor(value, precision: int = 4) -> str:
    """A number inside a product or sum: negative ones in parentheses, ``(-0.1)``.

    Example:
        >>> factor(-0.1), factor(0.25)
        ('(-0.1)', '0.25')
    """
    text = number(value, precision)
    return f"({text})" if text.startswith("-") else text


def vector(values, precision: int = 4, show_all: bool = False) -> str:
    """A flat list of numbers, the long ones summarised as "[a, b, ..., ... (N more)]".

    Example:
        >>> vector(range(10))
        '[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, ... (4 more)]'
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    if show_all or flat.size <= FEW_VALUES:
        return "[" + ", ".join(number(v, precision) for v in flat) + "]"
    shown = ", ".join(number(v, precision) for v in flat[:SHOWN_VALUES])
    return f"[{shown}, ... ({flat.size - SHOWN_VALUES} more)]"


def matrix_lines(values, precision: int = 4, show_all: bool = False) -> list:
    """A 2-D array as lines of text, one row per line (big ones: the first rows, summarised).

    Example:
        >>> matrix_lines([[0.2, -0.5], [-0.1, 0.4]])
        ['[[0.2, -0.5],', ' [-0.1, 0.4]]']
    """
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2:
        return [vector(array, precision, show_all)]
    rows = [vector(row, precision, show_all) for row in array]
    hidden = 0
    if not show_all and array.size > FEW_MATRIX_VALUES and len(rows) > SHOWN_UNITS:
        hidden = len(rows) - SHOWN_UNITS
        rows = rows[:SHOWN_UNITS]
    lines = [("[" if i == 0 else " ") + row for i, row in enumerate(rows)]
    if hidden:
        lines.append(f" ... ({hidden} more rows)")
    return [line + "," for line in lines[:-1]] + [lines[-1] + "]"]


def shape_text(shape) -> str:
    """``(4, 2)`` -> ``"4x2"``.

    Example:
        >>> shape_text((4, 2)), shape_text((3,))
        ('4x2', '3')
    """
    return "x".join(str(n) for n in shape)


# ----------------------------------------------------------------------------- arithmetic


def neuron_line(j: int, x, w_column, bias, z, precision: int = 4,
                show_all: bool = False) -> str:
    """The weighted sum of unit j written out: ``z1 = x1*w11 + x2*w21 + ... + b1 = z1``.

    Units are numbered from 1 as in the tutorials (z1 is the first output unit).

    Example:
        >>> neuron_line(1, [1.0, 2.0], [0.5, -1.0], 0.25, -1.25)
        'z2 = 1.0*0.5 + 2.0*(-1.0) + 0.25 = -1.25'
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    w_column = np.asarray(w_column, dtype=np.float64).ravel()
    terms = [f"{factor(xi, precision)}*{factor(wi, precision)}"
             for xi, wi in zip(x, w_column)]
    if not show_all and len(terms) > FEW_TERMS:
        hidden = len(terms) - (FEW_TERMS // 2)
        terms = terms[:FEW_TERMS // 2] + [f"... ({hidden} more terms)"]
    if bias is not None:
        terms.append(factor(bias, precision))
    return f"z{j + 1} = {' + '.join(terms)} = {number(z, precision)}"


def shown_units(count: int, show_all: bool) -> tuple:
    """(indices of the units to write out, how many are left out).

    Example:
        >>> shown_units(3, show_all=False), shown_units(10, show_all=False)
        ((range(0, 3), 0), (range(0, 2), 8))
    """
    if show_all or count <= FEW_UNITS:
        return range(count), 0
    return range(SHOWN_UNITS), count - SHOWN_UNITS


def activation_text(name, z, a, precision: int = 4, show_all: bool = False) -> str:
    """``a = relu(z) = max(0, z) = [0.95, 0.0]``: the activation, its formula and values.

    Example:
        >>> activation_text("relu", [0.95, -0.2], [0.95, 0.0])
        'a = relu(z) = max(0, z) = [0.95, 0.0]'
    """
    formula = ACTIVATION_FORMULAS.get(name, (None, None))[0]
    middle = f" = {formula}" if formula and formula != "z" else ""
    label = name or "f"
    return f"a = {label}(z){middle} = {vector(a, precision, show_all)}"


# ----------------------------------------------------------------------------- losses


def loss_lines(name: str, output, target, loss: float, precision: int = 4,
               show_all: bool = False) -> list:
    """The loss formula with the numbers put in, e.g. ``L = ((0.95 - 1.0)^2 + ...) / 2``.

    Example:
        >>> loss_lines("mean_squared_error", [0.95, 0.2], [1.0, 0.0], 0.02125)
        ['L = mean((y - t)^2) = ((0.95 - 1.0)^2 + (0.2 - 0.0)^2) / 2 = 0.02125']
        >>> for line in loss_lines("cross_entropy", [2.0, 0.0], [0], 0.126928):
        ...     print(line)
        p = softmax(y) = [0.8808, 0.1192]
        L = -ln(p[label]) = -ln(p[0]) = -ln(0.8808) = 0.1269
    """
    y = np.asarray(output, dtype=np.float64).ravel()
    t = np.asarray(target, dtype=np.float64).ravel()
    n = y.size
    value = number(loss, precision)

    def summed(terms):
        if not show_all and len(terms) > FEW_UNITS:
            terms = terms[:SHOWN_UNITS] + [f"... ({len(terms) - SHOWN_UNITS} more)"]
        return " + ".join(terms)

    def f(v):
        return number(v, precision)

    if name == "mean_squared_error" and t.size == n:
        terms = [f"({f(yi)} - {f(ti)})^2" for yi, ti in zip(y, t)]
        if n == 1:
            return [f"L = (y - t)^2 = {terms[0]} = {value}"]
        return [f"L = mean((y - t)^2) = ({summed(terms)}) / {n} = {value}"]
    if name == "mean_absolute_error" and t.size == n:
        terms = [f"|{f(yi)} - {f(ti)}|" for yi, ti in zip(y, t)]
        if n == 1:
            return [f"L = |y - t| = {terms[0]} = {value}"]
        return [f"L = mean(|y - t|) = ({summed(terms)}) / {n} = {value}"]
    if name in ("binary_crossentropy", "bce_with_logits") and t.size == n:
        lines = []
        p = y
        if name == "bce_with_logits":
            p = 1 / (1 + np.exp(-np.clip(y, -500, 500)))
            lines.append(f"p = sigmoid(y) = {vector(p, precision, show_all)}")
        terms = [f"({f(ti)}*ln({f(pi)}) + {f(1 - ti)}*ln({f(1 - pi)}))" for pi, ti in zip(p, t)]
        inside = summed(terms) if n > 1 else terms[0][1:-1]
        divide = f" / {n}" if n > 1 else ""
        lines.append(f"L = -(t*ln(p) + (1 - t)*ln(1 - p)) = -({inside}){divide} = {value}")
        return lines
    if name == "categorical_crossentropy" and t.size == n:
        terms = [f"{f(ti)}*ln({f(pi)})" for pi, ti in zip(y, t)]
        return [f"L = -sum_c t_c*ln(p_c) = -({summed(terms)}) = {value}"]
    if name in ("sparse_categorical_crossentropy", "cross_entropy") and t.size == 1:
        label = int(t[0])
        lines = []
        p = y
        if name == "cross_entropy":
            e = np.exp(y - y.max())
            p = e / e.sum()
            lines.append(f"p = softmax(y) = {vector(p, precision, show_all)}")
        lines.append(f"L = -ln(p[label]) = -ln(p[{label}]) = -ln({f(p[label])}) = {value}")
        return lines
    return [f"L = {name}(y, t) = {value}"]


# ----------------------------------------------------------------------------- sections


def _title(text: str) -> list:
    return [text, "=" * len(text)]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _layer_header(record) -> str:
    """``Layer 1 (0): Dense, 4 inputs -> 2 units, activation relu``."""
    where = f" ({record.name})" if record.name else ""
    what = record.layer_type
    if record.kind == "linear":
        rows, cols = record.weight.shape
        what += f", {_plural(rows, 'input')} -> {_plural(cols, 'unit')}"
        what += f", activation {record.activation}" if record.activation else ""
    elif record.kind == "activation" and record.activation and \
            record.layer_type.lower() != record.activation.replace("_", ""):
        what += f", activation {record.activation}"
    call = f", call {record.call}" if record.call > 1 else ""
    return f"Layer {record.index}{where}: {what}{call}"


def _forward_linear(record, p, show_all) -> list:
    x, w, b, z = record.input, record.weight, record.bias, record.z
    rows, cols = w.shape
    formula = "z = x @ W + b" if b is not None else "z = x @ W"
    lines = [f"{formula}, W is {rows}x{cols} (one column per unit)",
             *("  W = " + line if i == 0 else "      " + line
               for i, line in enumerate(matrix_lines(w, p, show_all)))]
    if b is not None:
        lines.append(f"  b = {vector(b, p, show_all)}")
    units, hidden = shown_units(cols, show_all)
    if x.size != rows:  # e.g. a sequence: the same W at every position
        units, hidden = range(0), 0
        lines.append(f"  (the input has {x.size // rows} positions: z = x @ W + b at each)")
    for j in units:
        lines.append("  " + neuron_line(j, x, w[:, j], None if b is None else b[j], z[j], p,
                                        show_all))
    if hidden:
        lines.append(f"  ... ({hidden} more units)")
    lines.append(f"z = {vector(z, p, show_all)}")
    if record.activation:
        lines.append(activation_text(record.activation, z, record.output, p, show_all))
    return lines


def _forward_other(record, p, show_all) -> list:
    details = record.details
    if record.kind == "activation":
        return [activation_text(record.activation, record.input, record.output, p, show_all)]
    if record.kind == "dropout":
        rate = details["p"]
        scale = number(1 / (1 - rate), p)
        return [f"dropout with p = {number(rate, p)}: in evaluation mode it passes every value "
                f"through unchanged",
                f"(while training it zeroes each value with probability {number(rate, p)} "
                f"and multiplies the others by 1/(1 - p) = {scale})"]
    if record.kind == "batch_norm":
        mean, var, eps = details["running_mean"], details["running_var"], details["eps"]
        gamma, beta = details.get("weight"), details.get("bias")
        lines = ["evaluation mode: normalise with the running statistics learnt in training",
                 "y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta",
                 f"  running_mean = {vector(mean, p, show_all)}",
                 f"  running_var = {vector(var, p, show_all)}"]
        g0 = 1.0 if gamma is None else gamma[0]
        b0 = 0.0 if beta is None else beta[0]
        lines.append(f"  unit 1: {factor(g0, p)} * ({number(record.input[0], p)} - "
                     f"{factor(mean[0], p)}) / sqrt({number(var[0], p)} + {number(eps, p)}) + "
                     f"{factor(b0, p)} = {number(record.output[0], p)}")
        return lines
    if record.kind == "flatten":
        return ["reshape only: the same numbers in one row"]
    return [f"{record.layer_type}.forward (no step-by-step arithmetic for this layer type)"]


def forward_lines(explanation) -> list:
    """The forward pass: the input, then per layer z = x @ W + b written out, a = f(z).

    Example:
        >>> import glassnet as gn
        >>> layer = gn.nn.Linear(2, 1)
        >>> layer.weight.data[:] = [[0.5], [-1.0]]; layer.bias.data[:] = [0.25]
        >>> explanation = gn.explain(layer, [[1.0, 2.0]], [[0.0]])
        >>> for line in forward_lines(explanation):
        ...     print(line)
        Forward pass
        ============
        x = [1.0, 2.0]
        <BLANKLINE>
        Layer 1: Linear, 2 inputs -> 1 unit
          x = [1.0, 2.0]
          z = x @ W + b, W is 2x1 (one column per unit)
            W = [[0.5],
                 [-1.0]]
            b = [0.25]
            z1 = 1.0*0.5 + 2.0*(-1.0) + 0.25 = -1.25
          z = [-1.25]
          output = [-1.25]
        <BLANKLINE>
        Output: y = [-1.25]
    """
    p, show_all = explanation.precision, explanation.show_all
    lines = _title("Forward pass")
    lines.append(f"x = {vector(explanation.input, p, show_all)}")
    for record in explanation.records:
        lines += ["", _layer_header(record)]
        if record.note:
            lines.append(f"  ({record.note})")
        name = {"linear": "x", "activation": "z"}.get(record.kind, "input")
        lines.append(f"  {name} = {vector(record.input, p, show_all)}")
        body = _forward_linear(record, p, show_all) if record.kind == "linear" else \
            _forward_other(record, p, show_all)
        lines += ["  " + line for line in body]
        lines.append(f"  output = {vector(record.output, p, show_all)}")
    lines += ["", f"Output: y = {vector(explanation.output, p, show_all)}"]
    return lines


def loss_section(explanation) -> list:
    """The loss: which one and why, the target, and the formula with the numbers put in.

    Example:
        >>> import glassnet as gn
        >>> layer = gn.nn.Linear(2, 1)
        >>> layer.weight.data[:] = [[0.5], [-1.0]]; layer.bias.data[:] = [0.25]
        >>> explanation = gn.explain(layer, [[1.0, 2.0]], [[0.0]])
        >>> loss_section(explanation)[-1]
        'L = (y - t)^2 = (-1.25 - 0.0)^2 = 1.5625'
    """
    p, show_all = explanation.precision, explanation.show_all
    lines = _title("Loss")
    target = explanation.target
    if np.issubdtype(target.dtype, np.integer):
        target_text = f"target: class label {int(target[0])} (unit {int(target[0]) + 1})"
    else:
        target_text = f"target t = {vector(target, p, show_all)}"
    lines.append(f"{explanation.loss_name.replace('_', ' ')} ({explanation.loss_rule}), "
                 f"{target_text}")
    lines += loss_lines(explanation.loss_name, explanation.output, explanation.target,
                        explanation.loss, p, show_all)
    return lines


def _backward_linear(record, explanation, p, show_all) -> list:
    lines = []
    if record.activation:
        lines += _local_derivative_lines(record, explanation, p, show_all, z_name="z")
    else:
        lines.append(f"dL/dz = dL/d(output) = {vector(record.grad_z, p, show_all)}   "
                     f"(no activation: the output is z)")
    rows, cols = record.weight.shape
    lines.append(f"dL/dW = x^T @ dL/dz ({rows}x{cols}), dL/dW[i, j] = x_i * dL/dz_j:")
    lines += ["  " + line for line in matrix_lines(record.grad_weight, p, show_all)]
    x0, g0 = record.input[0], record.grad_z[0]
    lines.append(f"  e.g. dL/dW11 = x1 * dL/dz1 = {factor(x0, p)} * {factor(g0, p)} = "
                 f"{number(record.grad_weight[0, 0], p)}")
    if record.grad_bias is not None:
        lines.append(f"dL/db = dL/dz = {vector(record.grad_bias, p, show_all)}")
    where = "passed back to the layer before" if record.index > 1 else \
        "how the loss changes with each input"
    lines.append(f"dL/dx = dL/dz @ W^T = {vector(record.grad_input, p, show_all)}   ({where})")
    return lines


def _local_derivative_lines(record, explanation, p, show_all, z_name) -> list:
    name = record.activation
    da_dz = ACTIVATION_FORMULAS.get(name, (None, None))[1]
    lines = [f"dL/da = {vector(record.grad_output, p, show_all)}"]
    if record.local_derivative is not None:
        rule = f" = {da_dz}" if da_dz else ""
        lines.append(f"da/d{z_name} = {name}'({z_name}){rule} = "
                     f"{vector(record.local_derivative, p, show_all)}")
        lines.append(f"dL/d{z_name} = dL/da * da/d{z_name} = "
                     f"{vector(record.grad_z, p, show_all)}")
    elif name in JACOBIAN_RULES:
        lines.append(f"{name} mixes the units, so the chain rule uses its Jacobian: "
                     f"{JACOBIAN_RULES[name]}")
        lines.append(f"dL/d{z_name} = {vector(record.grad_z, p, show_all)}")
    else:
        lines.append(f"dL/d{z_name} = {vector(record.grad_z, p, show_all)}   "
                     f"(by autograd through {name})")
    shortcut = explanation.shortcut_for(record)
    if shortcut is not None:
        formula, values = shortcut
        lines.append(f"  (with this loss the two steps simplify: dL/d{z_name} = {formula} = "
                     f"{vector(values, p, show_all)})")
    return lines


def _backward_other(record, explanation, p, show_all) -> list:
    if record.kind == "activation":
        return _local_derivative_lines(record, explanation, p, show_all, z_name="z")
    lines = [f"dL/d(output) = {vector(record.grad_output, p, show_all)}"]
    if record.kind == "dropout":
        lines.append("identity in evaluation mode: the gradient passes through unchanged")
    elif record.kind == "batch_norm":
        lines.append("dL/dx = dL/dy * gamma / sqrt(running_var + eps)")
    for name, grad in record.grad_params.items():
        lines.append(f"dL/d{name} = {vector(grad, p, show_all)}")
    lines.append(f"dL/dx = {vector(record.grad_input, p, show_all)}")
    return lines


def backward_lines(explanation) -> list:
    """The backward pass, last layer first: dL/dy, then per layer da/dz, dL/dz, dL/dW, dL/db
    and dL/dx = dL/dz @ W^T.

    Example:
        >>> import glassnet as gn
        >>> layer = gn.nn.Linear(2, 1)
        >>> layer.weight.data[:] = [[0.5], [-1.0]]; layer.bias.data[:] = [0.25]
        >>> explanation = gn.explain(layer, [[1.0, 2.0]], [[0.0]])
        >>> lines = backward_lines(explanation)
        >>> print(lines[2]); print(lines[-1])
        dL/dy = 2 * (y - t) = [-2.5]
          dL/dx = dL/dz @ W^T = [-1.25, 2.5]   (how the loss changes with each input)
    """
    p, show_all = explanation.precision, explanation.show_all
    lines = _title("Backward pass (chain rule, from the output back)")
    rule = LOSS_DERIVATIVES.get(explanation.loss_name)
    n = explanation.output.size
    if rule is None:
        rule = "dL/dy"
    elif n == 1:
        rule = rule.replace(" / n", "")
    else:
        rule = rule.replace(" / n", f" / {n}")
    lines.append(f"{rule} = {vector(explanation.grad_output, p, show_all)}")
    for record in reversed(explanation.records):
        lines += ["", _layer_header(record)]
        body = _backward_linear(record, explanation, p, show_all) if record.kind == "linear" \
            else _backward_other(record, explanation, p, show_all)
        lines += ["  " + line for line in body]
        if record.note:
            lines.append("  (the model's forward() code before this layer passed the gradient "
                         "back by itself, through autograd)")
        if record.shared_weights:
            lines.append("  (this layer is called more than once: its weight gradients are the "
                         "totals over every call)")
    return lines


def _weight_lines(step, p, show_all) -> list:
    lines = []
    for change in step.changes:
        old, grad, new = (np.asarray(v, dtype=np.float64).ravel()
                          for v in (change.old, change.grad, change.new))
        count = old.size if show_all or old.size <= FEW_UNITS else SHOWN_UNITS
        for k in range(count):
            index = ", ".join(str(i) for i in np.unravel_index(k, change.shape)) or "0"
            label = f"{change.name}[{index}]"
            if step.kind == "sgd":
                lines.append(f"  {label}: {number(old[k], p)} - {number(step.lr, p)} * "
                             f"{factor(grad[k], p)} = {number(new[k], p)}")
            else:
                lines.append(f"  {label}: {number(old[k], p)} -> {number(new[k], p)}   "
                             f"(gradient {number(grad[k], p)}, change "
                             f"{number(new[k] - old[k], p)})")
        if count < old.size:
            lines.append(f"  {change.name}: ... ({old.size - count} more)")
    return lines


def step_lines(explanation) -> list:
    """One SGD step written out, w_new = w - lr * dL/dw (and the model's own optimizer's).

    Example:
        >>> import glassnet as gn
        >>> layer = gn.nn.Linear(2, 1)
        >>> layer.weight.data[:] = [[0.5], [-1.0]]; layer.bias.data[:] = [0.25]
        >>> explanation = gn.explain(layer, [[1.0, 2.0]], [[0.0]])
        >>> for line in step_lines(explanation)[3:]:
        ...     print(line)
          weight[0, 0]: 0.5 - 0.1 * (-2.5) = 0.75
          weight[1, 0]: -1.0 - 0.1 * (-5.0) = -0.5
          bias[0]: 0.25 - 0.1 * (-2.5) = 0.5
        Loss on this input: 1.5625 before the step, 0.0625 after it
    """
    p, show_all = explanation.precision, explanation.show_all
    sgd = explanation.sgd
    lines = _title("One gradient-descent step")
    lines.append(f"Plain SGD with learning rate lr = {number(sgd.lr, p)}: "
                 f"w_new = w - lr * dL/dw   (indices from 0, as in NumPy)")
    lines += _weight_lines(sgd, p, show_all)
    if sgd.loss_after is not None:
        lines.append(f"Loss on this input: {number(explanation.loss, p)} before the step, "
                     f"{number(sgd.loss_after, p)} after it")
    own = explanation.optimizer_step
    if own is not None:
        lines += ["", f"The model's own optimizer, {own.name}, would take this step "
                      f"(computed on a copy: the model is unchanged):"]
        lines += _weight_lines(own, p, show_all)
        if own.note:
            lines.append(f"  ({own.note})")
        if own.loss_after is not None:
            lines.append(f"Loss on this input after that step: {number(own.loss_after, p)}")
    return lines


def render(explanation) -> str:
    """The whole explanation as text (what ``str(explanation)`` returns).

    A header, then the forward pass, the loss, the backward pass and one SGD step (only
    the forward pass when no target was given).

    Example:
        >>> import glassnet as gn
        >>> layer = gn.nn.Linear(2, 1)
        >>> layer.weight.data[:] = [[0.5], [-1.0]]; layer.bias.data[:] = [0.25]
        >>> explanation = gn.explain(layer, [[1.0, 2.0]], [[0.0]])
        >>> render(explanation).splitlines()[0]
        'Explaining one input through Linear (3 parameters).'
        >>> render(explanation) == str(explanation)
        True
    """
    head = [f"Explaining one input through {explanation.model_name}.",
            "Evaluation mode: dropout is off and batch norm uses its running statistics; "
            "the model itself is not changed."]
    head += [f"Note: {note}" for note in explanation.notes]
    sections = [head, forward_lines(explanation)]
    if explanation.loss is not None:
        sections += [loss_section(explanation), backward_lines(explanation),
                     step_lines(explanation)]
    else:
        sections.append(["Give a target (explain(model, x, y)) to see the loss, the backward "
                         "pass and one gradient-descent step."])
    return "\n\n".join("\n".join(lines) for lines in sections)
