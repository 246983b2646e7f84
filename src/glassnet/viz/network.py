"""Plots of a network's insides: its weights drawn as a graph, their histograms, and how
large the gradients are in each layer as training goes on.

Like ``glassnet.viz.plots``, every function returns a ``matplotlib.figure.Figure`` and saves
a PNG when given ``path=``; matplotlib is imported only when a plot is made.

Example:
    >>> import numpy as np
    >>> from glassnet.viz import plot_weights
    >>> fig = plot_weights({"W": np.linspace(-1, 1, 50), "b": np.zeros(5)}, bins=10)
    >>> [ax.get_title() for ax in fig.axes]
    ['W', 'b']
"""

from __future__ import annotations

import numpy as np

from glassnet.nn.linear import Linear
from glassnet.nn.module import Module
from glassnet.viz import plots as _plots

__all__ = ["gradient_norms", "plot_gradient_flow", "plot_network", "plot_weights"]

POSITIVE, NEGATIVE = "#2166ac", "#b2182b"  # blue for w > 0, red for w < 0


def _module_of(model):
    """The nn.Module behind a model: itself, or the ``.module`` of a Keras-style Model."""
    if isinstance(model, Module):
        return model
    inner = getattr(model, "module", None)
    return inner if isinstance(inner, Module) else None


# ----------------------------------------------------------------------------- network graph


def _dense_layers(model, where: str) -> tuple:
    """(weights, biases, activation names) of the fully connected layers, in order."""
    module = _module_of(model)
    if module is None and hasattr(model, "coefs_"):  # scikit-learn style MLP
        intercepts = getattr(model, "intercepts_", [None] * len(model.coefs_))
        return list(model.coefs_), list(intercepts), [None] * len(model.coefs_)
    if module is None:
        return None
    layers, activations = [], []
    for name, child in module.named_modules():
        if isinstance(child, Linear):
            if child.weight is None:
                raise ValueError(f"{where}: layer {name or type(child).__name__!r} has no "
                                 f"weights yet; build the model first (give input_shape= or "
                                 f"call it on a batch)")
            layers.append(child)
            activation = child.activation_name
            activations.append(None if activation == "linear" else activation)
        elif layers and getattr(child, "activation_name", None) and activations[-1] is None:
            activations[-1] = child.activation_name  # nn.ReLU() after nn.Linear(...)
    if not layers:
        raise ValueError(f"{where}: {type(module).__name__} has no Linear/Dense layers to draw")
    biases = [None if layer.bias is None else layer.bias.data for layer in layers]
    return [layer.weight.data for layer in layers], biases, activations


def _check_chain(weights, biases, where: str) -> tuple:
    """Check the matrices fit one after another: W_k (in, out), then W_k+1 (out, ...)."""
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    if not weights:
        raise ValueError(f"{where}: expected at least one weight matrix")
    for k, w in enumerate(weights):
        if w.ndim != 2:
            raise ValueError(f"{where}: weight {k} must be a matrix (in, out), received shape "
                             f"{w.shape}")
        if k and w.shape[0] != weights[k - 1].shape[1]:
            raise ValueError(f"{where}: weight {k} has shape {w.shape} but the layer before it "
                             f"has {weights[k - 1].shape[1]} outputs")
    if biases is None:
        return weights, [None] * len(weights)
    if len(biases) != len(weights):
        raise ValueError(f"{where}: expected {len(weights)} biases (one per weight matrix), "
                         f"received {len(biases)}")
    checked = []
    for k, (w, b) in enumerate(zip(weights, biases)):
        b = None if b is None else np.asarray(b, dtype=np.float64).reshape(-1)
        if b is not None and len(b) != w.shape[1]:
            raise ValueError(f"{where}: bias {k} must have {w.shape[1]} values, received "
                             f"{len(b)}")
        checked.append(b)
    return weights, checked


def plot_network(weights, biases=None, layer_names=None, path=None, *, max_units: int = 32,
                 dpi: int = 100):
    """The network as a graph: units as circles in columns, weights as lines between them.

    Each line joins input unit i of a layer to its output unit j and stands for W[i, j]:
    blue when the weight is positive, red when it is negative, thicker and darker the
    larger |W[i, j]|. Node fill shows the bias the same way (white: no bias). Small nets
    (at most 24 weights) get every value written on the graph, to follow the tutorials'
    worked examples number by number.

    Args:
        weights: a list of matrices of shape (in, out) (glassnet's layout, ``x @ W``), or a
            model: a glassnet ``nn.Module``/``Sequential`` (its Linear/Dense layers in
            order), a Keras-style Model, or a scikit-learn-style MLP (``coefs_``).
        biases: a list of bias vectors (out,), one per matrix (taken from the model when
            one is given).
        layer_names: a name per column of units (len(weights) + 1). Defaults to "input",
            "hidden 1", ..., "output" with the layer's activation.
        path: where to save the figure (PNG), or None.
        max_units: the widest layer that can be drawn (default 32); wider nets raise.
        dpi: resolution of the saved image.

    Returns:
        The Figure (one axes, no ticks).

    Example:
        >>> import numpy as np
        >>> W = np.array([[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]])
        >>> fig = plot_network([W], biases=[[0.1, -0.2]])
        >>> fig.axes[0].get_title()
        'Network 4-2: 8 weights, 2 biases'
    """
    where = "plot_network"
    from_model = _dense_layers(weights, where)
    activations = None
    if from_model is not None:
        weights, model_biases, activations = from_model
        biases = model_biases if biases is None else biases
    elif isinstance(weights, np.ndarray) and weights.ndim == 2:
        weights = [weights]
    weights, biases = _check_chain(weights, biases, where)
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    widest = int(np.argmax(sizes))
    if sizes[widest] > max_units:
        raise ValueError(f"{where}: layer {widest} has {sizes[widest]} units; a graph with more "
                         f"than max_units={max_units} units per layer is unreadable. Use "
                         f"plot_weights(...) to see the weights as histograms instead")
    names = _column_names(sizes, layer_names, activations, where)
    _plots._check_dpi(dpi, where)
    _plots._check_target(path, where)
    unit_height = 0.7 if max(sizes) <= 6 else 0.32 if max(sizes) <= 16 else 0.22  # inches
    fig = _plots._figure(max(6.0, 2.4 * len(sizes)), unit_height * max(sizes) + 2.2)
    ax = fig.add_subplot()
    heights = [np.arange(n)[::-1] - (n - 1) / 2 for n in sizes]  # first unit on top
    scale = max(np.abs(w).max() for w in weights) or 1.0
    label_values = sum(w.size for w in weights) <= 24
    for k, w in enumerate(weights):
        _draw_edges(ax, k, heights[k], heights[k + 1], w, scale, label_values)
    _draw_nodes(ax, heights, biases, scale, label_values, max(sizes))
    bottom = min(h.min() for h in heights) - 0.5
    for k, name in enumerate(names):
        ax.text(k, bottom, name, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(bottom - 0.7, max(h.max() for h in heights) + 0.5)
    ax.axis("off")
    n_biases = sum(0 if b is None else len(b) for b in biases)
    ax.set_title(f"Network {'-'.join(map(str, sizes))}: "
                 f"{sum(w.size for w in weights)} weights, {n_biases} biases")
    handles = [_plots._line(POSITIVE, "positive weight"), _plots._line(NEGATIVE, "negative weight"),
               _plots._line("0.4", f"line width ∝ |w| (max |w| = {scale:.3g})", linewidth=0)]
    if n_biases:
        handles.append(_plots._line("0.4", "node colour: bias, same colours", linewidth=0,
                                    marker="o", markerfacecolor="#92c5de", markersize=8))
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return _plots._finish(fig, path, dpi, where)


def _column_names(sizes, layer_names, activations, where: str) -> list:
    if layer_names is not None:
        if len(layer_names) != len(sizes):
            raise ValueError(f"{where}: expected {len(sizes)} layer_names (input + one per "
                             f"weight matrix), received {len(layer_names)}")
        return [f"{name}\n({n} units)" for name, n in zip(layer_names, sizes)]
    names = ["input"] + [f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
    activations = activations or [None] * (len(sizes) - 1)
    for k, activation in enumerate(activations, start=1):
        if activation:
            names[k] += f": {activation}"
    return [f"{name}\n({n} unit{'s' if n != 1 else ''})" for name, n in zip(names, sizes)]


def _draw_edges(ax, k, y_in, y_out, w, scale, label_values) -> None:
    """One line per weight W[i, j] from (k, y_in[i]) to (k + 1, y_out[j])."""
    mpl = _plots._matplotlib()
    start = np.repeat(y_in, len(y_out))  # row-major over (i, j), as w.ravel()
    end = np.tile(y_out, len(y_in))
    segments = np.stack([np.column_stack([np.full_like(start, k), start]),
                         np.column_stack([np.full_like(end, k + 1), end])], axis=1)
    strength = np.abs(w.ravel()) / scale
    dense = w.size > 64  # many lines: thinner and fainter, so the strong ones stand out
    colors = np.array([mpl.colors.to_rgba(c) for c in (POSITIVE, NEGATIVE)])
    rgba = colors[(w.ravel() < 0).astype(np.int64)]
    rgba[:, 3] = (0.05 + 0.6 * strength) if dense else (0.25 + 0.7 * strength)
    widths = (0.2 + 1.8 * strength) if dense else (0.4 + 4.0 * strength)
    ax.add_collection(mpl.collections.LineCollection(segments, colors=rgba, linewidths=widths))
    if label_values:
        # the values of input unit i sit at fraction t_i along their lines, t_i growing with
        # i, so the labels of different units do not pile up where the lines cross
        t = np.repeat(0.3 + 0.45 * np.arange(len(y_in)) / max(len(y_in) - 1, 1), len(y_out))
        for x, y, value in zip(k + t, start + t * (end - start), w.ravel()):
            ax.text(x, y, f"{value:.2g}", fontsize=8, ha="center", va="center",
                    color=NEGATIVE if value < 0 else POSITIVE, zorder=4,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.85})


def _draw_nodes(ax, heights, biases, scale, label_values, widest) -> None:
    mpl = _plots._matplotlib()
    cmap = mpl.colormaps["RdBu"]  # red for negative, blue for positive, as the edges
    size = 420 if widest <= 6 else 160 if widest <= 16 else 60
    for k, y in enumerate(heights):
        bias = None if k == 0 else biases[k - 1]
        fill = "white" if bias is None else cmap(0.5 + 0.5 * np.clip(bias / scale, -1, 1))
        ax.scatter(np.full(len(y), k), y, s=size, c=fill, edgecolors="black", linewidths=1.0,
                   zorder=5)
        if bias is not None and label_values:
            for height, value in zip(y, bias):
                ax.text(k, height + 0.27, f"b={value:.2g}", fontsize=7, ha="center",
                        va="bottom", zorder=6, bbox={"boxstyle": "round,pad=0.1",
                                                     "fc": "white", "ec": "none", "alpha": 0.8})


# ----------------------------------------------------------------------------- gradient flow


def gradient_norms(model, biases: bool = False) -> dict:
    """The size of each parameter's gradient, ``||dL/dW|| = sqrt(sum of dL/dW_ij ^ 2)``.

    Call it after ``loss.backward()`` (and before ``optimizer.zero_grad()``) in any
    training loop, append the result each step, and hand the list to
    ``plot_gradient_flow``::

        norms = []
        for step in range(100):
            optimizer.zero_grad()
            loss = loss_fn(net(X), y)
            loss.backward()
            norms.append(gradient_norms(net))
            optimizer.step()
        plot_gradient_flow(norms, path="gradient_flow.png")

    Args:
        model: a glassnet ``nn.Module`` (or a Keras-style Model around one).
        biases: include the 1-D parameters (biases, batch-norm scales) too. Defaults to
            False: weight matrices only, one per layer.

    Returns:
        ``{parameter name: norm}`` as Python floats, in the order of
        ``named_parameters()`` (parameters without a gradient are left out).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> net = nn.Linear(2, 1)
        >>> net(gn.tensor([[3.0, 4.0]])).sum().backward()   # dL/dW = x^T = [[3], [4]]
        >>> gradient_norms(net)
        {'weight': 5.0}
    """
    module = _module_of(model)
    if module is None:
        raise TypeError(f"gradient_norms: expected an nn.Module, received "
                        f"{type(model).__name__}")
    norms = {name: float(np.linalg.norm(param.grad.astype(np.float64)))  # no float32 overflow
             for name, param in module.named_parameters()
             if param.grad is not None and (biases or param.ndim >= 2)}
    if not norms:
        raise ValueError(f"gradient_norms: no parameter of {type(module).__name__} has a "
                         f"gradient; call loss.backward() first")
    return norms


def _as_series(norms, where: str) -> dict:
    """{layer: values per step} from that dict or from a list of per-step dicts."""
    if isinstance(norms, (list, tuple)):
        if not norms or not all(isinstance(step, dict) for step in norms):
            raise ValueError(f"{where}: expected a list of {{layer: norm}} dicts, one per step")
        names = list(dict.fromkeys(name for step in norms for name in step))
        norms = {name: [step.get(name, np.nan) for step in norms] for name in names}
    if not isinstance(norms, dict) or not norms:
        raise ValueError(f"{where}: expected {{layer name: [norm per step]}} or a list of "
                         f"{{layer name: norm}} dicts, received {type(norms).__name__}")
    series = {name: np.atleast_1d(np.asarray(v, dtype=np.float64)) for name, v in norms.items()}
    for name, values in series.items():
        if values.ndim != 1 or np.any(values < 0):
            raise ValueError(f"{where}: the norms of {name!r} must be a list of non-negative "
                             f"numbers, received {values!r}")
    return series


def _is_run(value) -> bool:
    """True when ``value`` is one whole recording (dict of lists or list of dicts)."""
    if isinstance(value, dict):
        return True
    return isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], dict)


def plot_gradient_flow(grad_norms, path=None, *, dpi: int = 100):
    """The gradient norm of each layer at each training step, on a log scale.

    Backpropagation multiplies the gradient by each layer's local derivative on its way to
    the input. With sigmoid units that factor is at most 0.25, so in a deep sigmoid net
    the first layers' gradients are orders of magnitude smaller than the last layers' and
    those layers barely learn: the vanishing gradient problem. ReLU (derivative 1 where
    active) with He initialisation keeps the norms of all layers close.

    Args:
        grad_norms: ``{layer name: [norm per step]}`` or a list of ``{layer name: norm}``
            per step (what ``gradient_norms`` returns, appended each step). To compare
            runs side by side, a dict of such recordings: ``{"sigmoid": ..., "relu": ...}``.
        path: where to save the figure (PNG), or None.
        dpi: resolution of the saved image.

    Returns:
        The Figure: one axes per run (shared log-scale y axis), one line per layer,
        coloured from the first layer (dark) to the last (light).

    Example:
        >>> fig = plot_gradient_flow({"layer 1": [1e-4, 2e-4], "layer 2": [0.1, 0.2]})
        >>> len(fig.axes), fig.axes[0].get_yscale()
        (1, 'log')
    """
    where = "plot_gradient_flow"
    is_comparison = isinstance(grad_norms, dict) and grad_norms and all(
        _is_run(v) for v in grad_norms.values())
    runs = ({str(k): _as_series(v, where) for k, v in grad_norms.items()} if is_comparison
            else {"": _as_series(grad_norms, where)})
    for run, series in runs.items():
        if not any(np.any(values > 0) for values in series.values()):
            raise ValueError(f"{where}: every gradient norm{f' of {run!r}' if run else ''} is "
                             f"0 (nothing to draw on a log scale); were they recorded after "
                             f"loss.backward()?")
    _plots._check_dpi(dpi, where)
    _plots._check_target(path, where)
    fig = _plots._figure(5.2 * len(runs) + 1.0, 4.2)
    cmap = _plots._matplotlib().colormaps["viridis"]
    first = None
    for k, (run, series) in enumerate(runs.items()):
        ax = fig.add_subplot(1, len(runs), k + 1, sharey=first)
        first = first or ax
        for depth, (name, values) in enumerate(series.items()):
            steps = np.arange(1, len(values) + 1)
            shown = np.where(values > 0, values, np.nan)  # log scale: zeros cannot be drawn
            color = cmap(0.85 * depth / max(len(series) - 1, 1))
            ax.plot(steps, shown, color=color, marker="o" if len(values) <= 30 else None,
                    markersize=3, label=name)
        ax.set_yscale("log")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("training step")
        ax.set_ylabel("gradient norm ||dL/dW|| (log scale)")
        ax.set_title(run or "gradient norm per layer")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7, title="layer (first → last)", title_fontsize=7,
                  ncols=2 if len(series) > 8 else 1)
    fig.suptitle("Gradient flow: norms falling towards the first layers = vanishing gradients",
                 fontsize=11)
    return _plots._finish(fig, path, dpi, where)


# ----------------------------------------------------------------------------- weight histograms


def _named_arrays(source, where: str) -> tuple:
    """({name: array}, {layer: description}) from a model, a dict or a list of arrays."""
    module = _module_of(source)
    if module is not None:
        kinds = {name: f"{type(m).__name__}" for name, m in module.named_modules()}
        arrays = {name: p.data for name, p in module.named_parameters()}
        return arrays, kinds
    if hasattr(source, "coefs_"):  # scikit-learn style MLP
        arrays = {}
        for k, (w, b) in enumerate(zip(source.coefs_, source.intercepts_), start=1):
            arrays[f"layer {k}.weight"], arrays[f"layer {k}.bias"] = w, b
        return arrays, {}
    if isinstance(source, dict):
        return dict(source), {}
    if isinstance(source, (list, tuple)):
        return {f"array {k}": a for k, a in enumerate(source)}, {}
    raise TypeError(f"{where}: expected an nn.Module, a model, a dict {{name: array}} or a list "
                    f"of arrays, received {type(source).__name__}")


def plot_weights(model_or_named_arrays, bins: int = 30, path=None, *, dpi: int = 100):
    """Histograms of the weights (and biases) of each layer.

    Use it to see initialisation (Glorot/He give a spread that depends on the layer
    width), training (weights spreading out), or trouble (everything near 0, or huge).

    Args:
        model_or_named_arrays: a glassnet ``nn.Module`` (its ``named_parameters()``), a
            Keras- or scikit-learn-style model, a dict ``{name: array}`` or a list of
            arrays. Names ``"<layer>.<kind>"`` ("0.weight", "0.bias") share one panel per
            layer.
        bins: number of bins per histogram (default 30).
        path: where to save the figure (PNG), or None.
        dpi: resolution of the saved image.

    Returns:
        The Figure, one axes per layer.

    Example:
        >>> from glassnet import nn
        >>> net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> fig = plot_weights(net)
        >>> [ax.get_title() for ax in fig.axes]
        ['layer 0 (Linear)', 'layer 2 (Linear)']
    """
    where = "plot_weights"
    if not _plots.is_integer(bins) or bins < 1:
        raise ValueError(f"{where}: bins must be a positive integer, received {bins!r}")
    arrays, kinds = _named_arrays(model_or_named_arrays, where)
    if not arrays:
        raise ValueError(f"{where}: nothing to draw: no parameters (is the model built? a "
                         f"Dense layer gets its weights on its first batch)")
    groups = {}
    for name, array in arrays.items():
        layer, _, kind = str(name).rpartition(".")
        key = layer if layer else str(name)
        groups.setdefault(key, []).append((kind if layer else "values", np.asarray(array)))
    _plots._check_dpi(dpi, where)
    _plots._check_target(path, where)
    rows, columns = _plots._grid(len(groups), 3)
    fig = _plots._figure(4.0 * columns, 2.9 * rows)
    for ax, (layer, members) in zip(_plots._subplots(fig, len(groups), 3), groups.items()):
        values = [np.asarray(a, dtype=np.float64).ravel() for _, a in members]
        edges = np.histogram_bin_edges(np.concatenate(values), bins=bins)
        labels = [f"{kind} {tuple(array.shape)}, std {flat.std():.2g}"
                  for (kind, array), flat in zip(members, values)]
        counts, _, _ = ax.hist(values, bins=edges, label=labels,  # side-by-side bars per bin
                               color=[f"C{k}" for k in range(len(values))])
        ax.set_ylim(0, 1.35 * np.max(counts))  # headroom for the legend
        title = f"layer {layer}" if layer in kinds else layer
        ax.set_title(f"{title} ({kinds[layer]})" if layer in kinds else title)
        ax.set_xlabel("value")
        ax.set_ylabel("count")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    return _plots._finish(fig, path, dpi, where)
