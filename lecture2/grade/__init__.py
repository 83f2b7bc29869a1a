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
import sys
import time
from pathlib import Path

from ._isolated import grade_exercises
from ._notebook import (
    DEFAULT_TIMEOUT,
    EXERCISE_STATUSES,
    NOTEBOOK_STATUSES,
    Submission,
    read_submission,
    run_notebook,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "EXERCISE_STATUSES",
    "NOTEBOOK_STATUSES",
    "Submission",
    "grade",
    "grade_exercises",
    "main",
    "read_submission",
    "run_notebook",
    "summary",
    "table",
]


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
        Seconds per cell of the notebook run, and per exercise cell of the
        grading run.
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
            f"{passed} of {len(sub.exercises)} exercise cells pass"
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
    """The command line: ``python -m lecture2.grade NOTEBOOK... [options]``."""
    if argv is None:
        argv = sys.argv[1:]
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
    if args.call_limit is not None and args.call_limit <= 0:
        parser.error(
            "--call-limit must be a positive number of seconds; "
            f"got {args.call_limit}"
        )
    # refused now, not after every notebook has been graded
    for option, target in (("--out", args.out), ("--details", args.details)):
        if target and not Path(target).resolve().parent.is_dir():
            parser.error(
                f"{option}: the folder of {target} does not exist; "
                "create it first or choose another file"
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
