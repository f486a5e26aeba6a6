"""Run the benchmark: ``python -m bench.run [--quick]`` (``nox -s bench`` does this).

Variants are interleaved within each round (rotating their order) so slow drifts of the
machine hit all of them alike; tables report medians over rounds. Results go to stdout as
Markdown and to ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from . import fastapi_load, report, startup
from .procs import PROJECT_ROOT, pinning_available, run_worker, running_server
from .variants import ALL_VARIANTS, CANDIDATES, VARIANTS

PROFILES: dict[str, dict[str, Any]] = {
    "quick": {
        "rounds": 3,
        "calls": 800,
        "batches": 12,
        "warmup": 100,
        "bursts": 3,
        "burst_seconds": 0.3,
        "rss_calls": 1000,
        "import_runs": 5,
        "first_runs": 3,
        "process_runs": 7,
        "parse_repeat": 2000,
        "fastapi_repeats": 2,
    },
    "default": {
        "rounds": 5,
        "calls": 3000,
        "batches": 20,
        "warmup": 200,
        "bursts": 4,
        "burst_seconds": 0.4,
        "rss_calls": 10000,
        "import_runs": 9,
        "first_runs": 5,
        "process_runs": 15,
        "parse_repeat": 5000,
        "fastapi_repeats": 4,
    },
}
CONCURRENCY = [64, 256]
FASTAPI_CLIENTS = 100
FASTAPI_REQUESTS = 1000
DEFAULT_OUTPUT = PROJECT_ROOT / "bench" / "results" / "latest.json"
#: Committed results the README's figures are written from: ``recorded/<profile>.json``.
RECORDED = PROJECT_ROOT / "bench" / "recorded"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 1-2 minute run")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (medians over them)")
    parser.add_argument(
        "--variants",
        help="comma-separated subset of: "
        + ", ".join(ALL_VARIANTS)
        + "; 'candidates': every pool design tried, with raw httpx and openai",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON output file")
    parser.add_argument("--no-fastapi", action="store_true", help="skip the FastAPI scenario")
    parser.add_argument(
        "--record",
        action="store_true",
        help="also write bench/recorded/<quick|default>.json (committed; the README's source)",
    )
    return parser.parse_args(argv)


def installed_version(dist: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, str]:
    """Installed versions of the packages that matter to the numbers."""
    dists = (
        *("httpx", "httpcore", "h11", "aiohttp", "httpx-aiohttp", "attrs", "anyio", "trio"),
        *("sniffio", "openai", "httpx2", "httpcore2", "pydantic", "fastapi", "uvicorn"),
    )
    return {dist: version for dist in (*dists, "verisoul") if (version := installed_version(dist))}


def machine() -> dict[str, Any]:
    """A description of where the numbers came from."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    cores = os.cpu_count() or 1
    pinned = pinning_available()
    summary = (
        f"{cpu}, {cores} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; server pinned to core 0 and clients "
        f"to core 1: {'yes' if pinned else 'no (taskset or a 2nd core missing)'}"
    )
    load = os.getloadavg()[0]
    summary += f"; load average at the start {load:.1f} (other work on the machine adds noise)"
    if "trio" in versions():
        summary += "; NOTE trio is installed, so httpcore imports it on first client construction"
    return {
        "cpu": cpu,
        "cores": cores,
        "python": platform.python_version(),
        "pinned": pinned,
        "platform": platform.platform(),
        "versions": versions(),
        "summary": summary,
    }


def choose_variants(selection: str | None) -> tuple[list[str], dict[str, str]]:
    """The variants to run and the ones skipped here, with reasons."""
    names = selection.split(",") if selection else list(VARIANTS)
    if "candidates" in names:  # the pool designs of issue 16 beside their baselines
        baselines = ["raw-async", "openai-async", "raw-sync", "openai-sync"]
        names = [name for name in names if name != "candidates"]
        names += [name for name in [*baselines, *CANDIDATES] if name not in names]
    unknown = [name for name in names if name not in ALL_VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variants: {unknown}; choose from {list(ALL_VARIANTS)}")
    skipped = {name: reason for name in names if (reason := ALL_VARIANTS[name].missing())}
    return [name for name in names if name not in skipped], skipped


def rotated(items: list[str], by: int) -> list[str]:
    """``items`` rotated left by ``by`` places (a different order each round)."""
    by %= max(len(items), 1)
    return items[by:] + items[:by]


def measure_all(base_url: str, names: list[str], cfg: dict[str, Any]) -> dict[str, Any]:
    """Every measurement, variants interleaved; returns the raw results."""
    rounds: list[dict[str, Any]] = []
    for index in range(cfg["rounds"]):
        job = dict(cfg, kind="round", variants=rotated(names, index), base_url=base_url)
        rounds.append(run_worker(job))
        p50s = ", ".join(f"{name} {rounds[-1][name]['p50_us']:.0f}" for name in names)
        print(f"  round {index + 1}/{cfg['rounds']}, p50 us: {p50s}", file=sys.stderr)
    rss = {
        name: run_worker(
            {"kind": "rss", "variant": name, "base_url": base_url, "calls": cfg["rss_calls"]}
        )
        for name in names
    }
    imports: dict[str, list[float]] = {"httpx": [], "verisoul": []}
    first_names = [name for name in startup.FIRST_CALL_CODE if name in names]
    first: dict[str, list[dict[str, float]]] = {name: [] for name in first_names}
    for module in imports:  # one discarded run each: make sure bytecode caches exist
        startup.import_seconds(module)
    for index in range(cfg["import_runs"]):
        for module in rotated(list(imports), index):
            imports[module].append(startup.import_seconds(module))
    for index in range(cfg["first_runs"]):
        for name in rotated(first_names, index):
            first[name].append(startup.first_call_seconds(name, base_url))
    commands = startup.whole_processes()
    processes: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # one discarded run each: bytecode caches, page cache
        startup.process_seconds(argv)
    for index in range(cfg["process_runs"]):
        for name in rotated(list(commands), index):
            processes[name].append(startup.process_seconds(commands[name]))
    return {
        "rounds": rounds,
        "rss": rss,
        "imports": imports,
        "first_call": first,
        "processes": processes,
    }


def record_name(profile: str, variants: str | None) -> str:
    """``quick``/``default`` for the standard variants, ``candidates-<profile>`` for those."""
    if variants == "candidates":
        return f"candidates-{profile}"
    return profile if variants is None else f"{profile}-subset"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    profile = "quick" if args.quick else "default"
    cfg = dict(PROFILES[profile], concurrency=CONCURRENCY)
    if args.rounds:
        cfg["rounds"] = args.rounds
    cfg["summary"] = (
        f"{profile}: {cfg['rounds']} rounds (one process each, variants interleaved in "
        f"{cfg['batches']} batches), {cfg['calls']} sequential calls and "
        f"{cfg['bursts']} x {cfg['burst_seconds']} s per concurrency level per variant and "
        f"round; peak RSS after {cfg['rss_calls']} calls; {cfg['import_runs']} import runs"
    )
    names, skipped = choose_variants(args.variants)
    started = time.perf_counter()
    host = machine()
    with running_server() as base_url:
        data: dict[str, Any] = measure_all(base_url, names, cfg)
    fastapi_missing = fastapi_load.available()
    if args.no_fastapi or fastapi_missing:
        skipped["fastapi scenario"] = fastapi_missing or "--no-fastapi"
        data["fastapi"] = None
    else:
        data["fastapi"] = fastapi_load.measure(
            cfg["fastapi_repeats"], FASTAPI_CLIENTS, FASTAPI_REQUESTS
        )
    data["parse"] = run_worker({"kind": "parse", "repeat": cfg["parse_repeat"]})
    data["import_offenders"] = startup.import_offenders("verisoul")
    data.update(machine=host, config=cfg, skipped=skipped, seconds=time.perf_counter() - started)
    data["load_average_after"] = os.getloadavg()[0]
    data["summary"] = report.summarise(data["rounds"])
    data["targets"] = report.targets(data, CONCURRENCY)
    data["profile"] = profile
    text = json.dumps(data, indent=2) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    if args.record:
        RECORDED.mkdir(parents=True, exist_ok=True)
        name = record_name(profile, args.variants)
        (RECORDED / f"{name}.json").write_text(text)
        # What the docs' figure regions cite (scripts/figures.py re-renders them).
        derived = report.figures(data, f"bench/recorded/{name}.json")
        (RECORDED / f"{name}.figures.json").write_text(
            json.dumps(derived, indent=2, ensure_ascii=False) + "\n"
        )
    print(report.render(data))
    recorded = RECORDED / f"{record_name(profile, args.variants)}.json"
    where = f"{args.output}" + (f" and {recorded}" if args.record else "")
    print(f"\n({data['seconds']:.0f} s; JSON written to {where})")


if __name__ == "__main__":
    main()
