"""The book's notebooks follow the conventions the build and readers rely on.

- every file of _toc.yml exists;
- chapter notebooks open with their numbered title, then the Colab setup
  cell, word for word, installing from the repository URL of _config.yml;
- every notebook's kernelspec is python3 and carries no saved widget state;
- every cell that shows a figure has alt text in its metadata;
- every chapter has an explorer (a widget output, tagged nbval-ignore-output,
  with the PNG of its default figure for the static book);
- exercise cells carry the metadata of notes/PLAN.md and are followed by
  their check cell.

Select one chapter with ``-k 02_nonlinearities``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from book_layout import CHAPTER, CHAPTERS, CONFIG, PAGES, ROOT

REPO_URL = CONFIG["repository"]["url"]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

SETUP_CELL = f'''\
# Make this notebook run anywhere: on Colab, install lecture2 if it is missing.
try:
    import lecture2
except ImportError:
    %pip install --quiet "lecture2 @ git+{REPO_URL}"
    import lecture2'''


TOC_FILES = PAGES
NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "book").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def source_of(docname: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{docname}{suffix}"
        if path.exists():
            return path
    return None


def read(path) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / path, as_version=4)


def chapter_notebook(docname):
    path = ROOT / f"{docname}.ipynb"
    if not path.exists():
        pytest.skip(f"{docname}.ipynb does not exist yet (see test_toc_file_exists)")
    return read(path)


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def output_data(cell):
    return [out.get("data", {}) for out in cell.get("outputs", [])
            if out.get("output_type") in ("display_data", "execute_result")]


def test_repository_url_is_the_books():
    assert REPO_URL == "https://github.com/sciml-book/lecture2"


@pytest.mark.parametrize("docname", TOC_FILES)
def test_toc_file_exists(docname):
    assert source_of(docname) is not None, f"{docname} (.ipynb or .md) is missing"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_starts_with_title_and_setup_cell(docname):
    nb = chapter_notebook(docname)
    number = int(CHAPTER.match(docname).group(1))
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert re.match(rf"# {number}\. \S", first.source), (
        f"cell 0 must be the title '# {number}. Title'; got {first.source[:60]!r}")
    setup = nb.cells[1]
    assert setup.cell_type == "code", "cell 1 must be the Colab setup code cell"
    assert setup.source.strip() == SETUP_CELL, (
        "cell 1 must be exactly the setup cell of notes/PLAN.md, installing from "
        f"{REPO_URL} (the repository.url of _config.yml)")
    assert not setup.get("outputs"), "the setup cell must print nothing where lecture2 is installed"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_kernelspec_is_python3_and_no_widget_state(path):
    nb = read(path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, (
        "saved widget state: regenerate with tools/execute_notebooks.py "
        "(it drops metadata.widgets)")


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_figure_has_alt_text(path):
    nb = read(path)
    missing = []
    for index, cell in enumerate(code_cells(nb)):
        if any("image/png" in data for data in output_data(cell)):
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            if not str(alt).strip():
                missing.append(f"code cell {index}: {cell.source[:50]!r}")
    assert not missing, (
        'figure cells without {"mystnb": {"image": {"alt": ...}}} metadata: '
        + "; ".join(missing))


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_has_an_explorer_with_a_static_figure(docname):
    nb = chapter_notebook(docname)
    widgets = [cell for cell in code_cells(nb)
               if any(WIDGET_MIME in data for data in output_data(cell))]
    assert widgets, "no explorer output (run the notebook with tools/execute_notebooks.py)"
    for cell in widgets:
        assert "nbval-ignore-output" in tags(cell), (
            f"widget cell must be tagged nbval-ignore-output: {cell.source[:60]!r}")
        assert any(WIDGET_MIME in data and "image/png" in data
                   for data in output_data(cell)), (
            f"widget output without its default PNG (use lecture2.widgets.explorer): "
            f"{cell.source[:60]!r}")


def _exercises():
    try:
        from lecture2 import checks
    except ImportError:
        return None
    registry = getattr(checks, "EXERCISES", None)
    if isinstance(registry, dict):
        return registry
    return None


@pytest.mark.parametrize("docname", CHAPTERS)
def test_exercise_cells(docname):
    nb = chapter_notebook(docname)
    chapter = CHAPTER.match(docname).group(1)
    cells = nb.cells
    found = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or "exercise" not in tags(cell):
            continue
        name = cell.metadata.get("lecture2", {}).get("exercise")
        assert isinstance(name, str) and name, (
            f'exercise cell {index} needs metadata {{"lecture2": {{"exercise": "<check name>"}}}}')
        found.append(name)
        assert "raise NotImplementedError" in cell.source, (
            f"exercise stub {name!r} must raise NotImplementedError")
        following = [c for c in cells[index + 1:] if c.cell_type == "code"]
        assert following and "check" in tags(following[0]), (
            f"the code cell after exercise {name!r} must be its check cell (tag 'check')")
        assert f"check_{name}(" in following[0].source, (
            f"the check cell after exercise {name!r} must call check_{name}(...)")
    assert found, f"{docname} has no exercise cell (tag 'exercise')"
    assert len(found) == len(set(found)), f"an exercise appears twice: {found}"
    registry = _exercises()
    if registry is not None:
        unknown = [name for name in found if name not in registry]
        assert not unknown, f"no such check in lecture2.checks: {unknown}"
        expected = sorted(name for name, ex in registry.items()
                          if getattr(ex, "chapter", None) == chapter)
        assert sorted(found) == expected, (
            f"chapter {chapter} should have exercises {expected}; has {sorted(found)}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<function f at 0x7f3a2b4c5d60>", "<function f at 0xADDRESS>"),
        ("/tmp/ipykernel_4242/3021.py:3: RuntimeWarning: x", "TEMPPATH:3: RuntimeWarning: x"),
        ("/home/ci/lecture2/lecture2/training.py:120: DivergenceWarning: loss",
         "lecture2/training.py:120: DivergenceWarning: loss"),
        ("/work/main/lecture2/plots/common.py:9: UserWarning", "lecture2/plots/common.py:9: UserWarning"),
        ("/opt/venv/lib/python3.11/site-packages/matplotlib/scale.py:375: RuntimeWarning",
         "site-packages/matplotlib/scale.py:375: RuntimeWarning"),
        ("trained in 0.31 s (1000 steps, 3 samples)", "trained in TIME (1000 steps, 3 samples)"),
        ("Wall time: 1.21 ms", "Wall time: TIME"),
        ("lr = 0.1, 200 points, 0x10", "lr = 0.1, 200 points, 0x10"),
    ],
)
def test_nbval_sanitize_patterns(text, expected):
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())
    assert len(patterns) >= 6
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    assert text == expected
