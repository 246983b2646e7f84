"""glassnet's benchmark suite: speed and memory against PyTorch, scikit-learn and NumPy floors.

Run it from a checkout of the repository (it is not part of the installed wheel):

    uv run python -m benchmarks --quick
    glassnet bench --quick

The entry point is `benchmarks.cli.main(argv=None) -> int`. This package imports nothing on
its own, so `python -m benchmarks.memory` can measure a clean interpreter.
"""
