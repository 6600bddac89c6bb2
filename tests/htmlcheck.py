"""A strict HTML checker for the HTML formats' tests: what a browser would repair, tables
without a caption, header cells without a scope; it also collects headings in order."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class StrictHTML(HTMLParser):
    """Fails on anything a browser would have to repair, on tables without a caption first,
    on header cells without a scope; collects the headings' text in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.doctype = False
        self.lang: str | None = None
        self.tables = 0
        self.captions = 0
        self.after_table = False
        self.headings: list[tuple[str, str]] = []
        self._heading: list[str] | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"<{tag}> at {self.getpos()}"
        if self.after_table and tag != "caption":
            self.errors.append(f"table without a caption first: {where}")
        self.after_table = tag == "table"
        self.tables += tag == "table"
        self.captions += tag == "caption"
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag == "th" and found.get("scope") not in {"col", "row", "rowgroup", "colgroup"}:
            self.errors.append(f"th without scope: {where}")
        ident = found.get("id")
        if ident is not None:
            if ident in self.ids:
                self.errors.append(f"duplicate id {ident!r}")
            self.ids.add(ident)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.errors.append(f"self-closed <{tag}/> at {self.getpos()}")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"end tag for void element </{tag}> at {self.getpos()}")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1:]}")
        else:
            self.stack.pop()
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((tag, " ".join("".join(self._heading[1:]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def check_html(page: str) -> StrictHTML:
    """Parse `page` strictly and fail the test on anything wrong with it."""
    checker = StrictHTML()
    checker.feed(page)
    checker.close()
    assert checker.doctype, "no <!DOCTYPE html>"
    assert not checker.errors, checker.errors
    assert not checker.stack, f"left open: {checker.stack}"
    return checker


# --- a real browser, for the pages that are printed and scripted --------------------------

HAVE_BROWSER = bool(shutil.which("chromium") and shutil.which("pdftotext")
                    and shutil.which("pdfinfo"))
BROWSER_MISSING = "install Debian packages chromium and poppler-utils"


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a throw-away profile under `tmp_path`."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180, check=False)
