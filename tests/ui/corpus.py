"""A small, varied, deterministic set of articles for the dashboard tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateline.models import Article, CountryTag, TopicTag

COUNTRIES = {
    "US": "United States",
    "FR": "France",
    "DE": "Germany",
    "BR": "Brazil",
    "IN": "India",
    "XK": "Kosovo",
}
TOPICS = {
    "medtop:11000000": "politics and government",
    "medtop:04000000": "economy, business and finance",
    "medtop:15000000": "sport",
    "medtop:13000000": "science and technology",
}
SOURCES = ("Wikinews", "Example Times", "Daily *Star*")
NEWEST = datetime(2020, 6, 30, 18, 0)
HTML_TITLE = "<b>x</b> and <script>alert(1)</script> in a title"


def _country(code: str, text: str, about: bool) -> CountryTag:
    name = COUNTRIES[code]
    start = text.find(name)
    offsets = ((start, start + len(name)),) if start >= 0 else ()
    return CountryTag(
        code=code,
        name=name,
        mentions=max(1, len(offsets)),
        salience=0.8 if about else 0.2,
        about=about,
        offsets=offsets,
    )


def make_articles(n: int = 60) -> list[Article]:
    """`n` articles over ~18 months, skewed towards the US, politics and the first source."""
    codes, topics = list(COUNTRIES), list(TOPICS)
    articles = []
    for i in range(n):
        about = codes[0] if i % 3 == 0 else codes[i % len(codes)]
        mentioned = codes[(i + 2) % len(codes)]
        topic = topics[0] if i % 2 == 0 else topics[i % len(topics)]
        when = NEWEST - timedelta(days=9 * i, hours=i % 7)
        title = (
            HTML_TITLE if i == 5 else f"Story {i:02d} on {TOPICS[topic].split(',')[0]} in {COUNTRIES[about]}"
        )
        text = (
            f"{COUNTRIES[about]} was the centre of story {i}. Officials in {COUNTRIES[mentioned]} reacted.\n\n"
            f"More details about the {TOPICS[topic]} angle follow here."
        )
        tags = (_country(about, text, True),) + (
            (_country(mentioned, text, False),) if mentioned != about else ()
        )
        articles.append(
            Article(
                id=f"art{i:04d}",
                url=f"https://en.wikinews.org/wiki/Story_{i}" if i % 3 == 0 else f"https://example.org/{i}",
                title=title,
                text=text,
                author="Reporter" if i % 2 else None,
                published_at=when.isoformat(timespec="seconds") + ("+02:00" if i % 4 == 0 else ""),
                source=SOURCES[0] if i % 3 == 0 else SOURCES[i % len(SOURCES)],
                dateline=COUNTRIES[about].upper() if i % 5 == 0 else None,
                agency="AP" if i % 7 == 0 else None,
                language="en" if i % 10 else "fr",
                countries=tags,
                topics=(TopicTag(code=topic, label=TOPICS[topic], score=0.9, primary=True),),
            )
        )
    return articles
