"""Case 6: how long `import X` takes in a fresh interpreter, and how much disk X needs.

Import time = wall time of `python -c "import X"` minus that of `python -c "pass"`, both
timed in turns by the harness (the bare interpreter is the "baseline" row). Installed size =
the files of X's package directory (without __pycache__), and with its installed dependency
closure read from the package metadata (extras not counted).
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import os
import re
import subprocess
import sys

from benchmarks.harness import Prepared
from benchmarks.system import child_env

MB = 1024.0 * 1024.0


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=child_env())


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def importer(module: str | None):
    """Setup that times `python -c "import module"` (`None`: a bare interpreter).

    A failing import raises ImportError with the child's last line of stderr, so the harness
    reports "not installed" (or "glassnet: not available") on the first call.
    """

    def setup(_data):
        code = "pass" if module is None else f"import {module}"
        sizes = {} if module is None else installed_size(module)

        def run():
            done = _python(code)
            if done.returncode != 0:
                raise ImportError(f"import {module} failed: {_last_line(done.stderr)}")
            return sizes

        note = "" if module is None else (
            f"installed {sizes['package_mb']:.1f} MB, with deps {sizes['with_deps_mb']:.0f} MB")
        return Prepared(run, note)

    return setup


def subtract_baseline(results) -> None:
    """Turn interpreter start + import into import time: subtract the baseline row's median.

    Example:
        >>> from benchmarks.harness import Implementation, Result, Sample
        >>> base = Result(Implementation("python", "python", "baseline", None), "ok")
        >>> base.samples = [Sample(0.02, None, 0, False)]
        >>> other = Result(Implementation("numpy", "numpy", "rival", None), "ok")
        >>> other.samples = [Sample(0.12, None, 0, False)]
        >>> subtract_baseline([base, other])
        >>> round(other.median, 3)
        0.1
    """
    base = [r for r in results if r.impl.kind == "baseline" and r.status == "ok"]
    if not base:
        return
    offset = base[0].median
    for result in results:
        if result.impl.kind != "baseline":
            for sample in result.samples:
                sample.seconds = max(sample.seconds - offset, 1e-4)


def _dir_size(path: str) -> int:
    total = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _module_size(module: str) -> int:
    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is None:
        return 0
    if spec.submodule_search_locations:
        return sum(_dir_size(p) for p in spec.submodule_search_locations)
    return os.path.getsize(spec.origin) if spec.origin and os.path.exists(spec.origin) else 0


def _distribution_of(module: str) -> str | None:
    top = module.split(".")[0]
    names = metadata.packages_distributions().get(top)
    return names[0] if names else {"sklearn": "scikit-learn"}.get(top, top)


def _requirements(dist_name: str) -> list[str]:
    try:
        requires = metadata.requires(dist_name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for line in requires:
        if "extra ==" in line.replace('"', "'").replace("extra==", "extra =="):
            continue
        match = re.match(r"[A-Za-z0-9._-]+", line)
        if match:
            names.append(match.group(0))
    return names


def _dist_size(dist_name: str) -> int:
    try:
        files = metadata.distribution(dist_name).files or []
    except metadata.PackageNotFoundError:
        return 0
    total = 0
    for file in files:
        if "__pycache__" in str(file):
            continue
        if file.size is not None:
            total += file.size
    return total


def installed_size(module: str) -> dict:
    """MB on disk of the module's package, and of it plus its installed dependencies.

    Example:
        >>> sizes = installed_size("numpy")
        >>> sizes["with_deps_mb"] >= sizes["package_mb"] > 1
        True
    """
    own = _module_size(module)
    root = _distribution_of(module)
    seen, todo, deps = {_normalise(root)}, _requirements(root), 0
    while todo:
        name = todo.pop()
        key = _normalise(name)
        if key in seen:
            continue
        seen.add(key)
        size = _dist_size(name)
        if size:
            deps += size
            todo += _requirements(name)
    return {"package_mb": own / MB, "with_deps_mb": (own + deps) / MB}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


MEMORY_SNIPPET = """
import json, sys
from benchmarks.memory import peak_rss_mb, start_peak_window
before = start_peak_window()
{statement}
after = peak_rss_mb()
print(json.dumps({{"baseline_mb": before, "peak_mb": after, "rise_mb": after - before}}))
"""


def memory_command(module: str | None) -> list[str]:
    """argv of a fresh interpreter that reports the RSS rise caused by `import module`."""
    statement = "pass" if module is None else f"import {module}"
    return [sys.executable, "-c", MEMORY_SNIPPET.format(statement=statement)]
