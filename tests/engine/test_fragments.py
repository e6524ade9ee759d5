import pytest

from dateline.process.fragments import fragment_text, is_full_page, strip_leading_date_line


def test_fragment_blocks_become_paragraphs_and_scripts_vanish() -> None:
    html = "<p>Hello <b>world</b></p><p>Second<br>line</p><script>alert(1)</script><ul><li>a</li></ul>"
    assert fragment_text(html) == "Hello world\n\nSecond\n\nline\n\na"


def test_fragment_of_plain_text_is_kept() -> None:
    assert fragment_text("Just words & more") == "Just words & more"


@pytest.mark.parametrize(
    ("html", "full"),
    [
        ("<!doctype html><html><body><p>x</p></body></html>", True),
        ("<p>x</p>", False),
        ("<div>x</div>", False),
    ],
)
def test_full_page_or_fragment(html: str, full: bool) -> None:
    assert is_full_page(html) is full


@pytest.mark.parametrize(
    ("text", "body", "date_line"),
    [
        (
            "Friday, January 4, 2019 \n\n\nAn apartment building collapsed.",
            "An apartment building collapsed.",
            "Friday, January 4, 2019",
        ),
        ("2019 was a year of change.\nMore.", "2019 was a year of change.\nMore.", None),
        ("The story starts here.", "The story starts here.", None),
        ("", "", None),
        ("Monday, March 15, 2021 \n\n", "Monday, March 15, 2021", None),
    ],
)
def test_leading_date_line_is_split_off(text: str, body: str, date_line: str | None) -> None:
    assert strip_leading_date_line(text) == (body, date_line)
