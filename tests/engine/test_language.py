import pytest

from dateline.process.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("US Secretary of State Antony Blinken will travel to Beijing to hold a series of meetings.", "en"),
        ("Le président de la République a annoncé hier une série de mesures pour les retraites.", "fr"),
        ("Die Bundesregierung hat am Mittwoch neue Regeln für den Wohnungsbau beschlossen.", "de"),
        ("El gobierno anunció el martes un nuevo plan de inversiones para las regiones del norte.", "es"),
    ],
)
def test_common_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "12 34 56", "OK"])
def test_too_little_text_gives_no_guess(text: str) -> None:
    assert detect_language(text) is None
