"""``import glassnet`` stays light: the engine loads, the rest waits until it is used.

No timing here (benchmarks/ measures the import time); these tests check *what* is
imported, which is what decides the time.
"""

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def test_import_glassnet_loads_the_engine_and_nothing_heavy():
    loaded = _modules_after("import glassnet")
    assert {"glassnet.tensor", "glassnet.nn", "glassnet.optim", "glassnet.functional"} <= loaded
    for heavy in ("matplotlib", "sklearn", "torch", "onnx", "optuna", "scipy", "tqdm",
                  "glassnet.viz", "glassnet.training", "glassnet.data", "glassnet.io",
                  "glassnet.keras"):
        assert heavy not in loaded, f"import glassnet imported {heavy}"


@pytest.mark.parametrize("name, module", [
    ("data", "glassnet.data"), ("Model", "glassnet.training.model"),
    ("explain", "glassnet.viz.explain"), ("save", "glassnet.io.serialization"),
    ("callbacks", "glassnet.training.callbacks"), ("Perceptron", "glassnet.perceptron"),
    ("keras", "glassnet.keras"), ("utils", "glassnet.utils.data"), ("cuda", "glassnet.cuda"),
])
def test_lazy_names_load_their_module_on_first_use(name, module):
    loaded = _modules_after(f"import glassnet\nglassnet.{name}")
    assert module in loaded


def test_lazy_names_are_listed_and_unknown_names_fail_clearly():
    import glassnet as gn

    assert {"data", "Model", "explain", "viz", "tensor"} <= set(dir(gn))
    with pytest.raises(AttributeError, match="no attribute 'tensr'"):
        gn.tensr
    assert gn.Model is gn.training.Model


def test_function_names_are_not_shadowed_by_submodules():
    code = ("import glassnet as gn, glassnet.gradcheck, glassnet.tuning\n"
            "print(callable(gn.gradcheck), callable(gn.tune))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["True", "True"]
