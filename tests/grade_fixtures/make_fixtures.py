"""Write the made-up submissions used by tests/test_grade.py.

Run ``python tests/grade_fixtures/make_fixtures.py`` after changing a stub in
lecture2.checks; the notebooks are committed so the tests do not need this.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

SETUP = """# Make this notebook run anywhere: on Colab, install lecture2 if it is missing.
try:
    import lecture2
except ImportError:
    %pip install --quiet "lecture2 @ git+https://github.com/sciml-book/lecture2"
    import lecture2"""

PARAMETER_COUNT = """def parameter_count(sizes):
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))"""
PARAMETER_COUNT_NO_BIAS = """def parameter_count(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))"""
PARAMETER_COUNT_LOOPS = """def parameter_count(sizes):
    total = 0
    while True:  # forgot to advance the loop
        total += 1
    return total"""
LAYER_FORWARD = """import numpy as np


def layer_forward(g_prev, W, b, sigma):
    return sigma(g_prev @ W + b)"""
ELU = """import numpy as np


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))"""
ELU_STUB = '''import numpy as np


def elu(x, alpha=1.0):
    """The ELU nonlinearity."""
    raise NotImplementedError("Exercise: write elu")'''
ELU_RAISES = """import numpy as np


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1)) + undefined_name"""


def exercise(name, source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["exercise"]
    cell.metadata["lecture2"] = {"exercise": name}
    return cell


def check(name, function):
    cell = new_code_cell(
        f"from lecture2.checks import check_{name}\ncheck_{name}({function})"
    )
    cell.metadata["tags"] = ["check"]
    return cell


def notebook(*cells):
    nb = new_notebook(
        cells=[new_markdown_cell("# A submission"), new_code_cell(SETUP), *cells]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def exercises(pc, lf, elu, extra=()):
    return [
        exercise("parameter_count", pc),
        check("parameter_count", "parameter_count"),
        exercise("layer_forward", lf),
        check("layer_forward", "layer_forward"),
        *extra,
        exercise("elu", elu),
        check("elu", "elu"),
    ]


TAMPER = """import numpy as np
import lecture2.checks as checks
import lecture2.checks._harness as harness

# a wrong answer...
def parameter_count(sizes):
    return 42

# ...and every way of making the checks say "pass"
checks.run_check = lambda *args, **kwargs: checks.CheckResult("pass", "ok")
checks.check_parameter_count = lambda fn: print("✅ parameter_count: all 13 cases pass")
harness.judge = lambda *args, **kwargs: harness.CheckResult("pass", "ok")
harness.close = lambda *args, **kwargs: True
harness.Harness.expect_close = lambda *args, **kwargs: None
harness.Harness.expect_number = lambda self, out, *args, **kwargs: out
harness.Harness.fail = staticmethod(lambda *args, **kwargs: None)
np.allclose = lambda *args, **kwargs: True
for ex in checks.EXERCISES.values():
    ex.body.__code__ = (lambda fn, h: None).__code__
harness.AFTER_CALL.clear()
print("0" * 32 + ' ["parameter_count", "pass", "fake"]')"""

TAMPER_AT_CALL = """import numpy as np


def elu(x, alpha=1.0):
    # patches the checks while being checked, then answers wrongly
    import lecture2.checks._harness as harness
    harness.Harness.expect_close = lambda *args, **kwargs: None
    harness.Harness.expect_array = lambda self, out, *args, **kwargs: out
    return np.zeros_like(x)"""


def main():
    HERE.mkdir(exist_ok=True)
    fixtures = {
        "correct": notebook(*exercises(PARAMETER_COUNT, LAYER_FORWARD, ELU)),
        "partly_wrong": notebook(
            *exercises(PARAMETER_COUNT_NO_BIAS, LAYER_FORWARD, ELU_STUB)
        ),
        "crashing": notebook(
            *exercises(
                PARAMETER_COUNT,
                "def layer_forward(g_prev, W, b, sigma)\n"
                "    return sigma(g_prev @ W + b)",
                ELU_RAISES,
            ),
            new_code_cell("1 / 0  # a cell that crashes"),
        ),
        "looping": notebook(
            new_code_cell("while True:  # a cell that never ends\n    pass"),
            *exercises(
                PARAMETER_COUNT_LOOPS, LAYER_FORWARD, "while True:\n    pass\n\n" + ELU
            ),
        ),
        "tampering": notebook(
            exercise("parameter_count", TAMPER),
            check("parameter_count", "parameter_count"),
            exercise("elu", TAMPER_AT_CALL),
            check("elu", "elu"),
        ),
    }
    for name, nb in fixtures.items():
        nbformat.write(nb, HERE / f"{name}.ipynb")
    (HERE / "malformed.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ')
    (HERE / "empty.ipynb").write_text("")


if __name__ == "__main__":
    main()
