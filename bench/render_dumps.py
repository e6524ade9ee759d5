"""Render plain-text page dumps (as a browser's select-all/copy gives) from the extraction dev set."""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import charset_normalizer
from lxml import etree, html

DEV_DIR = Path(__file__).resolve().parents[2] / "shared" / "dev" / "extraction"
DEFAULT_OUT = Path("/tmp/dateline-dumps")

SKIPPED_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "iframe", "select", "object", "canvas", "map"}
)
# Elements a browser lays out as blocks: their text starts and ends a line when copied.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
        "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Chrome leaves an empty line after these when copying.
SPACED_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "figure"})
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


class _Writer:
    """Accumulates copied text: inline runs collapse, blocks break lines, <pre> keeps its layout."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def text(self, value: str | None, preformatted: bool) -> None:
        if not value:
            return
        if preformatted:
            first, *rest = value.split("\n")
            self.current.append(first)
            for line in rest:
                self.newline()
                self.current.append(line)
        else:
            self.current.append(SPACES.sub(" ", value))

    def newline(self) -> None:
        line = "".join(self.current)
        self.current = []
        if line.strip() or (self.lines and self.lines[-1] != ""):
            self.lines.append(line.strip() if line.strip() else "")

    def blank(self) -> None:
        self.newline()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def result(self) -> str:
        self.newline()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip() + "\n"


def _is_hidden(element: etree._Element) -> bool:
    return element.get("hidden") is not None or bool(HIDDEN_STYLE.search(element.get("style") or ""))


def _walk(element: etree._Element, out: _Writer, preformatted: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIPPED_TAGS or not tag or _is_hidden(element):
        out.text(element.tail, preformatted)
        return
    pre = preformatted or tag == "pre"
    block = tag in BLOCK_TAGS
    if block:
        out.blank() if tag in SPACED_TAGS else out.newline()
    if tag == "br":
        out.newline()
    elif tag in {"td", "th"} and out.current:
        out.current.append("\t")
    elif tag == "img" and element.get("alt") is None:
        pass
    out.text(element.text, pre)
    for child in element:
        _walk(child, out, pre)
    if block and tag not in {"td", "th"}:
        out.blank() if tag in SPACED_TAGS else out.newline()
    out.text(element.tail, preformatted)


def decode_page(page: bytes) -> str:
    """The page as text: UTF-8 when it is valid UTF-8 (most pages), else what charset-normalizer finds."""
    try:
        return page.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(page).best()
        return str(best) if best is not None else page.decode("cp1252", errors="replace")


def render_dump(page: bytes) -> str:
    """Plain text of an HTML page laid out the way a browser's select-all/copy gives it."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", decode_page(page))  # lxml refuses str with an XML declaration
    tree = html.fromstring(text)
    body = tree.find(".//body")
    out = _Writer()
    _walk(body if body is not None else tree, out, False)
    return out.result()


def dump_header(url: str, page: bytes) -> str | None:
    """A seed-style `date YYYY-MM-DD domain` header, when the page states its publication date."""
    match = re.search(rb"(20\d\d|19\d\d)-(\d\d)-(\d\d)", page)
    if not match:
        return None
    domain = urlsplit(url).netloc.removeprefix("www.")
    return f" date {match.group(0).decode()} {domain}\n\n"


def render_all(dev_dir: Path, out_dir: Path) -> list[dict]:
    """Write one dump per annotated page (every 3rd with a seed-style header); return the index rows."""
    annotations = json.loads((dev_dir / "annotations.json").read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, (url, entry) in enumerate(sorted(annotations.items())):
        page = gzip.decompress((dev_dir / entry["file"]).read_bytes())
        text = render_dump(page)
        header = dump_header(url, page) if number % 3 == 0 else None
        if header:
            text = header + text
        name = Path(entry["file"]).name.removesuffix(".html.gz") + ".txt"
        (out_dir / name).write_text(text, encoding="utf-8")
        rows.append({"url": url, "dump": name, "with": entry["with"], "without": entry["without"]})
    (out_dir / "index.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, default=DEV_DIR, help="the extraction dev set folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the dumps")
    args = parser.parse_args(argv)
    rows = render_all(args.dev, args.out)
    print(f"rendered {len(rows)} dumps into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
