"""``python -m lecture2.checks`` prints notes/EXERCISES.md."""

from . import exercises_markdown

print(exercises_markdown(), end="")
