"""Shared pytest fixtures (kept minimal)."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A freshly seeded Generator, the same in every test."""
    return np.random.default_rng(20250801)
