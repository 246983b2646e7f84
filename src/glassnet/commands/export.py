"""``glassnet export MODEL --onnx out.onnx``: a saved model as an ONNX file.

onnxruntime, TensorRT, OpenVINO or a browser can then run it without glassnet. The batch
axis of the file is dynamic; ``--input-shape`` is only needed for a model that does not
know its input size. Needs onnx: pip install 'glassnet[onnx]'.
"""

from __future__ import annotations

from glassnet.commands import common, models


def register(subparsers) -> None:
    """Add the ``export`` command to ``subparsers`` (see the module docstring)."""
    parser = common.add_command(
        subparsers, "export", "Export a saved model to ONNX.",
        ["glassnet export model.glassnet --onnx model.onnx --input-shape 1,64"],
        description=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model", help="a model file")
    parser.add_argument("--onnx", required=True, metavar="PATH", help="the ONNX file to write")
    parser.add_argument("--input-shape", type=common.shape, default=None,
                        help="shape of an input batch, batch axis first, e.g. 1,64 (default: "
                             "the model's)")
    parser.set_defaults(run=run)


def run(args) -> int:
    """Run ``glassnet export`` with the parsed ``args``; returns the exit code."""
    try:
        from glassnet.io.onnx_export import export_onnx
    except ModuleNotFoundError as error:
        if error.name != "glassnet.io.onnx_export":
            raise
        raise common.CommandError("this glassnet has no ONNX exporter "
                                  "(glassnet.io.onnx_export is missing)") from None
    model, info = models.load_model_file(args.model)
    input_shape = args.input_shape
    if input_shape is None and info is not None and info.features:
        input_shape = (1, len(info.features))
    path = export_onnx(model, args.onnx, input_shape=input_shape)
    print(f"wrote {path}")
    return 0
