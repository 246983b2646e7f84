"""Test-session settings shared by tests/ and the doctests under src/.

The suite runs in parallel (pytest-xdist, one worker per core). Each worker keeps BLAS
to one thread: two workers with two OpenBLAS threads each on two cores spin against each
other and make a small matrix multiply up to 40x slower. This only affects the tests;
glassnet itself never changes the user's thread settings.
"""

try:
    import matplotlib

    matplotlib.use("Agg")  # no display in CI (the library itself never touches pyplot)
except ImportError:  # pragma: no cover - the plot extra is optional
    pass

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
    threadpool_limits = None


def pytest_configure(config):
    if threadpool_limits is not None:
        config._glassnet_blas_limit = threadpool_limits(limits=1, user_api="blas")
