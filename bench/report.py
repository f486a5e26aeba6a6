"""Turn raw per-round results into medians, ratios, target checks and Markdown tables."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from typing import Any

from .variants import ALL_VARIANTS, CANDIDATES

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
            row[f"{key}_cpu_us"] = value.get("cpu_us", 0.0)
            row[f"{key}_connections"] = value["connections_opened"]
            row[f"{key}_errors"] = value["errors"]
    return row


def paired_ratio(rounds: list[dict[str, Any]], name: str, base: str, metric: str) -> float:
    """Median over rounds of ``name``'s metric over ``base``'s in the same round.

    Both ran interleaved in one process, so load drifts cancel out of each round's ratio.
    """
    return median(flat(r[name])[metric] / flat(r[base])[metric] for r in rounds)


def paired_difference(rounds: list[dict[str, Any]], name: str, base: str, metric: str) -> float:
    """Median over rounds of ``name``'s metric minus ``base``'s in the same round."""
    return median(flat(r[name])[metric] - flat(r[base])[metric] for r in rounds)


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per variant, the median over rounds of every metric, and its paired ratio to the
    raw httpx baseline of the same flavour (``<metric>_ratio``)."""
    summary: dict[str, Any] = {}
    for name in rounds[0]:
        metrics = flat(rounds[0][name])
        row = {key: median(flat(r[name])[key] for r in rounds) for key in metrics}
        base = ALL_VARIANTS[name].baseline
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
        cells = [ALL_VARIANTS[name].label] + [cell(row, m, ".0f") for m in METRICS]
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
    base = rss.get(ALL_VARIANTS[name].baseline)
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
        rows.append([ALL_VARIANTS[name].label, *cells])
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


def same_variant_ratio(rounds: list[dict[str, Any]], name: str, top: str, bottom: str) -> float:
    """Median over rounds of one variant's ``top`` metric over its ``bottom`` metric."""
    return median(flat(r[name])[top] / flat(r[name])[bottom] for r in rounds)


def paired_runs_ratio(runs: dict[str, list[float]], top: str, bottom: str) -> float | None:
    """Median of run i's ``top`` over run i's ``bottom`` (runs interleaved in rotation)."""
    if not runs.get(top) or not runs.get(bottom):
        return None
    return median(t / b for t, b in zip(runs[top], runs[bottom], strict=False))


def fastapi_ratio(data: dict[str, Any], metric: str) -> float | None:
    """Median over repeats of the default transport's ``metric`` over aiohttp's."""
    runs = (data.get("fastapi") or {}).get("runs") or []
    if not runs:
        return None
    return median(run["httpx"][metric] / run["aiohttp"][metric] for run in runs)


def targets(data: dict[str, Any], levels: list[int]) -> list[dict[str, Any]]:
    """Issue 16's targets (and issue 7's RSS and parsing), each measured and met/missed."""
    summary, rounds, rss = data["summary"], data["rounds"], data["rss"]
    out: list[dict[str, Any]] = []
    ratio: float | None
    for level in levels:
        key = f"c{level}_calls_per_s"
        if {"sdk-async", "openai-async"} <= summary.keys():
            ratio = paired_ratio(rounds, "sdk-async", "openai-async", key)
            check(out, f"1. AsyncVerisoul calls/s @{level} / openai async", ratio, 1.2, False, "x")
        if {"sdk-async", "raw-async"} <= summary.keys():
            ratio = summary["sdk-async"][f"{key}_ratio"]
            check(out, f"1. AsyncVerisoul calls/s @{level} / raw httpx", ratio, 1.5, False, "x")
    for level in levels:
        key = f"c{level}_calls_per_s"
        if {"sdk-sync", "openai-sync"} <= summary.keys():
            ratio = paired_ratio(rounds, "sdk-sync", "openai-sync", key)
            check(
                out, f"2. Verisoul threads calls/s @{level} / openai sync", ratio, 1.0, False, "x"
            )
    for sdk, raw, label in (
        ("sdk-async", "raw-async", "AsyncVerisoul"),
        ("sdk-sync", "raw-sync", "Verisoul"),
    ):
        if {sdk, raw} <= summary.keys():
            for metric, text in (("p50_us", "p50"), ("cpu_us", "CPU per call")):
                ratio = summary[sdk][f"{metric}_ratio"]
                check(out, f"3. {label} sequential {text} / raw httpx", ratio, 1.05, True, "x")
    for sdk, label in (("sdk-async", "AsyncVerisoul"), ("sdk-sync", "Verisoul")):
        top = f"c{max(levels)}_cpu_us"
        if sdk in summary and top in flat(rounds[0][sdk]):
            ratio = same_variant_ratio(rounds, sdk, top, "cpu_us")
            check(
                out, f"4. {label} CPU per call @{max(levels)} / sequential", ratio, 2.0, True, "x"
            )
    processes = data.get("processes") or {}
    httpx_process = "python -c 'import httpx'"
    ratio = paired_runs_ratio(processes, "python -c 'import verisoul'", httpx_process)
    check(out, "5. `import verisoul` process / `import httpx` process", ratio, 1.25, True, "x")
    ratio = paired_runs_ratio(processes, "verisoul --help", httpx_process)
    check(out, "6. `verisoul --help` process / `import httpx` process", ratio, 1.5, True, "x")
    for level in levels:
        key = f"c{level}_calls_per_s"
        if {"sdk-async-aiohttp", "sdk-async"} <= summary.keys():
            ratio = paired_ratio(rounds, "sdk-async-aiohttp", "sdk-async", key)
            check(out, f"7. aiohttp transport calls/s @{level} / default", ratio, 3.0, False, "x")
    check(out, "8. FastAPI p99, default / aiohttp", fastapi_ratio(data, "p99_ms"), 2.0, True, "x")
    ratio = fastapi_ratio(data, "requests_per_s")
    check(out, "8. FastAPI requests/s, default / aiohttp", ratio, 0.5, False, "x")
    for sdk, raw in (("sdk-async", "raw-async"), ("sdk-sync", "raw-sync")):
        if sdk in rss and raw in rss:
            extra = rss[sdk]["peak_rss_mb"] - rss[raw]["peak_rss_mb"]
            check(out, f"(issue 7) {sdk} peak RSS over {raw}", extra, 5, True, "MB")
    if data["parse"].get("parse_us") is not None:
        check(
            out, "(issue 7) parse verify-face response", data["parse"]["parse_us"], 50, True, "us"
        )
    return out


SIDE_BY_SIDE = {
    "async": ("raw-async", "openai-async", "sdk-async", "sdk-async-aiohttp", "raw-async-aiohttp"),
    "sync": ("raw-sync", "openai-sync", "sdk-sync"),
}


def side_by_side(data: dict[str, Any], flavour: str, levels: list[int]) -> str:
    """One flavour's clients as columns (openai among them), metrics as rows."""
    summary, rss = data["summary"], data["rss"]
    names = [name for name in SIDE_BY_SIDE[flavour] if name in summary]
    rows = [
        ["p50 us (sequential)", *(f"{summary[n]['p50_us']:,.0f}" for n in names)],
        ["p99 us (sequential)", *(f"{summary[n]['p99_us']:,.0f}" for n in names)],
        ["CPU us per call (sequential)", *(f"{summary[n]['cpu_us']:,.0f}" for n in names)],
    ]
    for level in levels:
        key = f"c{level}"
        rows.append(
            [f"calls/s @{level}", *(f"{summary[n][f'{key}_calls_per_s']:,.0f}" for n in names)]
        )
        rows.append(
            [f"CPU us per call @{level}", *(f"{summary[n][f'{key}_cpu_us']:,.0f}" for n in names)]
        )
        rows.append(
            [
                f"connections opened @{level}",
                *(f"{summary[n][f'{key}_connections']:,.0f}" for n in names),
            ]
        )
    rows.append(
        ["peak RSS MB", *(f"{rss[n]['peak_rss_mb']:.1f}" if n in rss else "-" for n in names)]
    )
    return markdown_table(["", *(ALL_VARIANTS[n].label for n in names)], rows)


def candidates_table(data: dict[str, Any], levels: list[int]) -> str:
    """Each pool design tried, with calls/s and CPU per call under load, paired ratios to
    raw httpx (default limits) and to the openai SDK of the same flavour."""
    summary, rounds = data["summary"], data["rounds"]
    rows = []
    baselines = ("raw-async", "openai-async", "raw-sync", "openai-sync")
    for name in summary:
        if name not in CANDIDATES and name not in baselines:
            continue
        peer = "openai-async" if ALL_VARIANTS[name].is_async else "openai-sync"
        cells = [ALL_VARIANTS[name].label, f"{summary[name]['cpu_us']:,.0f}"]
        for level in levels:
            key = f"c{level}_calls_per_s"
            raw = summary[name].get(f"{key}_ratio")
            to_peer = paired_ratio(rounds, name, peer, key) if peer in summary else None
            ratios = ", ".join(
                text
                for text in (
                    f"{raw:.2f}x raw" if raw is not None else "",
                    f"{to_peer:.2f}x openai" if to_peer is not None else "",
                )
                if text
            )
            cells.append(f"{summary[name][key]:,.0f} ({ratios})")
            cells.append(f"{summary[name][f'c{level}_cpu_us']:,.0f}")
        rows.append(cells)
    header = ["client", "CPU us/call sequential"]
    for level in levels:
        header += [f"calls/s @{level}", f"CPU us/call @{level}"]
    return markdown_table(header, rows)


def processes_table(processes: dict[str, list[float]]) -> str:
    """Whole-process times (median) and their paired ratio to ``import httpx``."""
    base = "python -c 'import httpx'"
    rows = []
    for name, runs in processes.items():
        ratio = paired_runs_ratio(processes, name, base)
        rows.append([f"`{name}`", f"{median(runs) * 1000:.0f}", f"{ratio:.2f}x" if ratio else ""])
    return markdown_table(["whole process", "ms (median)", "paired ratio to import httpx"], rows)


def fastapi_table(fastapi: dict[str, Any]) -> str:
    """The FastAPI scenario: medians over repeats per transport."""
    rows = []
    for transport in ("httpx", "aiohttp"):
        results = [run[transport] for run in fastapi["runs"]]
        rows.append(
            [
                "default (httpx)" if transport == "httpx" else "aiohttp",
                f"{median(r['requests_per_s'] for r in results):,.0f}",
                f"{median(r['p50_ms'] for r in results):,.0f}",
                f"{median(r['p99_ms'] for r in results):,.0f}",
                f"{sum(r['errors'] for r in results)}",
            ]
        )
    header = ["AsyncVerisoul transport", "requests/s", "p50 ms", "p99 ms", "errors"]
    return markdown_table(header, rows)


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
        "Async clients side by side (median of rounds):",
        side_by_side(data, "async", levels),
        "",
        "Sync clients side by side, threads for concurrency (median of rounds):",
        side_by_side(data, "sync", levels),
        "",
        "Per call (median of rounds; ratio to raw httpx of the same flavour, async or sync):",
        per_call_table(data["summary"], data["rss"], levels),
        "",
        "Whole processes (paired, rotated runs):",
        processes_table(data.get("processes") or {}),
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
        "Issue 16 targets (ratios paired within a round, medians over rounds):",
        targets_table(data["targets"]),
    ]
    if any(name in CANDIDATES for name in data["summary"]):
        parts[-2:-2] = [
            "Pool designs (raw httpx on each; ratios paired within a round):",
            candidates_table(data, levels),
            "",
        ]
    if data.get("fastapi"):
        fastapi = data["fastapi"]
        parts[-2:-2] = [
            f"FastAPI scenario ({fastapi['clients']} keep-alive clients, {fastapi['requests']} "
            f"requests after one warm-up request each; median of {len(fastapi['runs'])} "
            "repeats):",
            fastapi_table(fastapi),
            "",
        ]
    if data["skipped"]:
        parts += [
            "",
            "Skipped variants: " + "; ".join(f"{k} ({v})" for k, v in data["skipped"].items()),
        ]
    return "\n".join(parts)


def slug(text: str) -> str:
    """A key for the figures record: lower case, runs of other characters as ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def figures(data: dict[str, Any], derived_from: str) -> dict[str, Any]:
    """What the docs quote from a recorded run, computed by this module: the tables exactly
    as :func:`render` prints them, and the medians / paired ratios that are not fields of
    the run's JSON. ``scripts/figures.py`` renders the docs' figure regions from it, and
    ``tests/test_figures.py`` checks it is what this function computes from the run."""
    levels = data["config"]["concurrency"]
    tables: dict[str, str] = {
        "async": side_by_side(data, "async", levels),
        "sync": side_by_side(data, "sync", levels),
        "per_call": per_call_table(data["summary"], data["rss"], levels),
        "targets": targets_table(data["targets"]),
    }
    out: dict[str, Any] = {
        "source": (
            f"python -m bench.report {derived_from} --figures: medians, paired ratios and "
            f"tables computed from that recorded run (see its machine, config and "
            f"load_average_after); regenerate after re-recording it"
        ),
        "derived_from": derived_from,
        "tables": tables,
        "targets": {slug(v["target"]): v["value"] for v in data["targets"]},
        "summary": data["summary"],
    }
    if data.get("processes"):
        processes = data["processes"]
        tables["processes"] = processes_table(processes)
        base = "python -c 'import httpx'"
        out["processes"] = {
            slug(name): {
                "ms": median(runs) * 1000,
                "ratio": paired_runs_ratio(processes, name, base),
            }
            for name, runs in processes.items()
        }
    if data.get("imports") and data.get("first_call"):
        tables["startup"] = startup_table(data["imports"], data["first_call"])
    if data.get("fastapi"):
        tables["fastapi"] = fastapi_table(data["fastapi"])
        out["fastapi"] = {
            transport: {
                metric: median(run[transport][metric] for run in data["fastapi"]["runs"])
                for metric in ("requests_per_s", "p50_ms", "p99_ms")
            }
            for transport in ("httpx", "aiohttp")
        }
    if any(name in CANDIDATES for name in data["summary"]):
        tables["candidates"] = candidates_table(data, levels)
    return out


def main() -> None:
    """``python -m bench.report FILE.json``: print the tables of a recorded run again.

    ``python -m bench.report FILE.json --figures OUT.json`` writes :func:`figures` instead,
    the record the docs' figure regions cite."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Print a recorded run's tables again.")
    parser.add_argument("run", type=Path)
    parser.add_argument("--figures", type=Path, help="write the docs' figures record here")
    args = parser.parse_args()
    data = json.loads(args.run.read_text())
    if args.figures is None:
        print(render(data))
        return
    record = figures(data, args.run.as_posix())
    args.figures.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
