"""Tests of the grader on the made-up submissions in tests/grade_fixtures."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lecture2.grade import main, read_submission

FIXTURES = Path(__file__).parent / "grade_fixtures"

# file -> notebook status, then parameter_count, layer_forward, elu
EXPECTED = {
    "correct.ipynb": ("ok", "pass", "pass", "pass"),
    "crashing.ipynb": ("crashed", "pass", "error", "error"),
    "empty.ipynb": ("empty", "not attempted", "not attempted", "not attempted"),
    "looping.ipynb": ("timeout", "timeout", "pass", "timeout"),
    "malformed.ipynb": ("invalid", "error", "error", "error"),
    "partly_wrong.ipynb": ("ok", "fail", "pass", "not attempted"),
    "tampering.ipynb": ("ok", "fail", "not attempted", "fail"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the grader once, as an instructor would, on every fixture."""
    out = tmp_path_factory.mktemp("grades")
    notebooks = sorted(str(p) for p in FIXTURES.glob("*.ipynb"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "lecture2.grade",
            *notebooks,
            "--out",
            str(out / "grades.csv"),
            "--details",
            str(out / "details.csv"),
            "--timeout",
            "5",
            "--call-limit",
            "1",
            "--jobs",
            "4",
        ],
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    with open(out / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(out / "details.csv", newline="", encoding="utf-8") as fh:
        details = list(csv.DictReader(fh))
    return proc, rows, details


def test_grader_exits_cleanly_and_reports_progress(graded):
    proc, _, _ = graded
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("[") and "/7] " in line for line in lines) == 7
    assert (
        "7 notebook(s); notebook status: ok 3, crashed 1, timeout 1, invalid 1, empty 1"
        in proc.stdout
    )
    summary = [line.split() for line in lines if line.startswith("parameter_count ")]
    assert summary == [["parameter_count", "2", "2", "1", "1", "1"]]


def test_table(graded):
    _, rows, _ = graded
    assert list(rows[0]) == [
        "file",
        "notebook",
        "passed",
        "total",
        "parameter_count",
        "layer_forward",
        "elu",
        "note",
    ]
    table = {
        row["file"]: (
            row["notebook"],
            row["parameter_count"],
            row["layer_forward"],
            row["elu"],
        )
        for row in rows
    }
    assert table == EXPECTED
    for row in rows:
        statuses = [row["parameter_count"], row["layer_forward"], row["elu"]]
        assert int(row["passed"]) == statuses.count("pass")
        assert row["total"] == "3"


def test_notes_and_details_explain(graded):
    _, rows, details = graded
    notes = {row["file"]: row["note"] for row in rows}
    assert notes["malformed.ipynb"].startswith("not valid JSON")
    assert notes["empty.ipynb"] == "the file is empty"
    assert notes["crashing.ipynb"].startswith("SyntaxError in code cell")
    assert notes["looping.ipynb"].startswith("a cell ran longer than 5 s")
    message = {(d["file"], d["exercise"]): d["message"] for d in details}
    assert len(details) == 7 * 3
    assert "too slow" in message["looping.ipynb", "parameter_count"]
    assert "did not finish" in message["looping.ipynb", "elu"]
    assert "NameError" in message["crashing.ipynb", "elu"]
    assert "bias weights" in message["partly_wrong.ipynb", "parameter_count"]
    assert "NotImplementedError" in message["partly_wrong.ipynb", "elu"]
    # the fake verdicts printed and patched in by the tampering notebook are ignored
    assert message["tampering.ipynb", "parameter_count"].startswith(
        "❌ parameter_count"
    )
    assert message["tampering.ipynb", "elu"].startswith("❌ elu: wrong value")


def test_reading_never_raises(tmp_path):
    cases = {
        "blank.ipynb": b"  \n",
        "binary.ipynb": b"\xff\xfe\x00garbage",
        "list.ipynb": b"[1, 2, 3]",
        "no_cells.ipynb": b'{"metadata": {}}',
        "markdown_only.ipynb": json.dumps(
            {"cells": [{"cell_type": "markdown", "source": "# hi"}]}
        ).encode(),
        "odd_metadata.ipynb": json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "source": ["x = 1"],
                        "metadata": "not a dict",
                    },
                    {
                        "cell_type": "code",
                        "source": "y = 2",
                        "metadata": {"lecture2": {"exercise": "no_such_exercise"}},
                    },
                    {
                        "cell_type": "code",
                        "source": "def elu(x, alpha=1.0):\n    return x",
                        "metadata": {"lecture2": {"exercise": "elu"}},
                    },
                ]
            }
        ).encode(),
    }
    found = {}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        sub = read_submission(tmp_path / name)
        found[name] = (sub.notebook, [e for e, _ in sub.exercises])
    assert found == {
        "blank.ipynb": ("empty", []),
        "binary.ipynb": ("invalid", []),
        "list.ipynb": ("invalid", []),
        "no_cells.ipynb": ("invalid", []),
        "markdown_only.ipynb": ("empty", []),
        "odd_metadata.ipynb": ("ok", ["elu"]),
    }
    assert read_submission(tmp_path / "missing.ipynb").notebook == "invalid"


def test_a_cell_source_that_is_not_text_makes_the_notebook_invalid(tmp_path):
    # "".join() of a source list with numbers in it used to raise out of
    # read_submission, outside the grader's per-notebook guard
    from lecture2.grade import grade

    path = tmp_path / "numbers.ipynb"
    cell = {"cell_type": "code", "metadata": {"lecture2": {"exercise": "elu"}}}
    path.write_text(json.dumps({"cells": [dict(cell, source=[1, 2])]}))
    sub = read_submission(path)
    assert (sub.notebook, sub.exercises) == ("invalid", [])
    assert sub.note == "a code cell's source is not text"
    (graded,) = grade([path], out=None, execute=False, stream=io.StringIO())
    assert graded.notebook == "invalid"


def test_grading_without_execution(tmp_path):
    from lecture2.grade import grade

    log = tmp_path / "log.txt"
    with open(log, "w", encoding="utf-8") as stream:
        subs = grade(
            [FIXTURES / "partly_wrong.ipynb"],
            out=tmp_path / "g.csv",
            timeout=5,
            call_limit=1,
            execute=False,
            stream=stream,
        )
    assert subs[0].notebook == "not run"
    assert {k: v[0] for k, v in subs[0].results.items()} == {
        "parameter_count": "fail",
        "layer_forward": "pass",
        "elu": "not attempted",
    }
    assert (
        "[1/1] partly_wrong.ipynb: notebook not run; 1 of 3 exercise cells pass"
        in log.read_text(encoding="utf-8")
    )


def test_bad_timeout_is_refused():
    proc = subprocess.run(
        [sys.executable, "-m", "lecture2.grade", "x.ipynb", "--timeout", "-1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "--timeout must be a positive number of seconds; got -1" in proc.stderr


def test_an_output_in_a_missing_folder_is_refused_before_grading(tmp_path, capsys):
    missing = tmp_path / "no such folder"
    for option in ("--out", "--details"):
        with pytest.raises(SystemExit) as info:
            main([str(FIXTURES / "correct.ipynb"), option, str(missing / "g.csv")])
        assert info.value.code == 2
        assert f"{option}: the folder of" in capsys.readouterr().err


def test_bad_call_limit_is_refused():
    # a limit of 0 would time out every call without running it
    with pytest.raises(SystemExit) as info:
        main(["x.ipynb", "--call-limit", "0"])
    assert info.value.code == 2


def test_threads_left_running_are_not_judged():
    from lecture2.grade import Submission, grade_exercises

    sub = Submission(Path("threads.ipynb"))
    sub.exercises = [("he_std", "he_std")]
    sub.cells = [
        (
            "he_std",
            (
                "import threading, time\n"
                "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
                "def he_std(n_in, n_out):\n    return (2 / n_in) ** 0.5\n"
            ),
        )
    ]
    grade_exercises(sub, timeout=5, call_limit=1)
    assert sub.results["he_std"][0] == "error"
    assert "threads" in sub.results["he_std"][1]
    sub.cells = [("he_std", "def he_std(n_in, n_out):\n    return (2 / n_in) ** 0.5\n")]
    sub.results = {}
    grade_exercises(sub, timeout=5, call_limit=1)
    assert sub.results["he_std"][0] == "pass"


def test_keyboard_interrupt_and_exits_are_reported_as_what_they_are():
    from lecture2.grade import Submission, grade_exercises

    sub = Submission(Path("interrupts.ipynb"))
    sub.exercises = [("he_std", "he_std"), ("xavier_std", "xavier_std")]
    sub.cells = [
        ("he_std", "raise KeyboardInterrupt\n"),
        (
            "xavier_std",
            "def xavier_std(n_in, n_out):\n    raise KeyboardInterrupt\n",
        ),
    ]
    grade_exercises(sub, timeout=5, call_limit=1)
    assert sub.results["he_std"] == (
        "error",
        "the exercise cell raised KeyboardInterrupt",
    )
    status, message = sub.results["xavier_std"]
    assert status == "error"
    assert message.startswith("❌ xavier_std: raised KeyboardInterrupt for n_in = 1")
    # a function that ends the process: no verdict, and the reason says so
    sub = Submission(Path("exits.ipynb"))
    sub.exercises = [("he_std", "he_std")]
    sub.cells = [("he_std", "import os\ndef he_std(n_in, n_out):\n    os._exit(3)\n")]
    grade_exercises(sub, timeout=5, call_limit=1)
    status, message = sub.results["he_std"]
    assert status == "error"
    assert "exited with status 3" in message
    assert "os._exit" in message


def test_the_process_limit_leaves_every_exercise_cell_its_timeout(monkeypatch):
    # each exercise cell may take `timeout` seconds: three slow but finishing
    # cells must not make the grading process run out of time
    from lecture2.grade import _isolated
    from lecture2.grade._notebook import Submission

    seen = {}

    def fake_run(*args, timeout, **kwargs):
        seen["timeout"] = timeout
        raise subprocess.TimeoutExpired(args[0], timeout)

    monkeypatch.setattr(_isolated.subprocess, "run", fake_run)
    sub = Submission(Path("slow.ipynb"))
    sub.exercises = [("parameter_count", "parameter_count")]
    sub.cells = [("parameter_count", "pass")] * 3
    _isolated.grade_exercises(sub, timeout=100.0, call_limit=1.0)
    check_limit = 6 * 1.0
    assert seen["timeout"] >= 3 * 100.0 + check_limit
    assert sub.results["parameter_count"][0] == "timeout"
