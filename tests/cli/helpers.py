"""Helpers for the command-line tests: small CSV files and file signatures."""

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SPECIES = np.array(["setosa", "versicolor", "virginica"])


def write_csv(path, header, rows) -> str:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def flower_rows(n_per_class=30, seed=0):
    """Three well separated clusters in 4 features, labelled with text."""
    rng = np.random.default_rng(seed)
    centers = np.array([[0, 0, 0, 0], [4, 4, 0, 0], [0, 4, 4, 4]], dtype=float)
    rows = []
    for k, center in enumerate(centers):
        points = center + rng.normal(0, 0.5, (n_per_class, 4))
        rows += [[*np.round(p, 3), SPECIES[k]] for p in points]
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]
