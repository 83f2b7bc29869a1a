"""Checks of the built book (_build/html): pages, alt text, launch links, and
what a reader's browser sees offline.

Run after `make book` (``make html`` does both in `make test`). Without a
build these tests are skipped, unless LECTURE2_REQUIRE_BOOK=1 (set by the
Makefile), which turns a missing build into a failure. The browser checks
drive Debian's Chromium (/usr/bin/chromium) through playwright; every
request that is not file:// is blocked, so a page that needs the network to
show its math or figures fails.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from book_layout import CHAPTER, CHAPTERS, CONFIG, PAGES, ROOT, TOC

HTML = ROOT / "_build" / "html"
CHROMIUM = Path(os.environ.get("LECTURE2_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("LECTURE2_REQUIRE_BOOK") == "1"

if not (HTML / "index.html").exists():
    if REQUIRED:
        pytest.fail(f"no built book at {HTML}: run `make book` first", pytrace=False)
    pytest.skip("the book is not built (run `make book`)", allow_module_level=True)




def html_path(page: str) -> Path:
    return HTML / f"{page}.html"


class _Tags(HTMLParser):
    """Collects the attributes of every <img> and <a> of a page."""

    def __init__(self):
        super().__init__()
        self.images, self.links = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag == "a":
            self.links.append(dict(attrs))


def parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(html_path(page).read_text(encoding="utf-8"))
    return tags


def test_toc_lists_thirteen_chapters_in_order():
    numbers = [int(CHAPTER.match(page).group(1)) for page in CHAPTERS]
    assert numbers == list(range(1, 14))


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(page):
    assert html_path(page).is_file(), f"{page}.html was not built"


@pytest.mark.parametrize("page", PAGES)
def test_every_image_has_alt_text(page):
    tags = parse(page)
    missing = [img.get("src") for img in tags.images if not (img.get("alt") or "").strip()]
    assert not missing, f"{page}: <img> without alt text: {missing}"


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_has_figures(page):
    figures = [img for img in parse(page).images if "_images/" in (img.get("src") or "")]
    assert figures, f"{page}: no figure"


@pytest.mark.parametrize("page", CHAPTERS)
def test_launch_links_point_at_the_notebook(page):
    repo = CONFIG["repository"]
    url = repo["url"].rstrip("/")
    org_repo = url.removeprefix("https://github.com/")
    branch = repo.get("branch", "main")
    path = "/".join(p for p in (repo.get("path_to_book", "").strip("/"), f"{page}.ipynb") if p)
    launch = CONFIG["launch_buttons"]
    expected = {
        "binder": f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{org_repo}/{branch}"
                  f"?urlpath=lab/tree/{path}",
        "colab": f"{launch['colab_url'].rstrip('/')}/github/{org_repo}/blob/{branch}/{path}",
    }
    assert branch == "main"
    assert url == "https://github.com/sciml-book/lecture2"
    hrefs = [a.get("href", "") for a in parse(page).links]
    for name, link in expected.items():
        assert link in hrefs, f"{page}: no {name} link {link}; found {[h for h in hrefs if name in h]}"


# ---------------------------------------------------------------------------
# In a real browser, offline.

BROWSER_PAGES = [TOC["root"], *CHAPTERS]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if REQUIRED:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


def visit(browser, page_name):
    """Open a page offline; return what the checks need."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    blocked, errors = [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            blocked.append(f"{request_route.request.resource_type} {url}")
            request_route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.goto(html_path(page_name).as_uri(), wait_until="load")
    # MathJax typesets after load; wait for it (the page fails if it never loads).
    page.wait_for_function(
        "window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000
    )
    page.evaluate("MathJax.startup.promise")
    result = page.evaluate(
        """() => {
            const main = document.querySelector('main') || document.body;
            const text = main.innerText;
            const imgs = [...main.querySelectorAll('img')].map(
                img => ({src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0}));
            const math = [...main.querySelectorAll('.math')];
            return {
                mjx: main.querySelectorAll('mjx-container').length,
                raw_dollars: text.includes('$$'),
                untypeset: math.filter(el => !el.querySelector('mjx-container')).length,
                errors_in_math: main.querySelectorAll('mjx-merror').length,
                imgs: imgs,
            };
        }"""
    )
    context.close()
    result.update(blocked=blocked, errors=errors)
    return result


@pytest.mark.parametrize("page_name", BROWSER_PAGES)
def test_page_reads_offline(browser, page_name):
    seen = visit(browser, page_name)
    assert not seen["blocked"], f"{page_name}: requests that need the network: {seen['blocked']}"
    assert not seen["errors"], f"{page_name}: {seen['errors']}"
    assert seen["mjx"] > 0, f"{page_name}: no rendered math"
    assert seen["untypeset"] == 0, f"{page_name}: {seen['untypeset']} math elements not typeset"
    assert seen["errors_in_math"] == 0, f"{page_name}: MathJax errors in formulas"
    assert not seen["raw_dollars"], f"{page_name}: raw $$ left in the text"
    broken = [img["src"] for img in seen["imgs"] if not img["ok"]]
    if CHAPTER.match(page_name):
        assert seen["imgs"], f"{page_name}: no images"
    assert not broken, f"{page_name}: images that did not load: {broken}"
