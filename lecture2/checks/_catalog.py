"""Writes notes/EXERCISES.md from the registry (``python -m lecture2.checks``)."""

from __future__ import annotations

HEADER = """\
# Exercises: stubs, check cells and tasks

Generated from `lecture2/checks` by `python -m lecture2.checks > notes/EXERCISES.md`
(a test checks that this file is up to date). Chapter writers: paste, for
each exercise,

1. the task paragraph into a `:::{exercise}` box with label `ex-NN-k`
   (k counts the chapter's exercises from 1);
2. the stub as a code cell tagged `exercise`, with cell metadata
   `{"lecture2": {"exercise": "<check name>"}}`;
3. the check cell as the next code cell, tagged `check`.

Keep each stub cell self-contained (its own `import numpy as np`): the grader
runs only the `exercise` cells of a submission, in order, in a fresh process.
Function names must stay as written (the grader looks them up by name).
The stored output of a check cell in the chapter is the "not attempted" line;
reference solutions are in `book/solutions/NN_slug_solutions.ipynb`.
Conventions fixed by these exercises: `output_adjoint` is for the mean loss
1/(2n) sum ||y - f||^2, so it is (f^L - y)/n; `adam_step` keeps epsilon inside
the square root, as in the lecture, and counts k from 1; `should_stop`
treats an equal loss as no improvement; schedules count k from 0.
"""


def markdown(registry) -> str:
    parts = [HEADER]
    chapter = None
    for ex in registry.values():
        if ex.chapter != chapter:
            chapter = ex.chapter
            parts.append(f"\n## Chapter {chapter}\n")
        parts.append(
            f"\n### `{ex.name}` (function `{ex.function}`)\n\n"
            f"Task:\n\n{ex.task}\n\n"
            f"Stub cell (tags: `exercise`; metadata "
            f'`{{"lecture2": {{"exercise": "{ex.name}"}}}}`):\n\n'
            f"```python\n{ex.stub}```\n\n"
            f"Check cell (tag: `check`):\n\n"
            f"```python\n{ex.check_cell}\n```\n"
        )
    return "".join(parts)
