from datetime import UTC, datetime

import pytest

from dateline.process.dates import normalize_published, read_published

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("June 17, 2023 | 03:10 AM", "2023-06-17T03:10:00"),
        ("Published June 17, 2023 | 03:10 AM", "2023-06-17T03:10:00"),
        ("June 17, 2023 3.10 pm", "2023-06-17T15:10:00"),
        ("2019-01-04", "2019-01-04"),
        ("Friday, January 4, 2019", "2019-01-04"),
        ("17th June, 2023", "2023-06-17"),
        ("March 2, 1987", "1987-03-02"),
        # an offset is kept as written, never converted: the day must not move
        ("Sat, 17 Jun 2023 23:10:00 +0500", "2023-06-17T23:10:00+05:00"),
        ("2023-06-17T03:10:00Z", "2023-06-17T03:10:00+00:00"),
        ("2021-09-06T23:45:00-04:00", "2021-09-06T23:45:00-04:00"),
        ("Mon, 06 Sep 2021 16:45:00 GMT", "2021-09-06T16:45:00+00:00"),
        ("3:10 PM EST, Sat June 17, 2023", "2023-06-17T15:10:00-05:00"),
        ("1687000000", "2023-06-17T11:06:40+00:00"),
        ("Mar 12, 2020 @ 10:42 am", "2020-03-12T10:42:00"),
        ("03.02.2022", "2022-02-03"),
        ("03.02.2022 14:05", "2022-02-03T14:05:00"),
    ],
)
def test_written_dates_become_iso_in_their_own_local_time(written: str, iso: str) -> None:
    assert normalize_published(written, now=NOW) == iso


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "no date"),
        ("2023-02-30", "impossible"),
        ("June 2023", "impossible"),  # no day: too vague to place on a timeline
        ("soon", "unreadable"),
        ("2099-01-01", "future"),
        ("0999-01-01", "implausible"),
    ],
)
def test_unusable_dates_say_why(written: str, reason: str) -> None:
    result = read_published(written, now=NOW)
    assert result.iso is None
    assert reason in (result.reason or "")


def test_tomorrow_is_allowed_for_zones_ahead_of_utc() -> None:
    assert normalize_published("2026-11-29T08:00:00+13:00", now=NOW) == "2026-11-29T08:00:00+13:00"
