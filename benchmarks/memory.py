"""Peak memory of one implementation, measured in a process of its own.

    python -m benchmarks.memory CASE IMPL [--quick]

imports what the implementation needs, builds the case's data, takes the resident set size
(RSS) at that point as the baseline, then sets the implementation up and runs it once (one
epoch, one predict, one training to target). It prints one JSON line:
{"baseline_mb": ..., "peak_mb": ..., "rise_mb": peak - baseline}. The rise is what training
costs on top of the library and the data, which every contestant has to hold anyway.

The peak is the kernel's high-water mark of this process's memory (VmHWM in
/proc/self/status), reset just before the run by writing "5" to /proc/self/clear_refs so that
temporaries of the data generation do not hide the run's own peak. `ru_maxrss` is only the
fallback (macOS): on Linux a child started by a big parent inherits the parent's `ru_maxrss`
across fork and exec, which would hide every rise smaller than the parent.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return None


def _ru_maxrss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (VmHWM, else ru_maxrss).

    Example:
        >>> peak_rss_mb() > 1
        True
    """
    peak = _status_mb("VmHWM")
    return peak if peak is not None else _ru_maxrss_mb()


def start_peak_window() -> float:
    """Reset the peak to the current RSS where the kernel allows it; returns the baseline in MB.

    Without a reset (not Linux) the baseline is the peak so far.

    Example:
        >>> start_peak_window() <= peak_rss_mb()
        True
    """
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return peak_rss_mb()
    current = _status_mb("VmRSS")
    return current if current is not None else peak_rss_mb()


def measure(case_id: int, impl_key: str, quick: bool) -> dict:
    """Run one implementation once in this process and report the rise of its peak RSS."""
    from benchmarks.cases import build_case

    case = build_case(case_id, quick)
    impl = {impl.key: impl for impl in case.impls}.get(impl_key)
    if impl is None:
        raise ValueError(f"case {case_id} has no implementation {impl_key!r}: "
                         f"choose from {[i.key for i in case.impls]}")
    for module in impl.imports:
        importlib.import_module(module)
    after_imports = _status_mb("VmRSS") or peak_rss_mb()
    data = case.make_data()
    gc.collect()
    baseline = start_peak_window()
    impl.setup(data).run()
    peak = peak_rss_mb()
    return {"after_imports_mb": after_imports, "baseline_mb": baseline, "peak_mb": peak,
            "rise_mb": peak - baseline}


def command(case, impl_key: str, quick: bool) -> list[str]:
    """argv of the subprocess that measures `impl_key` of `case`."""
    if case.memory_command is not None:
        return case.memory_command(impl_key)
    argv = [sys.executable, "-m", "benchmarks.memory", str(case.id), impl_key]
    return argv + (["--quick"] if quick else [])


def run_subprocess(case, impl_key: str, quick: bool, timeout: float = 900.0) -> dict:
    """Measure in a fresh interpreter; {"status": "ok", "rise_mb": ...} or a failure reason.

    Example:
        >>> from benchmarks.cases import build_case
        >>> out = run_subprocess(build_case(2, quick=True), "numpy", quick=True)
        >>> out["status"], out["rise_mb"] >= 0
        ('ok', True)
    """
    from benchmarks.system import child_env

    try:
        done = subprocess.run(command(case, impl_key, quick), cwd=ROOT, env=child_env(ROOT),
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "failed", "reason": f"timed out after {timeout:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        errors = [line for line in done.stderr.strip().splitlines() if line.strip()]
        return {"status": "failed", "reason": errors[-1] if errors else "no output"}
    out = json.loads(lines[-1])
    out["status"] = "ok"
    return out


def main(argv=None) -> int:
    """Command line: print the JSON line, exit 0; exit 1 with one line on stderr on failure."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory",
                                     description="Peak-RSS rise of one benchmark contestant.")
    parser.add_argument("case", type=int, help="case number, 1-6")
    parser.add_argument("impl", help="implementation key, e.g. torch or glassnet-fit")
    parser.add_argument("--quick", action="store_true", help="the --quick sizes")
    args = parser.parse_args(argv)
    try:
        result = measure(args.case, args.impl, args.quick)
    except Exception as exc:
        from benchmarks.harness import describe_error

        print(f"memory: {describe_error(exc)}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
