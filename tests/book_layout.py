"""The book's configuration and page list, shared by the notebook and HTML tests."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTER = re.compile(r"^book/(\d\d)_([a-z0-9_]+)$")


def _toc_files(entries):
    for entry in entries or []:
        if "file" in entry:
            yield entry["file"]
        yield from _toc_files(entry.get("chapters"))
        yield from _toc_files(entry.get("sections"))


# every page in _toc.yml, the root first, in the order of the book
PAGES = [TOC["root"], *_toc_files(TOC.get("chapters")),
         *(f for part in TOC.get("parts", []) for f in _toc_files(part.get("chapters")))]
CHAPTERS = [page for page in PAGES if CHAPTER.match(page)]
