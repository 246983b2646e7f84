"""The command line's contract: help with an example, exit codes, one-line errors."""

import pytest

from glassnet.cli import main


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "glassnet 0.1.0" in capsys.readouterr().out
    assert main(["--help"]) == 0
    assert "example:" in capsys.readouterr().out


def test_bad_usage_exits_2(capsys):
    assert main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main([]) == 2


@pytest.mark.parametrize("command", ["demo"])
def test_every_command_has_help_with_an_example(command, capsys):
    assert main([command, "--help"]) == 0
    assert "example:" in capsys.readouterr().out


def test_demo_basics_perceptron_and_xor(capsys):
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
