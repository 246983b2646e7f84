"""What the numbers were measured on: CPU, cores, Python and library versions, BLAS."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import platform
import sys
import tempfile

LIBRARIES = {"glassnet": "glassnet", "numpy": "numpy", "torch": "torch",
             "sklearn": "scikit-learn", "scipy": "scipy"}


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what `platform` knows.

    Example:
        >>> isinstance(cpu_model(), str)
        True
    """
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def versions() -> dict:
    """Installed versions of glassnet and its rivals (None when not installed), no imports.

    Example:
        >>> versions()["numpy"] is not None
        True
    """
    found = {}
    for name, dist in LIBRARIES.items():
        try:
            found[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def blas() -> list[dict]:
    """The BLAS/OpenMP libraries loaded in this process and their thread counts (threadpoolctl).

    Example:
        >>> isinstance(blas(), list)
        True
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("user_api", "internal_api", "prefix", "version", "num_threads")
    return [{key: info.get(key) for key in keys} for info in threadpool_info()]


def machine() -> dict:
    """Everything the report header shows about the machine.

    Example:
        >>> sorted(machine())[:3]
        ['affinity', 'cores', 'cpu_model']
    """
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return {
        "affinity": len(affinity) if affinity is not None else None,
        "cores": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
    }


def pycache_dir() -> str | None:
    """Where child interpreters keep bytecode when this environment forbids writing it.

    With PYTHONDONTWRITEBYTECODE set, every fresh interpreter would compile torch and
    scikit-learn from source, and case 6 would time the compiler instead of the import a user
    sees (pip writes the bytecode at install time). Children then write it under a directory
    of their own (PYTHONPYCACHEPREFIX), never into the source tree.

    Example:
        >>> pycache_dir() is None or pycache_dir().endswith("glassnet-bench-pycache")
        True
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return None
    return os.path.join(tempfile.gettempdir(), "glassnet-bench-pycache")


def child_env(root: str | None = None) -> dict:
    """Environment for the suite's child interpreters: `root` on PYTHONPATH, bytecode cached.

    Example:
        >>> "PYTHONDONTWRITEBYTECODE" in child_env()
        False
    """
    env = dict(os.environ)
    cache = pycache_dir()
    if cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE")
        env["PYTHONPYCACHEPREFIX"] = cache
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env
