"""The README's Python examples run as written (a README that lies is worse than none)."""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_starts_with_installing_uv_then_the_two_commands():
    text = README.read_text(encoding="utf-8")
    install = text.index("pip install uv")
    demo = text.index("uv run glassnet demo")
    tests = text.index("uv run pytest")
    assert install < demo < tests
    assert "PERFORMANCE_TABLE" not in text


@pytest.mark.slow
@pytest.mark.parametrize("block", range(len(BLOCKS)))
def test_python_block_runs(block, tmp_path, monkeypatch, capsys):
    code = BLOCKS[block]
    if "sklearn" in code:
        pytest.importorskip("sklearn")
    if "export_onnx" in code:
        pytest.importorskip("onnx")
    if "gn.tune" in code:
        pytest.importorskip("optuna")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md block {block}", "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out
    for accuracy in re.findall(r"test accuracy (\d\.\d+)", printed):
        assert float(accuracy) >= 0.93, printed
