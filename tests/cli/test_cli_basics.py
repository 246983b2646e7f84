"""The command line's contract: help with an example, exit codes, one-line errors."""

import pytest

from glassnet.cli import main

COMMANDS = ["demo", "train", "evaluate", "predict", "explain", "plot", "export", "tune"]
PLOT_KINDS = ["activations", "history", "network", "weights", "confusion",
              "decision-boundary"]


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "glassnet 0.1.0" in capsys.readouterr().out
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "example:" in out
    for command in COMMANDS + ["bench"]:
        assert f"\n    {command} " in out  # every command is listed with its summary


def test_bad_usage_exits_2_with_one_line(capsys):
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and len(err.strip().splitlines()) == 1
    assert main([]) == 2
    assert "required" in capsys.readouterr().err
    assert main(["evaluate", "model.glassnet", "data.csv", "extra"]) == 2
    assert "unrecognized arguments: extra" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "example:" in out or "examples:" in out
    assert f"glassnet {command}" in out.split("example")[-1]


@pytest.mark.parametrize("kind", PLOT_KINDS)
def test_every_plot_kind_has_help_with_an_example(kind, capsys):
    assert main(["plot", kind, "--help"]) == 0
    assert f"example:\n  glassnet plot {kind}" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["train", "d.csv", "--target", "y", "--hidden", "64,x"],
     "argument --hidden: expected hidden layer sizes as positive integers separated by "
     "commas, e.g. 64,32; received '64,x'"),
    (["train", "d.csv", "--target", "y", "--hidden", "0,3"], "received '0,3'"),
    (["train", "d.csv", "--target", "y", "--epochs", "-1"], "argument --epochs"),
    (["train", "d.csv", "--target", "y", "--lr", "0"], "expected a positive number"),
    (["train", "d.csv", "--target", "y", "--test-size", "1.5"], "expected a number in [0, 1)"),
    (["train", "d.csv"], "the following arguments are required: --target"),
    (["train", "d.csv", "--target", "y", "--task", "cluster"], "invalid choice: 'cluster'"),
    (["explain"], "give MODEL DATA (a model file and a CSV) or --example NAME"),
    (["explain", "--example", "two-node", "m.glassnet", "d.csv"], "not both"),
    (["explain", "--example", "three-node"], "invalid choice: 'three-node'"),
    (["explain", "m.glassnet", "d.csv", "--row", "-1"], "--row counts from 0"),
    (["export", "m.glassnet", "--onnx", "m.onnx", "--input-shape", "1,a"], "a shape"),
    (["plot", "sunset"], "invalid choice: 'sunset'"),
])
def test_usage_errors_exit_2_with_one_line_and_a_hint(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert "--help'" in err and "Traceback" not in err


def test_failure_is_one_line_and_debug_shows_the_traceback(tmp_path, capsys):
    missing = tmp_path / "missing.csv"
    assert main(["train", str(missing), "--target", "y"]) == 1
    err = capsys.readouterr().err
    assert err == f"glassnet train: error: {missing}: no such file\n"
    with pytest.raises(Exception, match="no such file"):
        main(["--debug", "train", str(missing), "--target", "y"])
    with pytest.raises(Exception, match="no such file"):
        main(["train", str(missing), "--target", "y", "--debug"])


def test_demo_xor_story(capsys):
    assert main(["demo", "xor"]) == 0
    out = capsys.readouterr().out
    assert "AND: predictions [0, 0, 0, 1]" in out and "converged" in out
    assert "XOR:" in out and "not linearly separable" in out


def test_demo_basics_perceptron_and_xor():
    from glassnet.demo import _perceptron_story, _xor_network_story

    lines = []
    _perceptron_story(lines.append)
    _xor_network_story(lines.append, seed=0)
    text = "\n".join(lines)
    assert "AND: predictions [0, 0, 0, 1]" in text and "converged" in text
    assert "XOR:" in text and "not linearly separable" in text
    # the 2-4-1 network gets all four XOR points right
    for point, target in (("[0, 0]", 0), ("[0, 1]", 1), ("[1, 0]", 1), ("[1, 1]", 0)):
        row = next(line for line in lines if line.strip().startswith(point))
        assert f"rounded {target}, target {target}" in row
