"""The benchmark suite (benchmarks/ at the repository root, not part of the wheel).

The --quick run is a smoke test: it must write a Markdown table with the documented columns
and JSON for every case, and every ratio it reports must be a finite positive number (or the
row says why it was skipped). Timings are never asserted: they depend on the machine.
"""

from __future__ import annotations

import doctest
import importlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ sits next to src/, outside the installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.cases import build_case  # noqa: E402
from benchmarks.cli import main  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    Implementation,
    Prepared,
    Settings,
    Unavailable,
    measure_alternately,
    measure_once,
    prepare_training,
)
from benchmarks.harness import CpuMeter  # noqa: E402
from benchmarks.memory import run_subprocess  # noqa: E402
from benchmarks.numpy_mlp import GemmFloor, NumpyMLP, mlp_gemm_flops  # noqa: E402

COLUMNS = ["implementation", "median", "range", "glassnet ÷ this", "× floor", "GFLOP/s",
           "foreign load", "peak memory rise", "note"]
CASES = ["1", "2", "3", "4", "5", "6", "7"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One --quick run of the whole suite, shared by the tests below (about 20-30 s)."""
    out = tmp_path_factory.mktemp("bench")
    code = main(["--quick", "--out", str(out)])
    markdown = (out / "results.md").read_text(encoding="utf-8")
    report = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return code, markdown, report


def _is_positive_number(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def test_quick_run_succeeds_and_records_the_machine(quick_run):
    code, _, report = quick_run
    assert code == 0
    meta = report["meta"]
    assert meta["mode"] == "quick"
    assert meta["command"].startswith("python -m benchmarks --quick --out ")
    assert set(meta["versions"]) >= {"glassnet", "numpy", "torch", "sklearn"}
    assert meta["versions"]["numpy"] == np.__version__
    assert meta["machine"]["cores"] >= 1 and meta["machine"]["cpu_model"]
    assert meta["torch_threads"] == 2
    assert meta["settings"]["repeats"] == 2


def test_markdown_has_one_table_per_case_with_the_columns(quick_run):
    _, markdown, _ = quick_run
    lines = markdown.splitlines()
    headings = [line for line in lines if line.startswith("### Case ")]
    assert [h.split(".")[0] for h in headings] == [f"### Case {n}" for n in CASES]
    headers = [line for line in lines if line.startswith("| implementation |")]
    assert len(headers) == len(CASES)
    for header in headers:
        assert [cell.strip() for cell in header.strip("|").split("|")] == COLUMNS


def test_json_has_every_case_and_every_contestant(quick_run):
    _, _, report = quick_run
    assert list(report["cases"]) == CASES
    for case_id, record in report["cases"].items():
        keys = [row["key"] for row in record["results"]]
        assert keys == [impl.key for impl in build_case(int(case_id), quick=True).impls]
        assert any(row["kind"] == "glassnet" for row in record["results"])


def test_every_row_ran_or_says_why_not(quick_run):
    _, markdown, report = quick_run
    for record in report["cases"].values():
        for row in record["results"]:
            if row["status"] == "ok":
                assert _is_positive_number(row["median"]), row
                assert len(row["times_s"]) >= 1
                assert row["min"] <= row["median"] <= row["max"]
            else:
                assert row["status"] == "skipped", row  # nothing may fail outright
                assert row["reason"], row
                assert f"skipped: {row['reason']}".replace("|", "/") in markdown
                if row["kind"] == "glassnet":
                    assert row["reason"].startswith("glassnet: not available (")


def test_every_reported_ratio_is_finite_and_positive(quick_run):
    _, _, report = quick_run
    n_ratios = 0
    for record in report["cases"].values():
        ran = {row["key"]: row for row in record["results"] if row["status"] == "ok"}
        glassnet = [key for key, row in ran.items() if row["kind"] == "glassnet"]
        others = [key for key, row in ran.items() if row["kind"] in ("rival", "floor")]
        # a ratio for every glassnet row that ran against every rival/floor row that ran
        assert sorted(record["ratios"]) == sorted(glassnet)
        for key in glassnet:
            assert sorted(record["ratios"][key]) == sorted(others)
            for other, ratio in record["ratios"][key].items():
                assert _is_positive_number(ratio)
                assert ratio == pytest.approx(ran[key]["median_s"] / ran[other]["median_s"])
                n_ratios += 1
        for row in ran.values():
            if row["x_floor"] is not None:
                assert _is_positive_number(row["x_floor"])
                n_ratios += 1
            if row["gflops"] is not None:
                assert _is_positive_number(row["gflops"])
            assert all(_is_positive_number(v) for v in row["glassnet_over_this"].values())
        if record["floor"] in ran:
            assert ran[record["floor"]]["x_floor"] == pytest.approx(1.0)
    assert n_ratios > 0


def test_quick_run_skips_memory_and_says_so(quick_run):
    _, markdown, report = quick_run
    for record in report["cases"].values():
        for row in record["results"]:
            if row["status"] == "ok":
                assert row["memory"] == {"status": "skipped", "reason": "skipped (quick)"}
    assert "| skipped (quick) |" in markdown


def test_unknown_case_is_a_usage_error(capsys, tmp_path):
    assert main(["--cases", "1,9", "--out", str(tmp_path)]) == 2
    assert "unknown case(s) [9]" in capsys.readouterr().err
    assert main(["--quick", "--repeats", "0", "--out", str(tmp_path)]) == 2
    assert "--repeats must be >= 1, received 0" in capsys.readouterr().err
    assert not (tmp_path / "results.json").exists()


# --- the harness ------------------------------------------------------------------------


def _stat_file(tmp_path, busy_cpu0, busy_cpu1):
    # fields: user nice system idle iowait irq softirq steal guest guest_nice
    text = (f"cpu  {busy_cpu0 + busy_cpu1} 0 0 900 0 0 0 0 0 0\n"
            f"cpu0 {busy_cpu0 - 3} 1 1 450 7 0 0 1 0 0\n"
            f"cpu1 {busy_cpu1} 0 0 450 0 0 0 0 0 0\n"
            "intr 1 2 3\n")
    path = tmp_path / "stat"
    path.write_text(text)
    return str(path)


def test_cpu_meter_counts_busy_ticks_of_the_watched_cpus(tmp_path):
    path = _stat_file(tmp_path, busy_cpu0=120, busy_cpu1=80)
    one = CpuMeter(path, cpus={0})
    # cpu0: user 117 + nice 1 + system 1 + steal 1 = 120 ticks; idle and iowait do not count
    assert one.busy_seconds() * one.ticks_per_second == pytest.approx(120)
    both = CpuMeter(path, cpus={0, 1})
    assert both.busy_seconds() * both.ticks_per_second == pytest.approx(200)
    assert both.slack_seconds() == pytest.approx(4 / both.ticks_per_second)
    missing = CpuMeter(str(tmp_path / "absent"), cpus={0})
    assert not missing.available and missing.busy_seconds() is None
    assert missing.foreign_seconds(missing.snapshot(), missing.snapshot()) is None


def test_waiting_for_quiet_returns_once_the_machine_is_idle(tmp_path):
    idle = CpuMeter(_stat_file(tmp_path, busy_cpu0=120, busy_cpu1=80), cpus={0, 1})
    assert idle.wait_for_quiet(max_load=0.25, timeout=5.0, window=0.01) == 0.0
    absent = CpuMeter(str(tmp_path / "absent"), cpus={0})
    assert absent.wait_for_quiet(max_load=0.25, timeout=5.0) is None


def test_foreign_seconds_are_busy_time_minus_our_own():
    meter = CpuMeter("/dev/null", cpus={0})
    assert meter.foreign_seconds((10.0, 2.0), (13.0, 2.5)) == pytest.approx(2.5)
    assert meter.foreign_seconds((10.0, 2.0), (10.0, 2.5)) == 0.0  # never negative


class _FakeMeter:
    """A meter whose foreign load per measurement follows a script (in CPU seconds)."""

    def __init__(self, foreign):
        self.foreign = list(foreign)
        self.calls = 0
        self.waits = 0

    def snapshot(self):
        return (0.0, 0.0)

    def foreign_seconds(self, before, after):
        self.calls += 1
        return self.foreign.pop(0)

    def slack_seconds(self):
        return 0.0

    def wait_for_quiet(self, max_load, timeout):
        self.waits += 1


def test_a_disturbed_measurement_is_repeated():
    settings = Settings(max_load=0.25, max_retries=3)
    meter = _FakeMeter([10.0, 0.0])
    sample, out = measure_once(lambda: "done", meter, settings)
    assert (out, sample.retries, sample.disturbed, meter.calls) == ("done", 1, False, 2)
    assert meter.waits == 1  # it waited for the machine to calm down before the retry
    assert sample.load == pytest.approx(0.0)


def test_retries_are_bounded_and_the_least_disturbed_attempt_is_kept():
    meter = _FakeMeter([10.0, 5.0, 20.0])
    sample, _ = measure_once(lambda: None, meter, Settings(max_retries=2))
    assert (sample.retries, sample.disturbed, meter.calls) == (2, True, 3)
    assert sample.foreign == pytest.approx(5.0)


def test_reset_runs_untimed_before_every_attempt():
    events = []
    meter = _FakeMeter([10.0, 0.0])  # the first attempt is disturbed: one retry
    measure_once(lambda: events.append("run"), meter, Settings(max_retries=3),
                 reset=lambda: events.append("reset"))
    assert events == ["reset", "run", "reset", "run"]


def test_fresh_training_starts_every_run_from_new_weights_continued_does_not():
    built = []

    def build():
        built.append(1)
        return {"epochs": 0}

    def train(state):
        state["epochs"] += 1
        return dict(state)

    for fresh, epochs in ((True, [1, 1, 1]), (False, [2, 3, 4])):  # warm-up = epoch 1
        built.clear()
        impl = Implementation("t", "t", "rival",
                              lambda data, fresh=fresh: prepare_training(build, train,
                                                                         fresh=fresh))
        result = measure_alternately([impl], None, Settings(warmup=1, repeats=3))[0]
        assert result.extra == {"epochs": epochs[-1]}
        assert len(built) == (1 + 1 + 3 if fresh else 1)  # setup, warm-up, three repeats


def _impl(key, kind, setup):
    return Implementation(key, key, kind, setup)


def _raises(exc):
    def setup(data):
        raise exc

    return setup


def test_missing_pieces_are_skipped_and_real_errors_fail():
    impls = [
        _impl("gn-attr", "glassnet", _raises(AttributeError("no attribute 'Dense'"))),
        _impl("gn-import", "glassnet", _raises(ImportError("No module named 'glassnet.nn'"))),
        _impl("gn-bug", "glassnet", _raises(ValueError("bad shape (3, 4)"))),
        _impl("rival-missing", "rival", _raises(Unavailable("torch not installed"))),
        _impl("rival-import", "rival", _raises(ImportError("No module named 'sklearn'"))),
        _impl("ok", "floor", lambda data: Prepared(lambda: None)),
    ]
    results = measure_alternately(impls, None, Settings(warmup=1, repeats=2))
    got = {r.impl.key: (r.status, r.reason) for r in results}
    assert got == {
        "gn-attr": ("skipped", "glassnet: not available (AttributeError: no attribute 'Dense')"),
        "gn-import": ("skipped",
                      "glassnet: not available (ImportError: No module named 'glassnet.nn')"),
        "gn-bug": ("failed", "ValueError: bad shape (3, 4)"),
        "rival-missing": ("skipped", "torch not installed"),
        "rival-import": ("skipped", "not installed (ImportError: No module named 'sklearn')"),
        "ok": ("ok", ""),
    }
    assert len(results[-1].samples) == 2


def test_a_failure_after_a_good_warm_up_is_a_failure():
    calls = []

    def run():
        calls.append(1)
        if len(calls) > 1:
            raise AttributeError("lost an attribute")

    results = measure_alternately([_impl("gn", "glassnet", lambda d: Prepared(run))], None,
                                  Settings(warmup=1, repeats=3))
    assert (results[0].status, results[0].reason) == ("failed",
                                                       "AttributeError: lost an attribute")


def test_turns_rotate_so_nobody_is_always_first():
    order = []
    impls = [_impl(k, "rival", lambda d, k=k: Prepared(lambda: order.append(k))) for k in "abc"]
    measure_alternately(impls, None, Settings(warmup=0, repeats=3))
    assert "".join(order) == "abcbcacab"


# --- the floors ------------------------------------------------------------------------


def test_gemm_flops_count_forward_and_the_backward_that_is_needed():
    # forward 2*(784*256 + 256*128 + 128*10) = 469504 per row; backward: weight gradients
    # the same again, input gradients for layers 2 and 3 only: 2*(256*128 + 128*10) = 68096
    assert mlp_gemm_flops([784, 256, 128, 10], 1, train=False) == 469504
    assert mlp_gemm_flops([784, 256, 128, 10], 1) == 2 * 469504 + 68096
    assert mlp_gemm_flops([20, 64, 64, 1], 32) == 32 * (2 * 2 * (1280 + 4096 + 64)
                                                          + 2 * (4096 + 64))


def test_gemm_floor_computes_the_forward_product():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 8), dtype=np.float32)
    floor = GemmFloor([8, 4, 2], X, batch_size=128)
    np.testing.assert_allclose(floor.predict(), X @ floor.W[0] @ floor.W[1], rtol=1e-5)


@pytest.mark.parametrize("sizes, hidden", [([5, 4, 3], "relu"), ([5, 4, 1], "tanh")])
def test_numpy_mlp_gradients_match_torch(sizes, hidden):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x = rng.standard_normal((6, sizes[0])).astype(np.float32)
    if sizes[-1] == 1:
        y = (rng.random((6, 1)) > 0.5).astype(np.float32)
    else:
        y = rng.integers(0, sizes[-1], 6)
    net = NumpyMLP(sizes, hidden=hidden)
    for b in net.b:
        b[:] = rng.standard_normal(b.shape)
    params = [torch.tensor(p, requires_grad=True) for p in net.params]
    n_layers = len(net.W)
    a = torch.from_numpy(x)
    for i in range(n_layers):
        a = a @ params[i] + params[n_layers + i]
        if i < n_layers - 1:
            a = torch.tanh(a) if hidden == "tanh" else torch.relu(a)
    if sizes[-1] == 1:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(a, torch.from_numpy(y))
    else:
        loss = torch.nn.functional.cross_entropy(a, torch.from_numpy(y))
    loss.backward()
    for ours, theirs in zip(net.gradients(x, y), params):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_numpy_mlp_learns_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    net = NumpyMLP([2, 4, 1], lr=0.05, hidden="tanh")
    for _ in range(500):
        net.train_step(X, y)
    assert (net.predict(X) > 0).astype(int).ravel().tolist() == [0, 1, 1, 0]
    assert all(p.dtype == np.float32 for p in net.params)


# --- memory and the docstring examples -------------------------------------------------


def test_memory_runs_in_its_own_process():
    case = build_case(2, quick=True)
    out = run_subprocess(case, "numpy", quick=True)
    assert out["status"] == "ok"
    assert out["peak_mb"] >= out["baseline_mb"] > 1 and out["after_imports_mb"] > 1
    assert out["rise_mb"] == pytest.approx(out["peak_mb"] - out["baseline_mb"])
    bad = run_subprocess(case, "no-such-impl", quick=True)
    assert bad["status"] == "failed"
    assert "case 2 has no implementation 'no-such-impl'" in bad["reason"]


def test_memory_of_a_child_is_not_inherited_from_a_big_parent():
    ballast = np.ones(25_000_000)  # 200 MB resident in this process
    out = run_subprocess(build_case(6, quick=True), "python", quick=True)
    # Linux hands a child its parent's ru_maxrss across fork and exec; the high-water mark
    # of the child's own memory (VmHWM) is what a bare interpreter really uses
    assert out["status"] == "ok"
    assert out["peak_mb"] < ballast.nbytes / 2**20 / 2
    assert 0 <= out["rise_mb"] < 5


@pytest.mark.parametrize("module", [
    "benchmarks.harness", "benchmarks.data", "benchmarks.numpy_mlp", "benchmarks.report",
    "benchmarks.cases", "benchmarks.importtime", "benchmarks.system", "benchmarks.impl_glassnet",
    "benchmarks.impl_torch", "benchmarks.impl_sklearn",
])
def test_docstring_examples(module):
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(importlib.import_module(module), optionflags=flags)
    assert result.failed == 0
    assert result.attempted > 0
