"""Regenerate the stored outputs of the book's notebooks.

Usage: python tools/execute_notebooks.py [PATH ...]

Each PATH is a notebook or a folder searched recursively for notebooks
(default: book). Every notebook runs in a fresh kernel, from its own folder,
with a timeout on each cell; the outputs are written back in place and the
time each notebook took is printed. Exits non-zero when any notebook fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 120  # seconds per cell; widget cells can stall under nbclient
BUDGET = 30  # seconds a notebook should take (notes/PLAN.md); longer is flagged


def find_notebooks(paths):
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*.ipynb")
                if "_build" not in p.parts and ".ipynb_checkpoints" not in p.parts
            )
        else:
            yield path


def _stable_widget_ids(cell, key: str) -> None:
    """Replace the random model id of each widget view by one made from ``key``.

    No widget state is saved, so the id points at nothing; a fixed id keeps a
    re-run from changing every notebook that holds an explorer.
    """
    for number, output in enumerate(cell.get("outputs", [])):
        view = output.get("data", {}).get(WIDGET_VIEW)
        if view is not None:
            view["model_id"] = hashlib.sha1(f"{key}:{number}".encode()).hexdigest()[:32]


def execute(path: Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # Agg here would remove every inline figure
    # one BLAS thread, as `make nbval` uses: steadier timings and last bits
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute(env=env)  # passed on to the kernel manager's start_kernel
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # no saved widget state: the book shows PNGs
    nb.metadata.setdefault("kernelspec", {}).update(
        name="python3", display_name="Python 3", language="python")
    for index, cell in enumerate(nb.cells):
        cell.get("metadata", {}).pop("execution", None)
        _stable_widget_ids(cell, f"{path.name}:{index}")
    nbformat.write(nb, path)
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["book"])
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT,
                        help="seconds allowed per cell (default %(default)s)")
    args = parser.parse_args(argv)
    failed = []
    for path in find_notebooks(args.paths):
        try:
            seconds = execute(path, args.timeout)
        except Exception as exc:  # noqa: BLE001 (report it, go on with the next notebook)
            failed.append(path)
            print(f"FAILED  {path}: {type(exc).__name__}: {exc}".splitlines()[0],
                  flush=True)
        else:
            flag = f"  (over the {BUDGET} s budget)" if seconds > BUDGET else ""
            print(f"{seconds:6.1f} s  {path}{flag}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
