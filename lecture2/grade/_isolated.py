"""Judging the exercise functions in a fresh, isolated Python process."""

from __future__ import annotations

import functools
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading

from ._notebook import EXERCISE_STATUSES, Submission

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
    # every exercise cell may take `timeout`, every check `check_limit`
    hard_limit = len(sub.cells) * timeout + len(sub.exercises) * (check_limit + 2) + 20
    env = dict(os.environ, MPLBACKEND="Agg")
    killed, returncode = False, None
    with tempfile.TemporaryDirectory(prefix="lecture2-grade-") as tmp:
        try:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys, lecture2.grade._isolated as g; sys.exit(g.child())",
                ],
                input=payload.encode(),
                capture_output=True,
                timeout=hard_limit,
                cwd=tmp,
                env=env,
                check=False,
            )
            out, returncode = proc.stdout, proc.returncode
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
                else ("error", _ended_early(returncode))
            )


def _ended_early(returncode) -> str:
    """Why an exercise has no verdict although the grading process ended
    by itself: the student's code ended it (os._exit) or crashed it."""
    if returncode is not None and returncode < 0:
        try:
            how = f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            how = f"was killed by signal {-returncode}"
    else:
        how = f"exited with status {returncode}"
    return (
        f"not judged: the grading process {how} before this exercise; the "
        "notebook's code ends Python (e.g. os._exit) or crashes it"
    )


def child() -> int:
    """The grading process: capture the checks, run the cells, judge."""
    job = json.loads(sys.stdin.read())
    token = job["token"]
    from lecture2.checks import EXERCISES
    from lecture2.checks._harness import AFTER_CALL, judge, run_with_time_limit
    from lecture2.checks._timelimit import _TooSlow

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
        except BaseException as exc:  # noqa: BLE001 (the student's cell raised or looped)
            # (KeyboardInterrupt and SystemExit included: an instructor's
            # Ctrl-C stops the parent, which does not wait for this process)
            slow = isinstance(exc, _TooSlow)
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
                    f"the exercise cell raised {type(exc).__name__}"
                    + (f": {str(exc)[:100]}" if str(exc).strip() else ""),
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
