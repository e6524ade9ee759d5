"""detect_format and decode_text over tables of inputs: content first, names and headers as hints."""

from __future__ import annotations

import codecs

import pytest

from dateline.ingest.formats import declared_charsets, decode_text, detect_format, sniff_format
from dateline.models import Fetched, Problem

RSS2 = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title></channel></rss>'
RSS091 = b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">\n<rss version="0.91"></rss>'
RDF = b'<?xml version="1.0"?>\n<!-- a comment -->\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"></rdf:RDF>'
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
OPML = (
    b'<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/></body></opml>'
)
HTML = b"<!DOCTYPE html>\n<html lang='en'><head><title>T</title></head><body><p>x</p></body></html>"
FRAGMENT = b"<div class='story'><p>Only a fragment</p></div>"
DUMP = b" date 2023-06-17 UrduPoint.com\n\nBlinken Embarks On 2-Day Visit To China\n\nWASHINGTON (Sputnik) - US Secretary..."
JSON_ARRAY = b'[{"title": "A", "text": "B"}]'
JSON_OBJECT = b'{"status": "ok",\n "articles": [{"title": "A", "content": "B"}]}'
JSONL = b'{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n'
CSV = b"url,date,title,text\nhttps://x.example/a,2019-01-04,T,Body\n"
TSV = b"id\ttitle\tbody\n1\tT\tB\n"


def fetched(
    body: bytes, source: str = "input", content_type: str | None = None, url: str | None = None
) -> Fetched:
    headers = {"content-type": content_type} if content_type else {}
    return Fetched(source=source, body=body, headers=headers, url=url)


@pytest.mark.parametrize(
    ("body", "source", "content_type", "expected"),
    [
        (RSS2, "feed", None, "feed"),
        (RSS091, "news.xml", None, "feed"),
        (RDF, "index.rdf", None, "feed"),
        (ATOM, "atom", None, "feed"),
        (codecs.BOM_UTF8 + b"  \n" + RSS2, "x", None, "feed"),
        (RSS2.decode().encode("utf-16"), "utf16.xml", None, "feed"),
        (OPML, "subscriptions.opml", None, "opml"),
        (HTML, "page", None, "html"),
        (HTML, "page.txt", None, "html"),
        (FRAGMENT, "story.html", None, "html"),
        (FRAGMENT, "x", None, "html"),
        (b"<note>text</note>", "x", "text/html; charset=utf-8", "html"),
        (b"<?xml version='1.0'?><catalog/>", "catalog", None, "feed"),
        (DUMP, "000_24d0d8fbb51b4448.txt", None, "dump"),
        (DUMP, "noextension", None, "dump"),
        (JSON_ARRAY, "export", None, "json"),
        (JSON_OBJECT, "news.json", None, "json"),
        (b'{"title": "one object", "text": "x"}', "one", None, "json"),
        (JSONL, "export", None, "jsonl"),
        (JSONL, "export.json", None, "jsonl"),
        (b'{"id": 1, "text": "a"}', "single.jsonl", None, "jsonl"),
        (b'{"broken": \n"json"', "bad.json", None, "json"),
        (CSV, "wikinews_2019.csv", None, "csv"),
        (CSV, "noextension", None, "csv"),
        (TSV, "export.tsv", None, "csv"),
        (b"a,b\n1,2\n", "data.csv.gz", None, "csv"),
        (b"some text", "x", "text/csv", "csv"),
        (b"# Dateline\n\nA news dashboard.", "README.md", None, "skip"),
        (b"body { color: red }", "site.css", None, "skip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt", None, "skip"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo", None, "skip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "report", None, "skip"),
        (b"PK\x03\x04\x14\x00", "bundle.csv", None, "skip"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "pic", None, "skip"),
        (b"abc\x00def", "weird.txt", None, "skip"),
        (b"   \n\t", "blank.txt", None, "skip"),
        (b"Plain words", "x", None, "dump"),
        (b"BMW recalls 40,000 cars over brake fault", "x", None, "dump"),
        (b"MZ Lee wins the mayoral race", "x", None, "dump"),
        (b"Name, time and place of the summit were announced", "x", None, "dump"),
        (b"Published At;Headline;Body\n2024-01-01;A;B", "x", None, "csv"),
        (b"BM\x00\x00\x00\x00", "icon.bmp", None, "skip"),
        (b"Plain words", "https://example.com/story", None, "dump"),
    ],
)
def test_detect_format(body, source, content_type, expected):
    assert detect_format(fetched(body, source, content_type)) == expected


def test_skip_reasons_say_what_the_input_was():
    assert sniff_format(fetched(b"\x89PNG\r\n", "a.png")) == ("skip", "PNG image")
    assert sniff_format(fetched(b"# Title", "README.md")) == ("skip", "markdown file")
    assert sniff_format(fetched(b"", "empty.txt")) == ("skip", "empty file")


def test_extension_comes_from_the_final_url_for_fetched_pages():
    page = fetched(
        b"a,b\nhttps://x,y\n", "https://example.com/redirect", url="https://example.com/export.csv"
    )
    assert detect_format(page) == "csv"


FRENCH = "Le président a déclaré mercredi que la réforme était nécessaire."
LATIN1_PAGE = (
    '<html><head><meta charset="iso-8859-1"><title>Café</title></head><body>Señor – “x”</body></html>'
)


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        ("Grüße".encode(), {}, "Grüße"),
        (codecs.BOM_UTF8 + "Grüße".encode(), {}, "Grüße"),
        ("Grüße".encode("utf-16"), {}, "Grüße"),
        ("Grüße".encode("utf-16-be"), {"content-type": "text/plain; charset=utf-16-be"}, "Grüße"),
        ("Grüße".encode("latin-1"), {"content-type": "text/html; charset=ISO-8859-1"}, "Grüße"),
        (FRENCH.encode("cp1252"), {"Content-Type": "text/plain"}, FRENCH),
        (LATIN1_PAGE.encode("cp1252"), {}, LATIN1_PAGE),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            + "Москва".encode("cp1251"),
            {},
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">Москва',
        ),
        (
            '<?xml version="1.0" encoding="ISO-8859-15"?><a>€</a>'.encode("iso-8859-15"),
            {},
            '<?xml version="1.0" encoding="ISO-8859-15"?><a>€</a>',
        ),
        # Declared Latin-1 but written in UTF-8: the valid UTF-8 wins.
        ("Grüße".encode(), {"content-type": "text/html; charset=iso-8859-1"}, "Grüße"),
        # An unknown declared charset is ignored, not fatal.
        ("Grüße".encode(), {"content-type": "text/html; charset=x-nonsense"}, "Grüße"),
        (
            "東京で会議が開かれた。".encode("shift_jis"),
            {"content-type": "text/html; charset=Shift_JIS"},
            "東京で会議が開かれた。",
        ),
    ],
)
def test_decode_text(body, headers, expected):
    assert decode_text(body, {k.lower(): v for k, v in headers.items()}) == expected


def test_decode_text_detects_an_undeclared_legacy_encoding():
    text = "Президент России встретился с министрами в Москве в понедельник. " * 5
    assert decode_text(text.encode("cp1251"), {}) == text


def test_undecodable_bytes_are_a_problem_naming_the_source():
    problem = decode_text(bytes(range(128, 256)) * 5, {}, source="mystery.txt")
    assert isinstance(problem, Problem)
    assert problem.source == "mystery.txt"
    assert problem.reason.startswith("undecodable bytes")


def test_declared_charsets_in_order_of_authority():
    body = b'<?xml version="1.0" encoding="iso-8859-2"?><html><meta charset="utf-8">'
    assert declared_charsets(body, {"content-type": "text/xml; charset=windows-1250"}) == [
        "windows-1250",
        "iso-8859-2",
        "utf-8",
    ]
