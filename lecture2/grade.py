"""Grade submitted notebooks: ``python -m lecture2.grade submissions/*.ipynb``.

For every notebook the grader

1. reads it (a file that is empty or not a notebook gets the notebook status
   ``empty`` or ``invalid`` and is not run);
2. runs the whole notebook in a fresh Jupyter kernel with nbclient, each cell
   under ``--timeout`` seconds, only to report whether it runs from top to
   bottom (notebook status ``ok``, ``crashed`` or ``timeout``); nothing from
   this run is used for the verdicts (``--no-execute`` skips it);
3. grades the exercises in a separate, fresh Python process: that process
   imports :mod:`lecture2.checks` *first*, keeps its own references to the
   check functions and takes a snapshot of the checking code and of the
   modules it relies on (NumPy, math, time, builtins, ...); only then does it
   execute the notebook's ``exercise`` cells (code cells whose metadata has
   ``lecture2.exercise``), in order, each under a time limit, with their
   output discarded. It then looks up each exercise's function by name and
   judges it with the captured check. After every cell and every call of a
   student's function the snapshot is restored, so a notebook that
   redefines ``check_*``, monkeypatches ``lecture2.checks`` (functions,
   their code, classes, the registry) or NumPy gains nothing. Results come
   back on a private channel tagged with a random token that the student's
   code never sees, so printing a fake verdict does not work either.

The result is one row per notebook (file name) and one column per exercise
with ``pass``, ``fail``, ``not attempted``, ``error`` or ``timeout``, written
to ``--out`` (CSV; default ``grades.csv``) and summarised on the terminal.
``--details`` writes every verdict message as well. See ``book/instructor.md``
for the columns, the statuses and the limits of this design.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

EXERCISE_STATUSES = ("pass", "fail", "not attempted", "error", "timeout")
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
        source = "".join(source) if isinstance(source, list) else str(source)
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


# ------------------------------------------ stage 2: grading, in a child


def grade_exercises(sub: Submission, timeout: float, call_limit: float) -> None:
    """Judge the exercise functions in a fresh process; fills sub.results."""
    if not sub.exercises:
        return
    token = secrets.token_hex(16)
    check_limit = 6 * call_limit
    payload = json.dumps(
        {
            "token": token,
            "cells": sub.cells,
            "exercises": sub.exercises,
            "cell_limit": timeout,
            "call_limit": call_limit,
            "check_limit": check_limit,
        }
    )
    hard_limit = timeout + len(sub.exercises) * (check_limit + 2) + 20
    env = dict(os.environ, MPLBACKEND="Agg")
    killed = False
    with tempfile.TemporaryDirectory(prefix="lecture2-grade-") as tmp:
        try:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys, lecture2.grade as g; sys.exit(g._child())",
                ],
                input=payload.encode(),
                capture_output=True,
                timeout=hard_limit,
                cwd=tmp,
                env=env,
                check=False,
            )
            out = proc.stdout
        except subprocess.TimeoutExpired as exc:
            out, killed = exc.stdout or b"", True
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith(token + " "):
            try:
                name, status, message = json.loads(line[len(token) + 1 :])
            except ValueError:
                continue
            if name in dict(sub.exercises) and status in EXERCISE_STATUSES:
                sub.results[name] = (status, message)
    for name, _ in sub.exercises:
        if name not in sub.results:
            sub.results[name] = (
                ("timeout", (f"grading was stopped after {hard_limit:g} s"))
                if killed
                else (
                    "error",
                    (
                        "the grading process ended before this "
                        "exercise (the code exits or crashes Python)"
                    ),
                )
            )


def _child() -> int:
    """The grading process: capture the checks, run the cells, judge."""
    job = json.loads(sys.stdin.read())
    token = job["token"]
    from lecture2.checks import EXERCISES
    from lecture2.checks._harness import (
        AFTER_CALL,
        _TooSlow,  # noqa: F401 (captured before user code)
        judge,
        run_with_time_limit,
    )

    specs = {
        name: (ex.body, ex.forbidden, ex.warn_fails) for name, ex in EXERCISES.items()
    }
    guard = _Guard.__new__(_Guard)
    AFTER_CALL.append(guard.restore)
    guard.__init__()  # the snapshot includes AFTER_CALL with the hook in it
    dumps = json.dumps
    # results go to a private copy of stdout; the student's output goes nowhere
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

    def emit(name, status, message):
        channel.write(token + " " + dumps([name, status, message]) + "\n")
        channel.flush()

    namespace = {"__name__": "__main__", "get_ipython": _NoShell}
    cell_error = {}
    for name, source in job["cells"]:
        try:
            code = compile(_python_source(source), f"<exercise cell {name}>", "exec")
            run_with_time_limit(
                functools.partial(exec, code, namespace), job["cell_limit"]
            )
        except BaseException as exc:  # the student's cell raised or looped
            if isinstance(exc, KeyboardInterrupt):
                raise
            slow = type(exc).__name__ == "_TooSlow"
            cell_error.setdefault(
                name,
                (
                    "timeout",
                    (
                        "the exercise cell did not finish "
                        f"within {job['cell_limit']:g} s"
                    ),
                )
                if slow
                else (
                    "error",
                    (
                        f"the exercise cell raised "
                        f"{type(exc).__name__}: {str(exc)[:100]}"
                    ),
                ),
            )
        finally:
            guard.restore()
    if threading.active_count() > 1:  # could patch the checks while they run
        for name, _ in job["exercises"]:
            emit(
                name,
                "error",
                "the exercise cells leave threads running; the grader "
                "does not judge such a notebook (read its code)",
            )
        return 0
    for name, function in job["exercises"]:
        fn = namespace.get(function)
        if fn is None and name in cell_error:
            emit(name, *cell_error[name])
            continue
        if fn is None:
            emit(name, "not attempted", f"no function named {function} was defined")
            continue
        body, forbidden, warn_fails = specs[name]
        result = judge(
            name, fn, body, forbidden, warn_fails, job["call_limit"], job["check_limit"]
        )
        guard.restore()
        if threading.active_count() > 1:  # started by the function being checked
            emit(
                name,
                "error",
                "the function starts threads; the grader does not "
                "judge it (read its code)",
            )
            continue
        emit(name, result.status, result.message)
    return 0


class _NoShell:
    """Stand-in for get_ipython() in the grading process: magics do nothing."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _python_source(source: str) -> str:
    """IPython syntax (%magic, !shell) turned into plain Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 (no IPython: a simple fallback)
        return "\n".join(
            "pass  # " + line if line.lstrip()[:1] in "%!" else line
            for line in source.splitlines()
        )


class _Guard:
    """Snapshot of the checking code and the modules it uses; ``restore``
    undoes what the student's code changed in them since."""

    MODULES = (
        "numpy",
        "numpy.linalg",
        "numpy.random",
        "numpy.testing",
        "math",
        "time",
        "warnings",
        "signal",
        "threading",
        "copy",
        "numbers",
        "functools",
        "inspect",
        "types",
        "bisect",
        "json",
        "os",
        "importlib",
    )
    VALUES_ONLY = ("builtins", "sys")  # restored, never replaced

    def __init__(self):
        import numpy.linalg
        import numpy.random
        import numpy.testing  # noqa: F401

        self.modules = []
        for name, module in list(sys.modules.items()):
            if (
                name in self.MODULES
                or name in self.VALUES_ONLY
                or name.startswith("lecture2")
            ) and module is not None:
                # only lecture2's own modules lose names the student added
                self.modules.append(
                    (module, dict(vars(module)), not name.startswith("lecture2"))
                )
        self.functions = []
        self.classes = []
        self.containers = []
        self.lists = []
        for module, saved, _ in self.modules:
            if not module.__name__.startswith("lecture2"):
                continue
            for value in saved.values():
                self._remember(value, module.__name__)

    def _remember(self, value, module_name):
        if isinstance(value, type) and value.__module__ == module_name:
            self.classes.append((value, dict(vars(value))))
            for item in vars(value).values():
                self._remember_function(getattr(item, "__func__", item))
        elif isinstance(value, list):
            self.lists.append((value, list(value)))
        elif isinstance(value, dict):
            self.containers.append((value, dict(value)))
            for item in value.values():
                if hasattr(item, "body"):  # Exercise records: their check bodies
                    self._remember_function(item.body)
        else:
            self._remember_function(value)

    def _remember_function(self, fn):
        if hasattr(fn, "__code__") and hasattr(fn, "__globals__"):
            self.functions.append((fn, fn.__code__, fn.__defaults__, fn.__kwdefaults__))

    def restore(self):
        for module, saved, values_only in self.modules:
            current = vars(module)
            if not values_only:
                for key in [k for k in current if k not in saved]:
                    del current[key]
            for key, value in saved.items():
                if current.get(key, _MISSING) is not value:
                    current[key] = value
        for cls, saved in self.classes:
            for key in [k for k in vars(cls) if k not in saved]:
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
            for key, value in saved.items():
                if vars(cls).get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                    except (AttributeError, TypeError):
                        pass
        for container, saved in self.containers:
            if container != saved or any(
                container[k] is not v for k, v in saved.items()
            ):
                container.clear()
                container.update(saved)
        for container, saved in self.lists:
            if len(container) != len(saved) or any(
                a is not b for a, b in zip(container, saved)
            ):
                container[:] = saved
        for fn, code, defaults, kwdefaults in self.functions:
            if fn.__code__ is not code:
                fn.__code__ = code
            fn.__defaults__, fn.__kwdefaults__ = defaults, kwdefaults


_MISSING = object()


# ------------------------------------------------------------ the table


def grade(
    paths,
    out="grades.csv",
    timeout=DEFAULT_TIMEOUT,
    call_limit=None,
    execute=True,
    details=None,
    stream=None,
    jobs=1,
) -> list[Submission]:
    """Grade notebooks and write the CSV table; returns the submissions.

    Parameters
    ----------
    paths : list of path-like
        The submitted notebooks.
    out : path-like or None
        Where to write the table (one row per notebook).
    timeout : float
        Seconds per cell of the notebook run, and for the exercise cells of
        the grading run.
    call_limit : float, optional
        Seconds per call of a student's function (default: the checks'
        CALL_TIME_LIMIT, at most ``timeout``).
    execute : bool
        Run each notebook top to bottom first (notebook status).
    details : path-like, optional
        Also write one row per notebook and exercise with the verdict message.
    stream : file, optional
        Where progress and the summary go (default sys.stdout).
    jobs : int
        Notebooks graded at the same time (each in its own processes).
    """
    from lecture2.checks import CALL_TIME_LIMIT, EXERCISES

    stream = stream or sys.stdout
    call_limit = min(CALL_TIME_LIMIT if call_limit is None else call_limit, timeout)
    total = len(paths)

    def one(path):
        start = time.monotonic()
        sub = read_submission(Path(path))
        try:
            if sub.notebook == "ok":
                if execute:
                    run_notebook(sub, timeout)
                else:
                    sub.notebook = "not run"
            if sub.notebook not in ("invalid", "empty"):
                grade_exercises(sub, timeout, call_limit)
        except Exception as exc:  # noqa: BLE001 (a grader bug must not lose the rest)
            sub.note = f"grader error: {type(exc).__name__}: {exc}"[:200]
            for name, _ in sub.exercises:
                sub.results.setdefault(name, ("error", sub.note))
        sub.seconds = time.monotonic() - start
        return sub

    done = 0

    def report(sub):
        nonlocal done
        done += 1
        passed = sum(s == "pass" for s, _ in sub.results.values())
        note = f" ({sub.note})" if sub.note else ""
        graded = (
            f"{passed}/{len(sub.exercises)} exercises pass"
            if sub.exercises
            else "no exercise cells"
        )
        print(
            f"[{done}/{total}] {sub.name}: notebook {sub.notebook}{note}; {graded} "
            f"({sub.seconds:.1f} s)",
            file=stream,
            flush=True,
        )

    if jobs > 1:
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(one, path): i for i, path in enumerate(paths)}
            subs = [None] * total
            for future in as_completed(futures):
                subs[futures[future]] = future.result()
                report(subs[futures[future]])
    else:
        subs = []
        for path in paths:
            subs.append(one(path))
            report(subs[-1])
    columns = [
        name for name in EXERCISES if any(name in dict(s.exercises) for s in subs)
    ]
    rows = table(subs, columns)
    if out:
        with open(out, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(
                fh,
                fieldnames=list(rows[0])
                if rows
                else ["file", "notebook", "passed", "total", "note"],
            )
            writer.writeheader()
            writer.writerows(rows)
    if details:
        with open(details, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "exercise", "status", "message"])
            for sub in subs:
                for name in columns:
                    status, message = _status(sub, name)
                    writer.writerow([sub.name, name, status, message])
    summary(subs, columns, stream)
    return subs


def _status(sub: Submission, name: str):
    if name in sub.results:
        return sub.results[name]
    if sub.notebook == "invalid":
        return "error", f"the notebook could not be read: {sub.note}"
    return "not attempted", "no exercise cell for this exercise"


def table(subs, columns) -> list[dict]:
    """One dict per notebook: file, notebook, passed, total, <exercise>..., note."""
    rows = []
    for sub in subs:
        row = {"file": sub.name, "notebook": sub.notebook}
        statuses = {name: _status(sub, name)[0] for name in columns}
        row["passed"] = sum(s == "pass" for s in statuses.values())
        row["total"] = len(columns)
        row.update(statuses)
        row["note"] = sub.note
        rows.append(row)
    return rows


def summary(subs, columns, stream) -> None:
    print(
        f"\n{len(subs)} notebook(s); notebook status: "
        + ", ".join(
            f"{status} {n}"
            for status in NOTEBOOK_STATUSES
            if (n := sum(s.notebook == status for s in subs))
        ),
        file=stream,
    )
    if not columns:
        print("no exercise cells found", file=stream)
        return
    width = max(len(c) for c in columns)
    print(
        f"{'exercise':<{width}}  " + "  ".join(f"{s:>13}" for s in EXERCISE_STATUSES),
        file=stream,
    )
    for name in columns:
        counts = [
            sum(_status(sub, name)[0] == s for sub in subs) for s in EXERCISE_STATUSES
        ]
        print(f"{name:<{width}}  " + "  ".join(f"{c:>13}" for c in counts), file=stream)


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--child"]:
        return _child()
    parser = argparse.ArgumentParser(
        prog="python -m lecture2.grade",
        description="Grade submitted lecture2 notebooks into a CSV table.",
    )
    parser.add_argument("notebooks", nargs="+", help="submitted .ipynb files")
    parser.add_argument(
        "--out", default="grades.csv", help="CSV table to write (default %(default)s)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds per notebook cell (default %(default)s)",
    )
    parser.add_argument(
        "--call-limit",
        type=float,
        default=None,
        help="seconds per call of a student's function (default 5)",
    )
    parser.add_argument(
        "--details", default=None, help="also write every verdict message to this CSV"
    )
    parser.add_argument(
        "--no-execute",
        action="store_true",
        help="skip the top-to-bottom run of each notebook",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="notebooks graded in parallel (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error(
            f"--timeout must be a positive number of seconds; got {args.timeout}"
        )
    grade(
        args.notebooks,
        out=args.out,
        timeout=args.timeout,
        call_limit=args.call_limit,
        execute=not args.no_execute,
        details=args.details,
        jobs=max(1, args.jobs),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
