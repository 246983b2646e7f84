"""Command line of the benchmark suite: `python -m benchmarks` and `glassnet bench`.

Example:
    python -m benchmarks                  # the full suite, about 10 minutes on 2 cores
    python -m benchmarks --quick          # tiny sizes, no memory runs, well under a minute
    python -m benchmarks --cases 1,4 --out bench-results/
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import os
import sys
import time

from benchmarks import report as reporting
from benchmarks import system
from benchmarks.cases import BUILDERS, build_case
from benchmarks.harness import (
    CpuMeter,
    Result,
    Settings,
    Unavailable,
    describe_error,
    measure_alternately,
)
from benchmarks.impl_torch import TORCH_THREADS
from benchmarks.memory import run_subprocess

RESULTS_NAME = "results"


def _case_list(text: str) -> list[int]:
    if text.strip().lower() == "all":
        return sorted(BUILDERS)
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected case numbers like 1,2 (or 'all'), received {text!r}") from None
    unknown = [i for i in ids if i not in BUILDERS]
    if unknown or not ids:
        raise argparse.ArgumentTypeError(
            f"unknown case(s) {unknown or text!r}: choose from {sorted(BUILDERS)}")
    return ids


def build_parser(prog: str = "python -m benchmarks") -> argparse.ArgumentParser:
    """The argument parser (also used by `glassnet bench`)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Time glassnet against PyTorch, scikit-learn and hand-written NumPy floors, "
                    "alternately in one process; write a Markdown table and JSON.",
        epilog=f"example: {prog} --quick --cases 1,2 --out bench-results/",
    )
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and 2 repeats, no memory runs (a smoke test)")
    parser.add_argument("--cases", type=_case_list, default=sorted(BUILDERS),
                        help="comma-separated case numbers, 1-6 (default: all)")
    parser.add_argument("--impls", default=None,
                        help="only these implementation keys, e.g. glassnet-fit,torch "
                             "(default: all)")
    parser.add_argument("--out", default="bench-results",
                        help="directory for results.md and results.json (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed repeats per implementation (default: 5, --quick: 2)")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up runs (default: 1)")
    parser.add_argument("--max-load", type=float, default=0.25,
                        help="repeat a measurement when other processes used more than this "
                             "many cores meanwhile (default: %(default)s)")
    parser.add_argument("--max-retries", type=int, default=None,
                        help="at most this many repeats of a disturbed measurement "
                             "(default: 3, --quick: 0)")
    memory = parser.add_mutually_exclusive_group()
    memory.add_argument("--memory", dest="memory", action="store_true", default=None,
                        help="measure peak memory even with --quick")
    memory.add_argument("--no-memory", dest="memory", action="store_false",
                        help="skip the peak-memory subprocesses")
    parser.add_argument("--debug", action="store_true", help="print tracebacks of failures")
    return parser


def _settings(args) -> Settings:
    for name in ("repeats", "warmup", "max_retries"):
        value = getattr(args, name)
        if value is not None and value < (1 if name == "repeats" else 0):
            raise ValueError(f"--{name.replace('_', '-')} must be >= "
                             f"{1 if name == 'repeats' else 0}, received {value}")
    return Settings(
        warmup=args.warmup if args.warmup is not None else 1,
        repeats=args.repeats or (2 if args.quick else 5),
        max_load=args.max_load,
        max_retries=args.max_retries if args.max_retries is not None else (0 if args.quick else 3),
        debug=args.debug,
    )


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_case(case, settings: Settings, meter: CpuMeter, impl_keys=None,
             explicit=frozenset()) -> tuple[list[Result], Settings]:
    """Measure one case's implementations (the ones in `impl_keys`, and any baseline).

    The case's own warm-up/repeat counts replace the suite's, except those named in
    `explicit` (given on the command line).

    Returns:
        One `Result` per implementation, and the settings the case ran with.
    """
    impls = [i for i in case.impls
             if impl_keys is None or i.key in impl_keys or i.kind == "baseline"]
    overrides = {name: getattr(case, name) for name in ("warmup", "repeats")
                 if getattr(case, name) is not None and name not in explicit}
    case_settings = dataclasses.replace(settings, **overrides)
    _log(f"case {case.id}: {case.title} ({len(impls)} implementations, warm-up "
         f"{case_settings.warmup}, {case_settings.repeats} repeats)")
    start = time.perf_counter()
    try:
        data = case.make_data()
    except Unavailable as exc:
        return [Result(impl, "skipped", str(exc)) for impl in impls], case_settings
    results = measure_alternately(impls, data, case_settings, meter, _log)
    if case.postprocess is not None:
        case.postprocess(results)
    for result in results:
        if result.status == "ok":
            _log(f"  {result.impl.label}: {reporting.fmt(case.per_unit(result.median))} "
                 f"{case.unit}")
    _log(f"  ({time.perf_counter() - start:.1f} s)")
    return results, case_settings


def _measure_memory(measured, quick: bool, enabled: bool) -> None:
    for case, results, _ in measured:
        for result in results:
            if result.status != "ok":
                continue
            reason = case.memory_skipped
            if not enabled:
                reason = "skipped (quick)" if quick else "skipped (--no-memory)"
            if reason:
                result.memory = {"status": "skipped", "reason": reason}
                continue
            _log(f"memory: case {case.id}, {result.impl.label}")
            result.memory = run_subprocess(case, result.impl.key, quick)


def _meta(args, argv, prog, settings, meter, started) -> dict:
    return {
        "command": " ".join([prog, *argv]),
        "mode": "quick" if args.quick else "full",
        "started": started,
        "machine": system.machine(),
        "versions": system.versions(),
        "torch_threads": TORCH_THREADS,
        "blas": [],
        "load_source": meter.stat_path if meter.available else None,
        "bytecode_cache": "PYTHONPYCACHEPREFIX (PYTHONDONTWRITEBYTECODE was set)"
        if system.pycache_dir() else None,
        "settings": dataclasses.asdict(settings),
    }


def write_outputs(report: dict, out_dir: str) -> tuple[str, str]:
    """Write results.md and results.json into `out_dir`; returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    md_path = os.path.join(out_dir, f"{RESULTS_NAME}.md")
    json_path = os.path.join(out_dir, f"{RESULTS_NAME}.json")
    with open(md_path, "w", encoding="utf-8") as handle:
        handle.write(reporting.markdown(report))
    with open(json_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, ensure_ascii=False)
    return md_path, json_path


def main(argv=None, *, prog: str = "python -m benchmarks") -> int:
    """Run the suite; 0 on success, 1 when an implementation failed, 2 on bad usage.

    Args:
        argv: the arguments after the program name (default: sys.argv[1:]).
        prog: how the program is called, for help and the recorded command.

    Returns:
        The exit code.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
        settings = _settings(args)
        cases = _selected_cases(args)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return int(exc.code or 0)
    except ValueError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    try:
        with _bytecode_cache():
            return _run(args, argv, prog, settings, cases)
    except Exception as exc:  # e.g. an unwritable --out directory
        if args.debug:
            raise
        print(f"{prog}: error: {describe_error(exc)}", file=sys.stderr)
        return 1


@contextlib.contextmanager
def _bytecode_cache():
    """While the suite runs, keep bytecode under `system.pycache_dir()` if the environment
    forbids writing it next to the sources (PYTHONDONTWRITEBYTECODE): otherwise every run
    compiles torch and scikit-learn from source again. Restored afterwards."""
    cache = system.pycache_dir()
    if cache is None or sys.pycache_prefix is not None:
        yield
        return
    saved = sys.dont_write_bytecode
    sys.pycache_prefix, sys.dont_write_bytecode = cache, False
    try:
        yield
    finally:
        sys.pycache_prefix, sys.dont_write_bytecode = None, saved


def _selected_cases(args) -> list:
    """The cases to run, each with at least one selected contestant; ValueError on bad keys."""
    cases = [build_case(case_id, args.quick) for case_id in args.cases]
    if not args.impls:
        return cases
    wanted = set(args.impls.split(","))
    known = {impl.key for case in cases for impl in case.impls}
    if wanted - known:
        raise ValueError(f"--impls: unknown key(s) {sorted(wanted - known)}: choose from "
                         f"{sorted(known)}")
    return [case for case in cases if any(impl.key in wanted for impl in case.impls)]


def _run(args, argv, prog, settings, cases) -> int:
    started = datetime.datetime.now().isoformat(timespec="seconds")
    impl_keys = set(args.impls.split(",")) if args.impls else None
    explicit = {name for name in ("warmup", "repeats") if getattr(args, name) is not None}
    meter = CpuMeter()
    if not meter.available:
        _log("note: /proc/stat not readable, foreign CPU load is not measured")
    measured = [(case, *run_case(case, settings, meter, impl_keys, explicit)) for case in cases]
    memory = args.memory if args.memory is not None else not args.quick
    _measure_memory(measured, args.quick, memory)
    meta = _meta(args, argv, prog, settings, meter, started)
    meta["blas"] = system.blas()
    report = {"meta": meta,
              "cases": {str(case.id): reporting.case_record(case, results, used)
                        for case, results, used in measured}}
    md_path, json_path = write_outputs(report, args.out)
    print(reporting.markdown(report))
    _log(f"wrote {md_path} and {json_path}")
    failed = [(case.id, r) for case, results, _ in measured
              for r in results if r.status == "failed"]
    for case_id, result in failed:
        print(f"{prog}: case {case_id}, {result.impl.label} failed: {result.reason}",
              file=sys.stderr)
    return 1 if failed else 0
