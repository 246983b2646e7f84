"""Turn measured results into the JSON record and the Markdown tables."""

from __future__ import annotations

COLUMNS = ("implementation", "median", "range", "glassnet ÷ this", "× floor", "GFLOP/s",
           "foreign load", "peak memory rise", "note")
DASH = "—"


def fmt(value: float | None) -> str:
    """Three significant digits, no exponent for everyday magnitudes.

    Example:
        >>> [fmt(v) for v in (1234.5, 56.78, 3.14159, 0.012345, None)]
        ['1234', '56.8', '3.14', '0.0123', '—']
    """
    if value is None:
        return DASH
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def glassnet_ratios(results) -> dict:
    """{glassnet key: {rival or floor key: glassnet median / its median}} over rows that ran.

    Below 1 means glassnet is faster than that contestant.

    Example:
        >>> from benchmarks.harness import Implementation, Result, Sample
        >>> def row(key, kind, seconds):
        ...     r = Result(Implementation(key, key, kind, None), "ok")
        ...     r.samples = [Sample(seconds, None, 0, False)]
        ...     return r
        >>> glassnet_ratios([row("gn", "glassnet", 0.8), row("torch", "rival", 1.0)])
        {'gn': {'torch': 0.8}}
    """
    ran = [r for r in results if r.status == "ok"]
    others = [r for r in ran if r.impl.kind in ("rival", "floor")]
    return {g.impl.key: {o.impl.key: g.median / o.median for o in others}
            for g in ran if g.impl.kind == "glassnet"}


def _row_record(case, result, floor, ratios) -> dict:
    record = {"key": result.impl.key, "label": result.impl.label, "kind": result.impl.kind,
              "status": result.status, "reason": result.reason, "note": result.note,
              "memory": result.memory, "extra": result.extra, "unit": case.unit}
    if result.status != "ok":
        return record
    loads = [s.load for s in result.samples if s.load is not None]
    known = [s for s in result.samples if s.foreign is not None and s.wall]
    # foreign CPU seconds over wall seconds of all kept samples: steadier than a median of
    # per-sample ratios, whose tick counting is coarse for short measurements
    window = sum(s.wall for s in known)
    load = sum(s.foreign for s in known) / window if known else None
    median_s = result.median
    record.update({
        "times_s": result.times,
        "median_s": median_s,
        "median": case.per_unit(median_s),
        "min": case.per_unit(min(result.times)),
        "max": case.per_unit(max(result.times)),
        "loads": loads,
        "load": load,
        "load_window_s": window,
        "retries": sum(s.retries for s in result.samples),
        "disturbed": sum(s.disturbed for s in result.samples),
        "gflops": case.flops / median_s / 1e9 if case.flops and result.impl.kind != "baseline"
        else None,
        "x_floor": median_s / floor.median if floor is not None else None,
        "glassnet_over_this": {g: r[result.impl.key] for g, r in ratios.items()
                               if result.impl.key in r},
    })
    return record


def case_record(case, results, settings=None) -> dict:
    """The JSON record of one case: its parameters, a row per implementation, the ratios.

    `settings` (the `Settings` the case ran with) is recorded when given.

    Example:
        >>> from benchmarks.cases import build_case
        >>> case_record(build_case(2, quick=True), [])["unit"]
        'µs/step'
    """
    floor = next((r for r in results if r.impl.key == case.floor and r.status == "ok"), None)
    ratios = glassnet_ratios(results)
    used = None if settings is None else {"warmup": settings.warmup,
                                          "repeats": settings.repeats}
    return {"id": case.id, "title": case.title, "unit": case.unit, "params": case.params,
            "settings": used, "flops_per_run": case.flops, "floor": case.floor,
            "ratios": ratios,
            "results": [_row_record(case, r, floor, ratios) for r in results]}


def _ratio_cell(row, tags) -> str:
    """One ratio, or several tagged by front door when the case has several glassnet rows."""
    ratios = row.get("glassnet_over_this") or {}
    if not ratios:
        return DASH
    if len(tags) == 1:
        return fmt(next(iter(ratios.values())))
    return ", ".join(f"{fmt(value)} ({tags[key]})" for key, value in ratios.items())


SHORT_WINDOW_S = 0.2  # /proc/stat counts in 10 ms ticks: shorter windows say little


def _load_cell(row) -> str:
    if row.get("load") is None:
        return "n/a"
    text = f"{row['load']:.2f}"
    if row["load_window_s"] < SHORT_WINDOW_S:
        text = f"({text}, short)"
    if row["retries"]:
        text += f", {row['retries']} retried"
    if row["disturbed"]:
        text += ", still busy"
    return text


def _memory_cell(row) -> str:
    memory = row.get("memory") or {}
    if memory.get("status") == "ok":
        return f"{memory['rise_mb']:.1f} MB"
    if memory.get("status") == "skipped":
        return memory.get("reason", "skipped")
    if memory.get("status") == "failed":
        return "failed"
    return DASH


def _note_cell(row) -> str:
    parts = []
    if row["status"] != "ok":
        parts.append(f"{row['status']}: {row['reason']}")
    if row.get("note"):
        parts.append(row["note"])
    extra = row.get("extra") or {}
    if "accuracy" in extra:
        verb = "reached" if extra.get("reached") else "NOT reached, best"
        epochs = f"{extra['epochs']} epoch" + "s" * (extra["epochs"] != 1)
        parts.append(f"{verb} {extra['accuracy']:.3f} in {epochs}")
    memory = row.get("memory") or {}
    if memory.get("status") == "failed":
        parts.append(f"memory: {memory.get('reason', '')}")
    return "; ".join(parts).replace("|", "/")


def case_markdown(record: dict) -> str:
    """The Markdown table of one case record.

    Example:
        >>> from benchmarks.cases import build_case
        >>> print(case_markdown(case_record(build_case(2, quick=True), [])).splitlines()[0])
        ### Case 2. Tiny network: XOR 2-4-1, full-batch Adam steps (µs/step, lower is better)
    """
    tags = {row["key"]: _tag(row) for row in record["results"] if row["kind"] == "glassnet"}
    used = record.get("settings")
    repeats = f", median of {used['repeats']}" if used else ""
    lines = [f"### Case {record['id']}. {record['title']} ({record['unit']}, lower is better"
             f"{repeats})",
             "", "| " + " | ".join(COLUMNS) + " |",
             "|---|" + "---:|" * (len(COLUMNS) - 2) + "---|"]
    for row in record["results"]:
        if row["status"] == "ok":
            cells = [fmt(row["median"]), f"{fmt(row['min'])}–{fmt(row['max'])}",
                     _ratio_cell(row, tags), fmt(row["x_floor"]), fmt(row["gflops"]),
                     _load_cell(row), _memory_cell(row)]
        else:
            cells = [DASH] * 7
        lines.append("| " + " | ".join([row["label"], *cells, _note_cell(row)]) + " |")
    return "\n".join(lines) + "\n"


def _tag(row) -> str:
    key = row["key"]
    return key.split("-", 1)[1] if key.startswith("glassnet-") else key


def header_markdown(meta: dict) -> str:
    """The lines above the tables: command, machine, versions, how it was measured."""
    versions = meta["versions"]
    shown = " · ".join(f"{name} {version or 'not installed'}"
                       for name, version in versions.items())
    blas = ", ".join(f"{b['internal_api']} {b['version'] or '?'} ({b['prefix']}, "
                     f"{b['num_threads']} threads)" for b in meta.get("blas", []))
    settings = meta["settings"]
    load = ("foreign CPU load read from /proc/stat" if meta["load_source"] else
            "foreign CPU load unknown (no /proc/stat)")
    machine = meta["machine"]
    return "\n".join([
        "# glassnet benchmarks",
        "",
        f"- Command: `{meta['command']}` ({meta['mode']} run, {meta['started']})",
        f"- Machine: {machine['cpu_model']}, {machine['cores']} cores ({machine['affinity']} "
        f"usable), {machine['platform']}, Python {machine['python']}",
        f"- Versions: {shown}; torch threads: {meta['torch_threads']}",
        f"- BLAS / OpenMP: {blas or 'unknown'}",
        f"- Method: implementations alternate in one process; warm-up {settings['warmup']}, "
        f"median of {settings['repeats']} repeats unless the case heading says otherwise; "
        f"{load}; {_retry_rule(settings)}; memory = peak-RSS rise of one run in its own "
        "process over the baseline after imports and data.",
        "- Reading it: median in the case's unit; *glassnet ÷ this* < 1 means glassnet is "
        "faster than that row; *× floor* = this row's time / the floor row's time; GFLOP/s "
        "counts only the matrix multiplies.",
        "",
    ])


def _retry_rule(settings: dict) -> str:
    limit = f"more than {settings['max_load']} cores of it"
    if settings["max_retries"] == 0:
        return f"a measurement with {limit} is flagged, not repeated"
    return f"a measurement with {limit} is repeated (at most {settings['max_retries']} times)"


def markdown(report: dict) -> str:
    """The whole Markdown document: header, then one table per case."""
    tables = [case_markdown(record) for record in report["cases"].values()]
    return header_markdown(report["meta"]) + "\n" + "\n".join(tables)
