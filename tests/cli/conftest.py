"""Fixtures for the command-line tests: run ``main`` in-process, small CSVs and models."""

import numpy as np
import pytest

from glassnet.cli import main
from tests.cli.helpers import flower_rows, write_csv


class Result:
    """What one command printed and returned."""

    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def one_line_error(self) -> str:
        """The single stderr line of a failure (and no traceback)."""
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        return lines[0]


@pytest.fixture
def cli(capsys):
    """``cli("train", "data.csv", ...)`` runs ``glassnet`` in this process."""

    def run(*argv) -> Result:
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """flowers.csv (text labels, 4 features), line.csv (regression) and moons.csv (2-D)."""
    folder = tmp_path_factory.mktemp("cli-data")
    write_csv(folder / "flowers.csv", ["a", "b", "c", "d", "species"], flower_rows())
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 2)) * [1.0, 10.0] + [0.0, 50.0]
    y = 3.0 * X[:, 0] - 0.2 * X[:, 1] + 7.0
    write_csv(folder / "line.csv", ["x", "w", "price"],
              [[round(a, 4), round(b, 4), round(t, 4)] for (a, b), t in zip(X, y)])
    from glassnet.data import make_moons

    X, y = make_moons(120, noise=0.1, random_state=0)
    write_csv(folder / "moons.csv", ["x1", "x2", "label"],
              [[round(a, 4), round(b, 4), int(t)] for (a, b), t in zip(X, y)])
    return folder


@pytest.fixture(scope="module")
def flower_model(data_dir):
    """A classifier trained by ``glassnet train`` on flowers.csv (with its history)."""
    model = data_dir / "flowers.glassnet"
    code = main(["train", str(data_dir / "flowers.csv"), "--target", "species",
                 "--hidden", "8", "--epochs", "40", "--lr", "0.02", "--quiet",
                 "--validation-split", "0.2",
                 "--out", str(model), "--history", str(data_dir / "history.json")])
    assert code == 0
    return str(model)


@pytest.fixture(scope="module")
def moons_model(data_dir):
    """A 2-feature classifier (integer labels 0/1) for the decision-boundary plot."""
    model = data_dir / "moons.glassnet"
    code = main(["train", str(data_dir / "moons.csv"), "--target", "label", "--hidden",
                 "16", "--activation", "tanh", "--epochs", "30", "--lr", "0.02",
                 "--quiet", "--out", str(model)])
    assert code == 0
    return str(model)
