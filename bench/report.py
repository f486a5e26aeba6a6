"""Turn raw per-round results into medians, ratios, target checks and Markdown tables."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any

from .variants import VARIANTS

# Issue 7's measured anchors for the openai SDK on this kind of machine (not re-measured here).
OPENAI_ASYNC_CALLS_PER_S = {64: 1035, 256: 625}

METRICS = ("p50_us", "p99_us", "cpu_us")


def median(values: Iterable[float]) -> float:
    """Median of a non-empty iterable."""
    return statistics.median(list(values))


def flat(result: dict[str, Any]) -> dict[str, float]:
    """One variant's round result as ``{metric: number}`` (``c64_calls_per_s``...)."""
    row = {metric: result[metric] for metric in METRICS}
    for key, value in result.items():
        if isinstance(value, dict):
            row[f"{key}_calls_per_s"] = value["calls_per_s"]
            row[f"{key}_connections"] = value["connections_opened"]
            row[f"{key}_errors"] = value["errors"]
    return row


def paired_ratio(rounds: list[dict[str, Any]], name: str, base: str, metric: str) -> float:
    """Median over rounds of ``name``'s metric over ``base``'s in the same round.

    Both ran interleaved in one process, so load drifts cancel out of each round's ratio.
    """
    return median(flat(r[name])[metric] / flat(r[base])[metric] for r in rounds)


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per variant, the median over rounds of every metric, and its paired ratio to the
    raw httpx baseline of the same flavour (``<metric>_ratio``)."""
    summary: dict[str, Any] = {}
    for name in rounds[0]:
        metrics = flat(rounds[0][name])
        row = {key: median(flat(r[name])[key] for r in rounds) for key in metrics}
        base = VARIANTS[name].baseline
        if base in rounds[0]:
            for key in list(metrics):
                if key.endswith(("_us", "_calls_per_s")):
                    row[f"{key}_ratio"] = paired_ratio(rounds, name, base, key)
        summary[name] = row
    return summary


def cell(row: dict[str, Any], key: str, fmt: str) -> str:
    """A value with its ratio to the raw baseline, e.g. ``637 (1.03x)``."""
    ratio = row.get(f"{key}_ratio")
    text = format(row[key], fmt)
    return text if ratio is None else f"{text} ({ratio:.2f}x)"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def per_call_table(summary: dict[str, Any], rss: dict[str, Any], levels: list[int]) -> str:
    """Latency, CPU, throughput and RSS per variant, with ratios to the raw httpx baseline."""
    header = ["client", "p50 us", "p99 us", "CPU/call us"]
    header += [f"calls/s @{level} (conns opened)" for level in levels] + ["peak RSS MB"]
    rows = []
    for name, row in summary.items():
        cells = [VARIANTS[name].label] + [cell(row, m, ".0f") for m in METRICS]
        for level in levels:
            conns = row[f"c{level}_connections"]
            cells.append(cell(row, f"c{level}_calls_per_s", ",.0f") + f" ({conns:.0f})")
        cells.append(rss_cell(name, rss))
        rows.append(cells)
    return markdown_table(header, rows)


def rss_cell(name: str, rss: dict[str, Any]) -> str:
    """Peak RSS with the difference to the baseline's."""
    if name not in rss:
        return "-"
    base = rss.get(VARIANTS[name].baseline)
    peak = rss[name]["peak_rss_mb"]
    if base is None:
        return f"{peak:.1f}"
    return f"{peak:.1f} ({peak - base['peak_rss_mb']:+.1f})"


def startup_table(
    imports: dict[str, list[float]], first: dict[str, list[dict[str, float]]]
) -> str:
    """Median import and import-to-first-result times in milliseconds."""
    rows = [[f"`import {m}`", f"{median(v) * 1000:.1f}", "", "", ""] for m, v in imports.items()]
    for name, runs in first.items():
        keys = ("import_s", "construct_s", "first_call_s", "total_s")
        cells = [f"{median(r[key] for r in runs) * 1000:.1f}" for key in keys]
        rows.append([VARIANTS[name].label, *cells])
    header = ["what", "import ms", "construct ms", "first call ms", "import to first result ms"]
    return markdown_table(header, rows)


def check(
    results: list[dict[str, Any]],
    name: str,
    value: float | None,
    limit: float,
    at_most: bool,
    unit: str,
) -> None:
    """Append one target verdict (skipped when the value was not measured)."""
    if value is None:
        return
    met = value <= limit if at_most else value >= limit
    sign = "<=" if at_most else ">="
    results.append(
        {
            "target": name,
            "value": round(value, 3),
            "limit": f"{sign} {limit}",
            "unit": unit,
            "met": met,
        }
    )


def targets(data: dict[str, Any], levels: list[int]) -> list[dict[str, Any]]:
    """Issue 7's targets, each with the measured value and met/missed."""
    summary, rounds, rss = data["summary"], data["rounds"], data["rss"]
    out: list[dict[str, Any]] = []
    for sdk, raw in (("sdk-async", "raw-async"), ("sdk-sync", "raw-sync")):
        if sdk in summary and raw in summary:
            for m in ("p50_us", "cpu_us"):
                check(out, f"{sdk} {m} / {raw}", summary[sdk][f"{m}_ratio"], 1.05, True, "x")
            extra_cpu = summary[sdk]["cpu_us"] - summary[raw]["cpu_us"]
            check(out, f"{sdk} CPU per call over {raw}", extra_cpu, 30, True, "us")
            for level in levels:
                key = f"c{level}_calls_per_s"
                check(
                    out,
                    f"{sdk} calls/s @{level} / {raw}",
                    summary[sdk][f"{key}_ratio"],
                    1.5,
                    False,
                    "x",
                )
        if sdk in rss and raw in rss:
            extra = rss[sdk]["peak_rss_mb"] - rss[raw]["peak_rss_mb"]
            check(out, f"{sdk} peak RSS over {raw}", extra, 5, True, "MB")
    for level in levels:
        key = f"c{level}_calls_per_s"
        if "sdk-async" in summary and level in OPENAI_ASYNC_CALLS_PER_S:
            check(
                out,
                f"sdk-async calls/s @{level} vs openai async (issue 7 anchor)",
                summary["sdk-async"][key],
                OPENAI_ASYNC_CALLS_PER_S[level],
                False,
                "calls/s",
            )
        if "sdk-async-aiohttp" in summary and "sdk-async" in summary:
            check(
                out,
                f"sdk-async-aiohttp calls/s @{level} / sdk-async",
                paired_ratio(rounds, "sdk-async-aiohttp", "sdk-async", key),
                2.5,
                False,
                "x",
            )
    if data["imports"].get("verisoul"):
        check(out, "import verisoul", median(data["imports"]["verisoul"]) * 1000, 80, True, "ms")
    if data["parse"].get("parse_us") is not None:
        check(out, "parse verify-face response", data["parse"]["parse_us"], 50, True, "us")
    for name in ("sdk-sync", "sdk-async"):
        if data["first_call"].get(name):
            total = median(r["total_s"] for r in data["first_call"][name]) * 1000
            check(out, f"{name} import to first result", total, 150, True, "ms")
    return out


def targets_table(verdicts: list[dict[str, Any]]) -> str:
    """The target verdicts as Markdown."""
    rows = [
        [v["target"], f"{v['value']:g} {v['unit']}", v["limit"], "met" if v["met"] else "MISSED"]
        for v in verdicts
    ]
    return markdown_table(["target", "measured", "target", "verdict"], rows)


def offenders_table(offenders: list[dict[str, Any]]) -> str:
    """``-X importtime`` top modules by self time."""
    rows = [
        [o["module"], f"{o['self_us'] / 1000:.1f}", f"{o['cumulative_us'] / 1000:.1f}"]
        for o in offenders
    ]
    return markdown_table(["module", "self ms", "cumulative ms"], rows)


def render(data: dict[str, Any]) -> str:
    """The whole human-readable report."""
    levels = data["config"]["concurrency"]
    parts = [
        f"Machine: {data['machine']['summary']}",
        f"Config: {data['config']['summary']}; load average at the end "
        f"{data['load_average_after']:.1f}",
        "",
        "Per call (median of rounds; ratio to raw httpx of the same flavour, async or sync):",
        per_call_table(data["summary"], data["rss"], levels),
        "",
        "Start-up (median of fresh interpreters):",
        startup_table(data["imports"], data["first_call"]),
        "",
        f"Parsing a verify-face response ({data['parse']['body_bytes']} bytes): "
        f"json.loads {data['parse']['json_loads_us']:.1f} us, SDK parser "
        + ("n/a" if data["parse"]["parse_us"] is None else f"{data['parse']['parse_us']:.1f} us"),
        "",
        "`python -X importtime -c 'import verisoul'`, top self time:",
        offenders_table(data["import_offenders"]),
        "",
        "Issue 7 targets:",
        targets_table(data["targets"]),
    ]
    if data["skipped"]:
        parts += [
            "",
            "Skipped variants: " + "; ".join(f"{k} ({v})" for k, v in data["skipped"].items()),
        ]
    return "\n".join(parts)
