"""Reading a submission and running it top to bottom (the notebook status)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lecture2.checks import STATUSES

#: An exercise's status in the table: the checks' own statuses.
EXERCISE_STATUSES = STATUSES
NOTEBOOK_STATUSES = ("ok", "crashed", "timeout", "invalid", "empty", "not run")
DEFAULT_TIMEOUT = 120.0


@dataclass
class Submission:
    """Everything the grader found out about one notebook."""

    path: Path
    notebook: str = "ok"
    note: str = ""
    exercises: list = field(default_factory=list)  # [(check name, function name)]
    cells: list = field(default_factory=list)  # [(check name, source)]
    results: dict = field(default_factory=dict)  # check name -> (status, message)
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.path.name


# ------------------------------------------------------------ reading


def read_submission(path: Path) -> Submission:
    """Read a notebook and find its exercise cells; never raises."""
    from lecture2.checks import EXERCISES

    sub = Submission(Path(path))
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        sub.notebook, sub.note = "invalid", f"cannot read the file: {exc.strerror}"
        return sub
    if not raw.strip():
        sub.notebook, sub.note = "empty", "the file is empty"
        return sub
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        sub.notebook, sub.note = "invalid", f"not valid JSON ({str(exc)[:80]})"
        return sub
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        sub.notebook, sub.note = (
            "invalid",
            "JSON, but not a notebook (no list of cells)",
        )
        return sub
    code_cells = [
        c for c in data["cells"] if isinstance(c, dict) and c.get("cell_type") == "code"
    ]
    if not code_cells:
        sub.notebook, sub.note = "empty", "the notebook has no code cells"
        return sub
    for cell in code_cells:
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        info = meta.get("lecture2") if isinstance(meta.get("lecture2"), dict) else {}
        name = info.get("exercise")
        if not isinstance(name, str):
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            sub.notebook, sub.note = "invalid", "a code cell's source is not text"
            sub.cells, sub.exercises = [], []
            return sub
        if name in EXERCISES:
            sub.cells.append((name, source))
            if name not in dict(sub.exercises):
                sub.exercises.append((name, EXERCISES[name].function))
        else:
            sub.note = f"unknown exercise {name!r} ignored"
    return sub


# ----------------------------------------------- stage 1: the whole notebook


def run_notebook(sub: Submission, timeout: float) -> None:
    """Run the notebook top to bottom in a fresh kernel (status only)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    try:
        nb = nbformat.reads(sub.path.read_text(encoding="utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 (JSON, but nbformat refuses it)
        sub.notebook, sub.note = (
            "invalid",
            f"nbformat cannot read it ({type(exc).__name__})",
        )
        return
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    with tempfile.TemporaryDirectory(prefix="lecture2-grade-") as tmp:
        client = NotebookClient(
            nb,
            timeout=max(1, round(timeout)),
            kernel_name="python3",
            allow_errors=False,
            resources={"metadata": {"path": tmp}},
            env=env,
        )
        try:
            client.execute(cwd=tmp, stderr=subprocess.DEVNULL)
        except CellTimeoutError:
            sub.notebook = "timeout"
            sub.note = f"a cell ran longer than {timeout:g} s ({_failed_cell(nb)})"
        except CellExecutionError as exc:
            sub.notebook = "crashed"
            sub.note = f"{getattr(exc, 'ename', 'error')} in {_failed_cell(nb)}"
        except DeadKernelError:
            sub.notebook, sub.note = "crashed", "the kernel died"
        except Exception as exc:  # noqa: BLE001 (kernel failed to start, etc.)
            sub.notebook, sub.note = "crashed", f"{type(exc).__name__}: {str(exc)[:80]}"


def _failed_cell(nb) -> str:
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, 1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"code cell {i}"
    ran = [i for i, c in enumerate(code, 1) if c.get("execution_count")]
    return f"code cell {ran[-1] + 1 if ran else 1}"
