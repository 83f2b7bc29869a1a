"""Writes notes/EXERCISES.md from the registry (``python -m lecture2.checks``),
and the exercise boxes and solution headings of the book."""

from __future__ import annotations

HEADER = """\
# Exercises: stubs, check cells and tasks

Generated from `lecture2/checks` by `python -m lecture2.checks > notes/EXERCISES.md`
(a test checks that this file is up to date, and that the chapters and
solution pages agree with it). Chapter writers: paste, for each exercise,

1. the box (MyST markdown) into a markdown cell of the chapter's
   "Exercises" section; the box has `:nonumber:` and carries its number
   `<chapter>.<k>` in its title, because sphinx-exercise would otherwise
   number the boxes across the whole book; the label is `ex-NN-k`;
2. the stub as a code cell tagged `exercise`, with cell metadata
   `{"lecture2": {"exercise": "<check name>"}}`;
3. the check cell as the next code cell, tagged `check`.

The solution page `book/solutions/NN_slug_solutions.ipynb` repeats the box's
text under the heading given below. The plain-text task is the check's
docstring (`help(check_<name>)`); it cites the slides' equation numbers,
which differ from the book's.

Keep each stub cell self-contained (its own `import numpy as np`): the grader
runs only the `exercise` cells of a submission, in order, in a fresh process.
Function names must stay as written (the grader looks them up by name).
The stored output of a check cell in the chapter is the "not attempted" line.
Conventions fixed by these exercises: `output_adjoint` is for the mean loss
1/(2n) sum ||y - f||^2, so it is (f^L - y)/n; `adam_step` keeps epsilon inside
the square root, as in the lecture, and counts k from 1; `should_stop`
treats an equal loss as no improvement; schedules count k from 0; the
Newton step d solves (Hessian) d = -grad and is added to w.
"""


def box(ex) -> str:
    """The exercise box of the chapter (MyST markdown), e.g.
    ``:::{exercise} 8.1 · the output adjoint``."""
    return (
        f":::{{exercise}} {ex.number} · {ex.title}\n"
        f":label: {ex.label}\n"
        f":nonumber:\n\n"
        f"{ex.book}\n"
        f":::"
    )


def solution_heading(ex) -> str:
    """The heading of the exercise on its solutions page."""
    return f"## Exercise {ex.number} · {ex.title} (`{ex.function}`)"


def markdown(registry) -> str:
    parts = [HEADER]
    chapter = None
    for ex in registry.values():
        if ex.chapter != chapter:
            chapter = ex.chapter
            parts.append(f"\n## Chapter {chapter}\n")
        parts.append(
            f"\n### {ex.number} `{ex.name}` (function `{ex.function}`)\n\n"
            f"Box for the chapter:\n\n"
            f"````markdown\n{box(ex)}\n````\n\n"
            f"Heading on the solutions page:\n\n"
            f"```markdown\n{solution_heading(ex)}\n```\n\n"
            f"Task in plain text:\n\n{ex.task}\n\n"
            f"Stub cell (tags: `exercise`; metadata "
            f'`{{"lecture2": {{"exercise": "{ex.name}"}}}}`):\n\n'
            f"```python\n{ex.stub}```\n\n"
            f"Check cell (tag: `check`):\n\n"
            f"```python\n{ex.check_cell}\n```\n"
        )
    return "".join(parts)
