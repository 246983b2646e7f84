"""Export a glassnet model to ONNX, the exchange format that other runtimes read.

ONNX describes a network as a graph of standard operators (``Gemm``, ``Relu``, ``Conv``,
...) plus the weights, in one file. onnxruntime, TensorRT, OpenVINO, a browser (ONNX
Runtime Web) or PyTorch tooling can then run the model without glassnet or Python.

``export_onnx`` walks a model made of glassnet's own layers, in order, and writes each
layer as the ONNX operators that compute the same numbers at inference time:

    Linear / Dense          x @ W + b  -> Gemm (2-D input) or MatMul + Add; W stays (in, out)
    activations             Relu, LeakyRelu, Elu, Sigmoid, Tanh, Softplus, Softmax, ...;
                            GELU is the Gelu operator from opset 20, else built from Erf/Tanh
    Dropout, Identity       nothing: dropout is the identity at inference
    BatchNorm1d             BatchNormalization with the running mean and variance
    Flatten                 Flatten (or Reshape for other axes)
    Conv2d / MaxPool2d ...  Conv, MaxPool, AveragePool (ONNX images are NCHW, as PyTorch's)
    Conv2D / MaxPool2D ...  the same between Transposes: Keras's NHWC images are turned to
                            NCHW once, and back only where a layer needs the NHWC order

The batch axis is dynamic (named "batch"): the file runs on any number of rows. The
``onnx`` package builds and checks the graph; the tests run every exported layer with
onnxruntime and compare with ``model.predict``.

Example (onnx is an optional dependency: ``pip install 'glassnet[onnx]'``):
    >>> import os, tempfile
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> from glassnet.io.onnx_export import export_onnx
    >>> model = gn.Sequential([nn.Dense(8, activation="relu", input_shape=(4,), rng=0),
    ...                        nn.Dense(3, activation="softmax", rng=1)])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = export_onnx(model, os.path.join(tmp, "model.onnx"))
    ...     print(path.name, path.stat().st_size > 0)
    model.onnx True
"""

from __future__ import annotations

import math
import os
import pathlib

import numpy as np

from glassnet import backend, nn
from glassnet.functional_conv import _padding as _conv_padding
from glassnet.io.atomic import atomic_write
from glassnet.nn.module import Module
from glassnet.tensor import Tensor, no_grad

__all__ = ["export_onnx", "SUPPORTED_LAYERS", "MIN_OPSET"]

#: the oldest opset written: Softmax/LogSoftmax act on one axis from opset 13 on.
MIN_OPSET = 13
#: Gelu became a standard operator in opset 20; before, it is built from Erf or Tanh.
GELU_OPSET = 20

_INSTALL_HINT = "pip install 'glassnet[onnx]'"

# NHWC <-> NCHW: x_nchw = transpose(x_nhwc, TO_NCHW) and back with TO_NHWC
_TO_NCHW = (0, 3, 1, 2)
_TO_NHWC = (0, 2, 3, 1)


def _import_onnx():
    try:
        import onnx
        from onnx import helper, numpy_helper
    except ImportError as error:
        raise ImportError(f"export_onnx needs the onnx package: {_INSTALL_HINT}") from error
    return onnx, helper, numpy_helper


# ------------------------------------------------------------------------------------------
# the graph under construction
# ------------------------------------------------------------------------------------------


class _Graph:
    """Nodes and weights of the ONNX graph, added layer by layer.

    Also remembers whether the current tensor is an NCHW view of a Keras-style NHWC image
    (``nchw_view``): consecutive NHWC layers (Conv2D, MaxPool2D, activations) then need no
    Transpose between them, only one on entry and one on exit.
    """

    def __init__(self, helper, numpy_helper, dtype: np.dtype, opset: int):
        self.helper = helper
        self.numpy_helper = numpy_helper
        self.dtype = dtype
        self.opset = opset
        self.nodes = []
        self.initializers = []
        self.names = set()
        self.nchw_view = False

    def _unique(self, name: str) -> str:
        candidate, count = name, 1
        while candidate in self.names:
            candidate = f"{name}_{count}"
            count += 1
        self.names.add(candidate)
        return candidate

    def weight(self, name: str, array, dtype=None) -> str:
        """Add a constant (a weight, a shape, a scalar) and return its name."""
        array = np.asarray(array, dtype=self.dtype if dtype is None else dtype)
        name = self._unique(name)
        self.initializers.append(self.numpy_helper.from_array(array, name))
        return name

    def add(self, op_type: str, inputs: list, where: str, **attributes) -> str:
        """Add one node; returns the name of its output."""
        output = self._unique(f"{where}/{op_type}")
        self.nodes.append(self.helper.make_node(op_type, inputs, [output], name=output,
                                                **attributes))
        return output

    def to_model_layout(self, x: str, where: str) -> str:
        """The tensor in the layout the glassnet model holds it in (undo an NCHW view)."""
        if not self.nchw_view:
            return x
        self.nchw_view = False
        return self.add("Transpose", [x], where, perm=list(_TO_NHWC))

    def to_nchw(self, x: str, where: str) -> str:
        """An NHWC image as NCHW, the layout of ONNX's Conv and pooling operators."""
        if self.nchw_view:
            return x
        self.nchw_view = True
        return self.add("Transpose", [x], where, perm=list(_TO_NCHW))


# ------------------------------------------------------------------------------------------
# activations: elementwise ones work in any layout, softmax needs the model's axis order
# ------------------------------------------------------------------------------------------


def _gelu(graph: _Graph, x: str, module, where: str) -> str:
    """gelu(x) = x * Phi(x): the Gelu operator (opset >= 20) or its formula in primitives."""
    if graph.opset >= GELU_OPSET:
        return graph.add("Gelu", [x], where, approximate=module.approximate)
    half = graph.weight(f"{where}/half", 0.5)
    one = graph.weight(f"{where}/one", 1.0)
    if module.approximate == "tanh":
        # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = graph.add("Mul", [graph.add("Mul", [x, x], where), x], where)
        cubic = graph.add("Mul", [cube, graph.weight(f"{where}/coefficient", 0.044715)], where)
        inner = graph.add("Mul", [graph.add("Add", [x, cubic], where),
                                  graph.weight(f"{where}/sqrt_2_over_pi",
                                               math.sqrt(2 / math.pi))], where)
        phi = graph.add("Tanh", [inner], where)
    else:
        # 0.5 x (1 + erf(x / sqrt(2)))
        scaled = graph.add("Div", [x, graph.weight(f"{where}/sqrt_2", math.sqrt(2))], where)
        phi = graph.add("Erf", [scaled], where)
    half_x = graph.add("Mul", [x, half], where)
    return graph.add("Mul", [half_x, graph.add("Add", [phi, one], where)], where)


def _silu(graph: _Graph, x: str, module, where: str) -> str:
    """silu(x) = x * sigmoid(x)."""
    return graph.add("Mul", [x, graph.add("Sigmoid", [x], where)], where)


def _softmax(op_type: str):
    def convert(graph: _Graph, x: str, module, where: str) -> str:
        x = graph.to_model_layout(x, where)  # dim counts the model's axes
        return graph.add(op_type, [x], where, axis=module.dim)
    return convert


def _simple(op_type: str, **attributes):
    """An activation that is one ONNX operator; attributes read from the module."""
    def convert(graph: _Graph, x: str, module, where: str) -> str:
        values = {key: float(getattr(module, attribute))
                  for key, attribute in attributes.items()}
        return graph.add(op_type, [x], where, **values)
    return convert


def _identity(graph: _Graph, x: str, module, where: str) -> str:
    return x


#: activation module -> ONNX converter (exact types: a subclass may compute something else)
_ACTIVATIONS = {
    nn.ReLU: _simple("Relu"),
    nn.LeakyReLU: _simple("LeakyRelu", alpha="negative_slope"),
    nn.ELU: _simple("Elu", alpha="alpha"),
    nn.GELU: _gelu,
    nn.Sigmoid: _simple("Sigmoid"),
    nn.Tanh: _simple("Tanh"),
    nn.Softplus: _simple("Softplus"),
    nn.SiLU: _silu,
    nn.Softmax: _softmax("Softmax"),
    nn.LogSoftmax: _softmax("LogSoftmax"),
    nn.Identity: _identity,
}


def _activation(graph: _Graph, x: str, function, where: str) -> str:
    """A fused activation (Dense/Conv2D's ``activation=``) or ``nn.Activation``'s function."""
    convert = _ACTIVATIONS.get(type(function))
    if convert is None:
        raise ValueError(f"export_onnx: layer {where!r} uses the custom activation "
                         f"{function!r}, which cannot be exported; use a name from "
                         f"{sorted(nn.ACTIVATIONS)}")
    return convert(graph, x, function, where)


# ------------------------------------------------------------------------------------------
# layers. Each converter gets the graph, the layer, the input's name, the input's shape
# (traced with glassnet, batch axis included) and a name for the nodes; returns the output.
# ------------------------------------------------------------------------------------------


def _linear(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    """z = x @ W + b with W (in, out): Gemm for (N, in) inputs, MatMul + Add otherwise."""
    x = graph.to_model_layout(x, where)
    weight = graph.weight(f"{where}.weight", layer.weight.data)
    bias = None if layer.bias is None else graph.weight(f"{where}.bias", layer.bias.data)
    if len(shape) == 2:
        z = graph.add("Gemm", [x, weight] + ([bias] if bias else []), where)
    else:
        z = graph.add("MatMul", [x, weight], where)
        if bias:
            z = graph.add("Add", [z, bias], where)
    if layer.activation is None:
        return z
    return _activation(graph, z, layer.activation, where)


def _activation_layer(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    function = layer.function if isinstance(layer, nn.Activation) else layer
    return _activation(graph, x, function, where)


def _pass_through(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    return x


def _batch_norm(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    """y = weight * (x - running_mean) / sqrt(running_var + eps) + bias, per channel."""
    if not layer.track_running_stats:
        raise ValueError(f"export_onnx: {layer._where()} has track_running_stats=False, so it "
                         f"normalises with each batch's own statistics even at inference, "
                         f"which ONNX's BatchNormalization cannot express")
    x = graph.to_model_layout(x, where)
    channels = layer.num_features
    scale = layer.weight.data if layer.affine else np.ones(channels)
    shift = layer.bias.data if layer.affine else np.zeros(channels)
    inputs = [x, graph.weight(f"{where}.weight", scale), graph.weight(f"{where}.bias", shift),
              graph.weight(f"{where}.running_mean", layer.running_mean),
              graph.weight(f"{where}.running_var", layer.running_var)]
    return graph.add("BatchNormalization", inputs, where, epsilon=layer.eps)


def _flatten(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    """Merge axes start..end: ONNX Flatten for the usual (N, everything else)."""
    x = graph.to_model_layout(x, where)
    start, end = layer.start_dim % len(shape), layer.end_dim % len(shape)
    if start == 0:
        raise ValueError(f"export_onnx: {type(layer).__name__}(start_dim={layer.start_dim}) "
                         f"merges the batch axis, which must stay the first, dynamic axis")
    if start == 1 and end == len(shape) - 1:
        return graph.add("Flatten", [x], where, axis=1)
    # Reshape: 0 copies the (dynamic) batch size, the merged axes become their product
    target = [0, *shape[1:start], int(np.prod(shape[start:end + 1])), *shape[end + 1:]]
    return graph.add("Reshape", [x, graph.weight(f"{where}/shape", target, np.int64)], where)


def _onnx_pads(layer, shape: tuple, kernel: tuple, channels_last: bool) -> list:
    """glassnet's padding (ints, "valid", "same") as ONNX's [top, left, bottom, right]."""
    in_hw = shape[1:3] if channels_last else shape[2:4]
    (top, bottom), (left, right) = _conv_padding(layer.padding, in_hw, kernel, layer.stride,
                                                 layer._where())
    return [top, left, bottom, right]


def _conv(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    """Conv on NCHW images; Conv2D's NHWC images and (kh, kw, in, out) kernel are turned."""
    channels_last = layer.data_format == "channels_last"
    kernel = np.asarray(layer.weight.data)
    if channels_last:
        x = graph.to_nchw(x, where)
        kernel = kernel.transpose(3, 2, 0, 1)  # (kh, kw, in, out) -> (out, in, kh, kw)
    else:
        x = graph.to_model_layout(x, where)
    inputs = [x, graph.weight(f"{where}.weight", np.ascontiguousarray(kernel))]
    if layer.bias is not None:
        inputs.append(graph.weight(f"{where}.bias", layer.bias.data))
    y = graph.add("Conv", inputs, where, kernel_shape=list(layer.kernel_size),
                  strides=list(layer.stride),
                  pads=_onnx_pads(layer, shape, layer.kernel_size, channels_last))
    if layer.activation is None:
        return y
    return _activation(graph, y, layer.activation, where)


def _pool(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    """MaxPool / AveragePool; the NHWC (Keras) layers run on an NCHW view."""
    channels_last = layer.data_format == "channels_last"
    x = graph.to_nchw(x, where) if channels_last else graph.to_model_layout(x, where)
    attributes = dict(kernel_shape=list(layer.kernel_size), strides=list(layer.stride),
                      pads=_onnx_pads(layer, shape, layer.kernel_size, channels_last))
    if isinstance(layer, nn.MaxPool2d):
        return graph.add("MaxPool", [x], where, **attributes)
    return graph.add("AveragePool", [x], where, count_include_pad=int(layer.count_include_pad),
                     **attributes)


def _global_pool(graph: _Graph, layer, x: str, shape: tuple, where: str) -> str:
    """(N, H, W, C) -> (N, C): GlobalAveragePool/GlobalMaxPool give (N, C, 1, 1)."""
    op_type = ("GlobalMaxPool" if isinstance(layer, nn.GlobalMaxPooling2D)
               else "GlobalAveragePool")
    y = graph.add(op_type, [graph.to_nchw(x, where)], where)
    if layer.keepdims:
        return y  # (N, C, 1, 1), an NCHW view of the model's (N, 1, 1, C)
    graph.nchw_view = False
    return graph.add("Flatten", [y], where, axis=1)


#: layer class -> converter. Exact types only: a subclass may have its own forward.
_LAYERS = {
    nn.Linear: _linear,
    nn.Dense: _linear,
    nn.Activation: _activation_layer,
    **{cls: _activation_layer for cls in _ACTIVATIONS},
    nn.Dropout: _pass_through,
    nn.InputLayer: _pass_through,
    nn.BatchNorm1d: _batch_norm,
    nn.BatchNormalization: _batch_norm,
    nn.Flatten: _flatten,
    nn.Conv2d: _conv,
    nn.Conv2D: _conv,
    nn.MaxPool2d: _pool,
    nn.MaxPool2D: _pool,
    nn.AvgPool2d: _pool,
    nn.AveragePooling2D: _pool,
    nn.GlobalAveragePooling2D: _global_pool,
    nn.GlobalMaxPooling2D: _global_pool,
}

#: the layer classes export_onnx can write (for error messages and the docs).
SUPPORTED_LAYERS = tuple(sorted({cls.__name__ for cls in _LAYERS},
                                 key=lambda name: (name.lower(), name)))


# ------------------------------------------------------------------------------------------
# the model: its layers in order, its input shape, its dtype
# ------------------------------------------------------------------------------------------


def _network(model) -> Module:
    """The module tree: a Module itself, or the ``.module`` of a ``gn.Model``."""
    if isinstance(model, Module):
        return model
    module = getattr(model, "module", None)
    if isinstance(module, Module):
        return module
    raise TypeError(f"export_onnx: expected a glassnet model (gn.Sequential, nn.Sequential, "
                    f"gn.Model or a layer), received {type(model).__name__}")


def _layers(module: Module, path: str) -> list:
    """(path, layer) in the order the forward pass applies them (nested Sequentials opened)."""
    if isinstance(module, nn.Sequential) and type(module).forward is nn.Sequential.forward:
        layers = []
        for name, child in module._modules.items():  # as forward() runs them, shared or not
            layers += _layers(child, f"{path}.{name}" if path else name)
        return layers
    if type(module) not in _LAYERS:
        library_layer = getattr(nn, type(module).__name__, None) is type(module)
        reason = ("this layer has no ONNX translation yet" if library_layer else
                  "a custom Module: its forward() is Python code that cannot be translated")
        raise ValueError(f"export_onnx: cannot export layer {path or 'model'!r} of type "
                         f"{type(module).__name__} ({reason}). Supported layers: "
                         f"{', '.join(SUPPORTED_LAYERS)}, inside nn.Sequential / gn.Sequential")
    return [(path or type(module).__name__.lower(), module)]


def _known_input_shape(model, module: Module):
    """The input shape (None, ...) the model was built or trained for, when it is known."""
    trainer = model if not isinstance(model, Module) else module.__dict__.get("_keras_model")
    remembered = getattr(trainer, "_input_shape", None)  # set by fit/build/predict
    if remembered:
        return (None, *remembered)
    first = module
    while isinstance(first, nn.Sequential) and len(first):
        first = first[0]
    if isinstance(first, nn.Linear) and first.built:
        return (None, first.in_features)
    if isinstance(first, nn.BatchNorm1d) and first.built:
        return (None, first.num_features)
    return None


def _resolve_input_shape(model, module: Module, input_shape) -> tuple:
    if input_shape is None:
        input_shape = _known_input_shape(model, module)
        if input_shape is None:
            state = ("is not built yet (its lazy layers get their weights from the first "
                     "batch)" if not _is_built(module) else
                     "does not say its input shape (its first layer is not a Dense/Linear)")
            raise ValueError(f"export_onnx: the model {state}; pass input_shape with the batch "
                             f"axis first, e.g. input_shape=(None, 64) or (None, 28, 28, 1)")
        return tuple(input_shape)
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 2 or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0
            for n in input_shape[1:]):
        raise ValueError(f"export_onnx: input_shape must be the shape of a batch, batch axis "
                         f"first (its size is ignored: the exported batch is dynamic), then "
                         f"positive sizes, e.g. (None, 64); received {input_shape!r}")
    return (None, *(int(n) for n in input_shape[1:]))


def _is_built(module: Module) -> bool:
    return all(getattr(m, "built", True) is not False for m in module.modules())


def _trace(layers: list, input_shape: tuple, dtype) -> list:
    """Run a zero batch through the layers (eval mode, no graph): each layer's input shape.
    Builds lazy layers, and a wrong input width fails here, named by the layer. Two rows:
    a layer using batch statistics would refuse one (and is refused later, with a reason)."""
    shapes = []
    x = Tensor._from_op(np.zeros((2, *input_shape[1:]), dtype=dtype), None)
    with no_grad():
        for _, layer in layers:
            shapes.append(tuple(x.shape))
            x = layer(x)
    shapes.append(tuple(x.shape))
    return shapes


def _in_eval_mode(module: Module, function):
    """Call ``function()`` with every layer in evaluation mode, then restore the modes."""
    modes = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        return function()
    finally:
        for m, training in modes:
            m.training = training


def _model_dtype(module: Module) -> np.dtype:
    dtypes = {np.dtype(p.dtype) for p in module.parameters()}
    if len(dtypes) > 1:
        raise ValueError(f"export_onnx: the model mixes parameter dtypes "
                         f"{sorted(str(d) for d in dtypes)}; convert it with model.float() "
                         f"or model.double() first")
    return dtypes.pop() if dtypes else backend.get_default_dtype()


def _check_arguments(opset_version, input_name, output_name, onnx) -> None:
    newest = onnx.defs.onnx_opset_version()
    if isinstance(opset_version, bool) or not isinstance(opset_version, (int, np.integer)) \
            or not MIN_OPSET <= opset_version <= newest:
        raise ValueError(f"export_onnx: opset_version must be an int from {MIN_OPSET} to "
                         f"{newest} (the newest this onnx package knows), received "
                         f"{opset_version!r}")
    for label, name in (("input_name", input_name), ("output_name", output_name)):
        if not isinstance(name, str) or not name:
            raise ValueError(f"export_onnx: {label} must be a non-empty string, "
                             f"received {name!r}")
    if input_name == output_name:
        raise ValueError(f"export_onnx: input_name and output_name must differ, both are "
                         f"{input_name!r}")


# ------------------------------------------------------------------------------------------
# the public function
# ------------------------------------------------------------------------------------------


def export_onnx(model, path, input_shape=None, *, opset_version: int = 17,
                input_name: str = "input", output_name: str = "output") -> pathlib.Path:
    """Write ``model`` to an ONNX file that computes what ``model.predict`` computes.

    The model is exported as it runs at inference: dropout off, batch normalisation with
    its running statistics. Its first axis is the batch and is dynamic in the file (named
    "batch"), so the ONNX model accepts any number of rows; the other sizes are fixed.
    The weights keep the model's dtype (float32 by default). The file is checked with
    ``onnx.checker`` and written atomically: on any error no file is left behind, and an
    existing file at ``path`` is only replaced by a complete new one.

    Supported layers (glassnet's own classes, in an ``nn.Sequential``/``gn.Sequential``,
    possibly nested, or a ``gn.Model`` around one): Linear, Dense (with its activation),
    every activation layer (ReLU, LeakyReLU, ELU, GELU exact and tanh, Sigmoid, Tanh,
    Softplus, SiLU, Softmax, LogSoftmax, Identity, Activation), Dropout, BatchNorm1d /
    BatchNormalization, Flatten, Conv2d and Conv2D, MaxPool2d/MaxPool2D,
    AvgPool2d/AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D. See
    ``SUPPORTED_LAYERS``. A custom ``nn.Module`` with its own ``forward`` cannot be
    translated: its forward is arbitrary Python.

    Args:
        model: a ``gn.Sequential``/``nn.Sequential``, a ``gn.Model`` wrapping one, or a
            single supported layer.
        path: the file to write (``str`` or ``os.PathLike``), e.g. "model.onnx".
        input_shape: the shape of an input batch, batch axis first; its batch size is
            ignored (``(None, 64)`` or ``(1, 64)``; ``(None, 28, 28, 1)`` for NHWC images).
            Defaults to the shape the model was trained/built with, or the first
            Dense/Linear's width. A lazy model that was never built needs it (its layers
            are then built by a zero batch, with fresh initial weights).
        opset_version: the ONNX operator set (default 17, from 13 to the newest the
            installed onnx knows). From 20 on, GELU is written as the Gelu operator.
        input_name: the name of the graph's input (default "input").
        output_name: the name of the graph's output (default "output").

    Returns:
        The path written, as a ``pathlib.Path``.

    Raises:
        ImportError: the onnx package is missing (``pip install 'glassnet[onnx]'``).
        ValueError: an unsupported layer (named, with the supported ones listed), an
            unbuilt model without ``input_shape``, a bad ``input_shape`` or opset.
        TypeError: ``model`` is not a glassnet model.
        FileNotFoundError: the directory of ``path`` does not exist.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> model = gn.Sequential([nn.Dense(16, activation="relu", rng=0), nn.Dropout(0.2),
        ...                        nn.Dense(10, activation="softmax", rng=1)])
        >>> import onnx
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = export_onnx(model, os.path.join(tmp, "digits.onnx"), input_shape=(1, 64))
        ...     graph = onnx.load(path).graph
        >>> [node.op_type for node in graph.node]
        ['Gemm', 'Relu', 'Gemm', 'Softmax']
        >>> graph.input[0].type.tensor_type.shape.dim[0].dim_param       # dynamic batch
        'batch'
    """
    onnx, helper, numpy_helper = _import_onnx()
    _check_arguments(opset_version, input_name, output_name, onnx)
    module = _network(model)
    layers = _layers(module, "")
    input_shape = _resolve_input_shape(model, module, input_shape)
    dtype = _model_dtype(module)
    shapes = _in_eval_mode(module, lambda: _trace(layers, input_shape, dtype))
    proto = _build_model(onnx, helper, numpy_helper, layers, shapes, dtype, int(opset_version),
                         input_name, output_name)
    onnx.checker.check_model(proto)
    path = pathlib.Path(os.fspath(path))
    with atomic_write(path, "wb") as file:
        file.write(proto.SerializeToString())
    return path


def _build_model(onnx, helper, numpy_helper, layers, shapes, dtype, opset, input_name,
                 output_name):
    """The ModelProto: one converter per layer, then the input and output descriptions."""
    from glassnet import __version__

    graph = _Graph(helper, numpy_helper, dtype, opset)
    graph.names.update((input_name, output_name))
    x = input_name
    for (path, layer), shape in zip(layers, shapes[:-1], strict=True):
        x = _LAYERS[type(layer)](graph, layer, x, shape, path)
    x = graph.to_model_layout(x, "output")
    _name_output(graph, x, input_name, output_name)
    element = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    inputs = [helper.make_tensor_value_info(input_name, element, ["batch", *shapes[0][1:]])]
    outputs = [helper.make_tensor_value_info(output_name, element, ["batch", *shapes[-1][1:]])]
    onnx_graph = helper.make_graph(graph.nodes, "glassnet", inputs, outputs,
                                   initializer=graph.initializers)
    opsets = [helper.make_opsetid("", opset)]
    proto = helper.make_model(onnx_graph, opset_imports=opsets, producer_name="glassnet",
                              producer_version=__version__)
    proto.ir_version = helper.find_min_ir_version_for(opsets)  # readable by older runtimes
    return proto


def _name_output(graph: _Graph, x: str, input_name: str, output_name: str) -> None:
    """Make the last node write ``output_name`` (an Identity node if no node was added)."""
    if x == input_name:  # a model of Dropout/Identity layers only
        graph.nodes.append(graph.helper.make_node("Identity", [x], [output_name],
                                                  name="output/Identity"))
        return
    for node in graph.nodes:
        node.input[:] = [output_name if name == x else name for name in node.input]
        if x in node.output:
            node.output[:] = [output_name if name == x else name for name in node.output]
