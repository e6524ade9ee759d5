"""AppTest: every page from app.py on an empty and a seeded store; filters, URL state, escaping."""

from __future__ import annotations

import json

import pytest

from tests.ui.corpus import HTML_TITLE, make_articles

PAGES = {
    "views/overview.py": "Overview",
    "views/timeline.py": "Timeline",
    "views/map.py": "Map",
    "views/reader.py": "Reader",
    "views/search.py": "Search",
    "views/sources.py": "Sources",
    "views/export.py": "Export",
}
ARTICLES = make_articles()


def about(code: str) -> int:
    return sum(any(c.code == code and c.about for c in a.countries) for a in ARTICLES)


def texts(at, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def plotly_specs(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def page_link_labels(at) -> list[str]:
    return [e.proto.label for e in at.get("page_link")]


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_store(empty_env, app, page: str) -> None:
    at = app(page=page)
    assert not at.exception, at.exception
    assert PAGES[page] in texts(at, "title")[0]
    assert at.info or at.caption  # an empty state that says what to do


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_seeded_store(seeded_env, app, page: str) -> None:
    at = app({"q": "story"} if page.endswith("search.py") else None, page=page)
    assert not at.exception, at.exception
    assert not at.warning, texts(at, "warning")
    assert PAGES[page] in texts(at, "title")[0]


def test_empty_overview_tells_what_to_do(empty_env, app) -> None:
    at = app()
    assert metric(at, "Articles") == "0"
    assert any("Sources" in text for text in texts(at, "info"))


def test_overview_counts_and_headlines(seeded_env, app) -> None:
    at = app()
    assert metric(at, "Articles") == f"{len(ARTICLES):,}"
    labels = page_link_labels(at)
    assert any("Story 00" in label for label in labels)  # newest headline links to the reader
    assert any("United States" in label for label in labels)  # top country links to its view


def test_choosing_a_country_filters_every_count_and_writes_the_url(seeded_env, app) -> None:
    at = app()
    at.multiselect(key="f_countries").select("FR").run()
    assert metric(at, "Articles") == f"{about('FR'):,}"
    assert at.query_params["country"] == ["FR"] or at.query_params["country"] == "FR"
    at.radio(key="f_cmode").set_value("mentioned").run()
    mentioned = sum(any(c.code == "FR" for c in a.countries) for a in ARTICLES)
    assert metric(at, "Articles") == f"{mentioned:,}" and mentioned > about("FR")


def test_country_choices_are_counted_the_way_country_match_counts(seeded_env, app) -> None:
    mentioned = sum(any(c.code == "FR" for c in a.countries) for a in ARTICLES)
    assert mentioned > about("FR")  # else the case tests nothing
    at = app()
    assert f"France ({about('FR'):,})" in at.multiselect(key="f_countries").options
    at.radio(key="f_cmode").set_value("mentioned").run()
    assert f"France ({mentioned:,})" in at.multiselect(key="f_countries").options


def test_reset_clears_every_filter_and_the_url(seeded_env, app) -> None:
    at = app({"country": "FR", "topic": "medtop:11000000", "q": "story", "period": "30d"})
    assert metric(at, "Articles") != f"{len(ARTICLES):,}"
    at.button(key="reset_filters").click().run()
    assert metric(at, "Articles") == f"{len(ARTICLES):,}"
    assert at.multiselect(key="f_countries").value == [] and at.text_input(key="f_query").value == ""
    assert list(at.query_params) == []


def test_a_url_restores_filters_and_page_state(seeded_env, app) -> None:
    params = {
        "country": ["US", "IN"],
        "cmode": "mentioned",
        "topic": "medtop:11000000",
        "period": "custom",
        "from": "2019-06-01",
        "to": "2020-03-31",
        "q": "story",
        "gran": "month",
        "split": "country",
        "measure": "share",
    }
    at = app(params, page="views/timeline.py")
    assert not at.exception and not at.warning
    assert at.multiselect(key="f_countries").value == ["US", "IN"]
    assert at.radio(key="f_cmode").value == "mentioned"
    assert at.multiselect(key="f_topics").value == ["medtop:11000000"]
    assert at.selectbox(key="f_period").value == "custom"
    assert [d.isoformat() for d in at.date_input(key="f_range").value] == ["2019-06-01", "2020-03-31"]
    assert at.text_input(key="f_query").value == "story"
    assert at.radio(key="p_gran").value == "month"
    assert at.selectbox(key="p_split").value == "country"
    assert at.radio(key="p_measure").value == "share"
    spec = plotly_specs(at)[0]
    assert "Share" in spec["layout"]["yaxis"]["title"]["text"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "Month"


def test_the_written_url_reproduces_the_view_in_a_new_session(seeded_env, app) -> None:
    first = app(page="views/timeline.py")
    first.multiselect(key="f_topics").select("medtop:04000000").run()
    first.radio(key="p_gran").set_value("day").run()
    params = {key: first.query_params[key] for key in first.query_params}
    assert params["gran"] in ("day", ["day"])
    second = app(params, page="views/timeline.py")
    assert second.multiselect(key="f_topics").value == ["medtop:04000000"]
    assert second.radio(key="p_gran").value == "day"
    assert plotly_specs(second)[0]["data"] == plotly_specs(first)[0]["data"]


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"period": "yesterday"}, "Unknown period"),
        ({"country": "France"}, "not a valid country code"),
        ({"bogus": "1"}, "Unknown parameter 'bogus'"),
        ({"page": "-1"}, "not a page number"),
        ({"from": "31/12/2020"}, "not a date"),
    ],
)
def test_bad_parameters_show_a_notice_not_a_traceback(seeded_env, app, params: dict, notice: str) -> None:
    at = app(params)
    assert not at.exception
    assert any(notice in text for text in texts(at, "warning")), texts(at, "warning")


@pytest.mark.parametrize(
    ("params", "page"),
    [
        ({"from": "1901-01-01", "to": "2150-12-31"}, "views/map.py"),  # outside the stored dates
        ({"period": "custom"}, "views/timeline.py"),
        ({"page": "99999"}, "views/timeline.py"),
        ({"country": "ZZ", "topic": "medtop:99999999", "source": "<b>x</b>"}, "views/overview.py"),
        ({"q": '"unbalanced OR - AND ( * ^ :'}, "views/search.py"),
    ],
)
def test_odd_but_valid_parameters_still_render(seeded_env, app, params: dict, page: str) -> None:
    at = app(params, page=page)
    assert not at.exception, at.exception


def test_html_in_titles_is_shown_as_text(seeded_env, app) -> None:
    at = app()
    labels = page_link_labels(at)
    shown = next(label for label in labels if "script" in label)
    assert "<script>" not in shown and r"\<script\>" in shown
    for element in at.markdown:
        if element.proto.allow_html:
            assert "<script>" not in element.value


def test_reader_shows_the_article_from_the_url(seeded_env, app) -> None:
    at = app({"article": "art0005"}, page="views/reader.py")
    assert not at.exception
    assert "script" in texts(at, "title")[0] and "<script>" not in texts(at, "title")[0]
    body = next(m.value for m in at.markdown if "class='dl-text'" in m.value)
    assert "<mark" in body  # country mentions highlighted
    assert HTML_TITLE not in body
    assert at.query_params["article"] in ("art0005", ["art0005"])


def test_reader_with_an_unknown_article_says_so(seeded_env, app) -> None:
    at = app({"article": "nope"}, page="views/reader.py")
    assert not at.exception
    assert any("No article with id" in text for text in texts(at, "warning"))


def test_search_highlights_matches_and_counts_facets(seeded_env, app) -> None:
    at = app({"q": "story"}, page="views/search.py")
    assert any("articles match" in text for text in texts(at, "subheader"))
    assert any("<mark>" in m.value for m in at.markdown if m.proto.allow_html)


def test_map_draws_countries_offline_and_lists_the_selected_one(seeded_env, app) -> None:
    at = app({"country": "FR"}, page="views/map.py")
    chart = at.get("plotly_chart")[0]
    spec = json.loads(chart.proto.spec)
    assert spec["data"][0]["type"] == "choropleth" and "USA" in spec["data"][0]["locations"]
    assert json.loads(chart.proto.config)["topojsonURL"] == "/app/static/"
    assert any("France" in text and f"{about('FR')} articles" in text for text in texts(at, "subheader"))


def test_export_offers_every_matching_article(seeded_env, app) -> None:
    at = app({"country": "FR"}, page="views/export.py")
    assert any(f"{about('FR')} articles" in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 1


def test_sources_are_read_only_without_an_admin_password(seeded_env, app) -> None:
    at = app(page="views/sources.py")
    assert (
        not at.text_input(key="admin_password")
        if "admin_password" in [t.key for t in at.text_input]
        else True
    )
    assert any("Read-only" in text for text in texts(at, "caption"))


def test_sources_write_actions_need_the_password(seeded_env, app, monkeypatch) -> None:
    monkeypatch.setenv("DATELINE_ADMIN_PASSWORD", "s3cret")
    at = app(page="views/sources.py")
    assert not at.get("file_uploader")
    at.text_input(key="admin_password").input("wrong").run()
    assert any("Wrong password" in text for text in texts(at, "error"))
    at.text_input(key="admin_password").input("s3cret").run()
    assert at.get("file_uploader") and at.text_input(key="feed_url")


def test_an_admin_uploads_a_file_and_sees_it_ingested(empty_env, app, monkeypatch) -> None:
    monkeypatch.setenv("DATELINE_ADMIN_PASSWORD", "s3cret")
    records = [
        {"id": f"u{i}", "url": f"https://example.org/u{i}", "title": f"Uploaded story {i} from Kenya",
         "text": "Nairobi, Kenya. The parliament of Kenya voted on a new budget today. " * 5,
         "published": f"2020-05-0{i + 1}T10:00:00"}
        for i in range(2)
    ]  # fmt: skip
    body = "\n".join(json.dumps(r) for r in records).encode()
    at = app(page="views/sources.py")
    at.text_input(key="admin_password").input("s3cret").run()
    at.get("file_uploader")[0].set_value(("stories.jsonl", body, "application/json"))
    at.run()
    at.button(key="ingest_files").click().run()
    assert not at.exception, at.exception
    assert any("2 new" in text for text in texts(at, "success") + texts(at, "warning")), texts(at, "warning")
    at.switch_page("views/overview.py").run()
    assert metric(at, "Articles") == "2"


def test_an_admin_adds_a_feed_url_and_its_entries_are_ingested(
    empty_env, app, monkeypatch, fixture_server
) -> None:
    monkeypatch.setenv("DATELINE_ADMIN_PASSWORD", "s3cret")
    at = app(page="views/sources.py")
    at.text_input(key="admin_password").input("s3cret").run()
    at.text_input(key="feed_url").input(f"{fixture_server}/feeds/atom.xml").run()
    at.button(key="ingest_feed").click().run()
    assert not at.exception, at.exception
    reports = texts(at, "success") + texts(at, "warning")
    assert any(" new" in text and "0 new" not in text for text in reports), reports
    at.switch_page("views/overview.py").run()
    assert int(metric(at, "Articles")) >= 1


@pytest.mark.parametrize(("gran", "says_weeks"), [("week", True), ("month", False), ("day", False)])
def test_timeline_says_when_weeks_start_only_for_weekly_bars(
    seeded_env, app, gran: str, says_weeks: bool
) -> None:
    at = app({"gran": gran}, page="views/timeline.py")
    hint = next(text for text in texts(at, "caption") if text.startswith("Click a bar"))
    assert ("Weeks start on Monday" in hint) is says_weeks
