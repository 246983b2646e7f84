"""The measuring harness: alternate implementations, watch foreign CPU load, take medians.

A case hands the harness a list of `Implementation`s. Each one is set up once, warmed up, and
then the implementations take turns: repeat 1 runs every implementation once, repeat 2 again
(in a rotated order, so nobody is always first after a pause), and so on. Taking turns inside one
process means a slow patch on a shared machine hits every implementation, not just one.

Around every timed call the harness reads how much CPU time the *rest of the machine* used:

    foreign CPU = (busy jiffies of our CPUs in /proc/stat, after - before) / CLK_TCK
                  - (this process's own user + system time, after - before)

Busy means user + nice + system + irq + softirq + steal; steal counts because on a virtual
machine it is time the hypervisor gave to someone else. Divided by the wall time this is the
foreign load in cores. A measurement with more than `max_load` cores of foreign load is thrown
away and repeated, at most `max_retries` times; the table shows the load that remained.
Without /proc/stat (macOS, Windows) the load is unknown and nothing is repeated.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

# Fields of a /proc/stat cpu line: user nice system idle iowait irq softirq steal guest guest_nice.
# guest time is already inside user, idle and iowait are not work.
_BUSY_FIELDS = (0, 1, 2, 5, 6, 7)


class Unavailable(Exception):
    """An implementation cannot run here (library missing, API not there yet).

    The harness turns it into a skipped row whose note is the exception's message.

    Example:
        >>> str(Unavailable("torch not installed"))
        'torch not installed'
    """


@dataclass
class Prepared:
    """What an implementation's setup returns: the callable to time and a note for the table.

    `run()` does one unit of work (one epoch, one predict, one training to target) and may
    return a dict of extra numbers (accuracy, epochs) that end up in the JSON and the note.
    `reset()`, when given, is called untimed before every `run()` (warm-up, repeats and
    retries alike) and puts the contestant back where it started (fresh weights, a fresh
    optimizer, the shuffling seed), so that every timed run does the same work.

    Example:
        >>> Prepared(lambda: None, note="fused Adam").note
        'fused Adam'
    """

    run: Callable[[], Any]
    note: str = ""
    reset: Callable[[], Any] | None = None


def prepare_training(build: Callable[[], Any], train: Callable[[Any], Any], note: str = "",
                     fresh: bool = True) -> Prepared:
    """A `Prepared` whose run is `train(what build() returned)`.

    With `fresh`, `build()` runs again (untimed) before every run, so each run trains new
    weights; without it, each run continues the training of the one model built here.

    Example:
        >>> prepared = prepare_training(lambda: [0], lambda state: state.append(1) or len(state))
        >>> prepared.reset(); prepared.run(), prepared.run()
        (2, 3)
        >>> prepared.reset(); prepared.run()
        2
        >>> prepare_training(lambda: [0], len, fresh=False).reset is None
        True
    """
    holder = {}

    def reset():
        holder["state"] = build()

    reset()
    return Prepared(lambda: train(holder["state"]), note, reset if fresh else None)


@dataclass
class Implementation:
    """One contestant in a case.

    Attributes:
        key: short unique id used on the command line and in JSON, e.g. "torch-fused".
        label: what the table shows, e.g. "PyTorch eager, fused Adam (2 threads)".
        kind: "glassnet", "rival", "floor" (a lower bound written by hand) or "baseline"
            (subtracted from the others, e.g. starting a bare interpreter).
        setup: called once with the case's data; returns a `Prepared`. Raises `Unavailable`
            when the implementation cannot run here.
        imports: modules the memory subprocess imports before it takes its baseline.
        tag: short name in the "glassnet ÷ this" column when a case has several glassnet rows.

    Example:
        >>> impl = Implementation("numpy", "NumPy", "floor", lambda data: Prepared(lambda: 1))
        >>> impl.setup(None).run()
        1
    """

    key: str
    label: str
    kind: str
    setup: Callable[[Any], Prepared]
    imports: tuple[str, ...] = ()
    tag: str = ""


@dataclass
class Sample:
    """One kept measurement.

    Attributes:
        seconds: the time that counts (wall time, or wall time minus a baseline in case 6).
        load: foreign CPU load in cores during it (None where /proc/stat is missing).
        retries: how many disturbed attempts were thrown away before it.
        disturbed: still over the load limit after the last retry.
        foreign: foreign CPU seconds during it; wall: its wall time.
    """

    seconds: float
    load: float | None
    retries: int
    disturbed: bool
    foreign: float | None = None
    wall: float | None = None


@dataclass
class Result:
    """Everything measured for one implementation in one case."""

    impl: Implementation
    status: str = "pending"  # "ok", "skipped" or "failed"
    reason: str = ""
    note: str = ""
    samples: list[Sample] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.times)


class CpuMeter:
    """Reads how much CPU the rest of the machine used while we were measuring.

    Args:
        stat_path: where to read the kernel's CPU counters; "/proc/stat" on Linux.
        cpus: the CPUs to watch; defaults to this process's affinity set. When the per-CPU
            lines are missing the aggregate "cpu" line is used.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "stat")
        >>> _ = open(path, "w").write("cpu  10 0 5 100 0 0 0 0 0 0\\n")
        >>> meter = CpuMeter(path, cpus={0})
        >>> meter.available, meter.busy_seconds() * meter.ticks_per_second
        (True, 15.0)
        >>> CpuMeter("/no/such/file").available
        False
    """

    def __init__(self, stat_path: str = "/proc/stat", cpus: set[int] | None = None):
        self.stat_path = stat_path
        if cpus is None:
            cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
        self.cpus = set(cpus)
        self.ticks_per_second = _clock_ticks()
        self.available = self._read_busy_ticks() is not None

    def _read_busy_ticks(self) -> float | None:
        try:
            with open(self.stat_path) as handle:
                lines = [line.split() for line in handle if line.startswith("cpu")]
        except OSError:
            return None
        per_cpu = {line[0]: line for line in lines}
        wanted = [per_cpu.get(f"cpu{n}") for n in sorted(self.cpus)]
        if not wanted or None in wanted:
            wanted = [per_cpu.get("cpu")]
        if wanted[0] is None:
            return None
        return float(sum(int(line[1 + i]) for line in wanted for i in _BUSY_FIELDS))

    @property
    def n_cpus(self) -> int:
        return max(len(self.cpus), 1)

    def busy_seconds(self) -> float | None:
        """CPU seconds all processes spent on the watched CPUs since boot (None if unknown)."""
        ticks = self._read_busy_ticks()
        return None if ticks is None else ticks / self.ticks_per_second

    def snapshot(self) -> tuple[float | None, float]:
        """(machine busy seconds, own CPU seconds including waited-for children)."""
        return self.busy_seconds(), own_cpu_seconds()

    def foreign_seconds(self, before, after) -> float | None:
        """CPU seconds used by other processes between two snapshots (never negative)."""
        if before[0] is None or after[0] is None:
            return None
        return max(0.0, (after[0] - before[0]) - (after[1] - before[1]))

    def slack_seconds(self) -> float:
        """Counting error of the tick-based counters: two ticks per watched CPU."""
        return 2.0 * self.n_cpus / self.ticks_per_second

    def wait_for_quiet(self, max_load: float, timeout: float, window: float = 0.25):
        """Sleep in short windows until others use at most `max_load` cores, or `timeout` s.

        Returns:
            The foreign load of the last window (None when it cannot be measured).
        """
        if not self.available or timeout <= 0:
            return None
        deadline = time.perf_counter() + timeout
        while True:
            before, start = self.snapshot(), time.perf_counter()
            time.sleep(window)
            after, elapsed = self.snapshot(), time.perf_counter() - start
            load = self.foreign_seconds(before, after) / elapsed
            if load <= max_load or time.perf_counter() >= deadline:
                return load


def _clock_ticks() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK"))
    except (AttributeError, ValueError, OSError):
        return 100


def own_cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children.

    Example:
        >>> own_cpu_seconds() > 0
        True
    """
    try:
        import resource
    except ImportError:  # Windows: os.times() has the same numbers, coarser
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Settings:
    """How hard to measure: warm-up calls, repeats, and the foreign-load rule.

    A measurement during which other processes used more than `max_load` cores is repeated,
    at most `max_retries` times, each time after waiting up to `quiet_wait` seconds for the
    machine to quieten down.
    """

    warmup: int = 1
    repeats: int = 5
    max_load: float = 0.25
    max_retries: int = 3
    quiet_wait: float = 5.0  # before a retry, wait up to this long for the machine to calm down
    debug: bool = False


def measure_once(run: Callable[[], Any], meter: CpuMeter, settings: Settings,
                 reset: Callable[[], Any] | None = None):
    """Time one call of `run` (after an untimed `reset()`), repeating it while the machine
    was too busy.

    Returns:
        (Sample, whatever the last `run()` returned). If every attempt was disturbed, the
        least disturbed one is kept and marked `disturbed`.

    Example:
        >>> sample, out = measure_once(lambda: 42, CpuMeter(), Settings(max_retries=0))
        >>> out, sample.seconds >= 0, sample.retries
        (42, True, 0)
    """
    best = None
    for attempt in range(settings.max_retries + 1):
        if attempt:
            meter.wait_for_quiet(settings.max_load, settings.quiet_wait)
        if reset is not None:
            reset()
        gc.collect()
        before = meter.snapshot()
        start = time.perf_counter()
        out = run()
        seconds = time.perf_counter() - start
        after = meter.snapshot()
        foreign = meter.foreign_seconds(before, after)
        load = None if foreign is None else foreign / max(seconds, 1e-9)
        disturbed = foreign is not None and (
            foreign > settings.max_load * seconds + meter.slack_seconds()
        )
        sample = Sample(seconds, load, attempt, disturbed, foreign, seconds)
        if best is None or (load or 0.0) < (best[0].load or 0.0):
            best = (sample, out)
        if not disturbed:
            return sample, out
    best[0].retries = settings.max_retries
    return best


def describe_error(exc: BaseException) -> str:
    """One line naming the exception type and its message.

    Example:
        >>> describe_error(ValueError("bad shape\\nmore"))
        'ValueError: bad shape'
    """
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {message[0]}" if message else type(exc).__name__


_NOT_THERE_YET = (ImportError, AttributeError, NotImplementedError)


def _classify(impl: Implementation, exc: BaseException, result: Result, debug: bool) -> None:
    """Turn a setup or warm-up error into a skipped or failed row."""
    result.note = ""
    if isinstance(exc, Unavailable):
        result.status, result.reason = "skipped", str(exc)
    elif impl.kind == "glassnet" and isinstance(exc, _NOT_THERE_YET):
        result.status = "skipped"
        result.reason = f"glassnet: not available ({describe_error(exc)})"
    elif isinstance(exc, ImportError):
        result.status, result.reason = "skipped", f"not installed ({describe_error(exc)})"
    else:
        result.status, result.reason = "failed", describe_error(exc)
    if debug and result.status == "failed":
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)


def measure_alternately(impls, data, settings: Settings, meter: CpuMeter | None = None,
                        log: Callable[[str], None] = lambda line: None) -> list[Result]:
    """Set up, warm up, then time all implementations in turns; one `Result` each.

    Example:
        >>> import time as t
        >>> impls = [Implementation("a", "A", "rival", lambda d: Prepared(lambda: t.sleep(0.001))),
        ...          Implementation("b", "B", "rival", lambda d: Prepared(lambda: {"n": 3}))]
        >>> results = measure_alternately(impls, None, Settings(warmup=1, repeats=3))
        >>> [(r.status, len(r.samples)) for r in results], results[1].extra
        ([('ok', 3), ('ok', 3)], {'n': 3})
    """
    meter = meter or CpuMeter()
    results = [Result(impl) for impl in impls]
    runs = {}
    for result in results:
        impl = result.impl
        try:
            prepared = impl.setup(data)
            result.note = prepared.note
            for _ in range(settings.warmup):
                if prepared.reset is not None:
                    prepared.reset()
                prepared.run()
            runs[impl.key] = prepared
        except Exception as exc:  # one broken contestant must not stop the others
            _classify(impl, exc, result, settings.debug)
            log(f"  {impl.label}: {result.status} ({result.reason})")
    ready = [r for r in results if r.impl.key in runs]
    # Objects alive now (modules of torch, sklearn, ...) move to a generation the collector
    # never scans, so no contestant pays for another library's heap in its collections.
    gc.collect()
    gc.freeze()
    try:
        _take_turns(ready, runs, settings, meter)
    finally:
        gc.unfreeze()
    for result in ready:
        if result.status == "pending":
            result.status = "ok" if result.samples else "failed"
    return results


def _take_turns(ready, runs, settings, meter) -> None:
    for repeat in range(settings.repeats):
        shift = repeat % max(len(ready), 1)
        for result in ready[shift:] + ready[:shift]:
            if result.status in ("failed", "skipped"):
                continue
            try:
                prepared = runs[result.impl.key]
                sample, out = measure_once(prepared.run, meter, settings, prepared.reset)
            except Exception as exc:
                if settings.warmup == 0 and not result.samples:  # its first call: a probe
                    _classify(result.impl, exc, result, settings.debug)
                else:  # it worked before, so this is a real failure
                    result.status, result.reason = "failed", describe_error(exc)
                    if settings.debug:
                        traceback.print_exception(type(exc), exc, exc.__traceback__,
                                                  file=sys.stderr)
                continue
            result.samples.append(sample)
            if isinstance(out, dict):
                result.extra = out


def until_accurate(epoch, accuracy, target, max_epochs):
    """Run `epoch()` until `accuracy()` >= target or `max_epochs` epochs; shared by all libraries.

    Example:
        >>> scores = iter([0.5, 0.8, 0.99])
        >>> until_accurate(lambda: None, lambda: next(scores), 0.97, 10)
        {'accuracy': 0.99, 'epochs': 3, 'reached': True}
    """
    acc = 0.0
    for n_epochs in range(1, max_epochs + 1):
        epoch()
        acc = accuracy()
        if acc >= target:
            return {"accuracy": acc, "epochs": n_epochs, "reached": True}
    return {"accuracy": acc, "epochs": max_epochs, "reached": False}
