import pytest

from dateline.errors import ConfigError
from dateline.settings import default_db_url, load_settings


def test_defaults_use_the_embedded_sqlite_file() -> None:
    settings = load_settings(env={})
    assert settings.db_url == default_db_url()
    assert settings.db_url.endswith("data/dateline.db")
    assert settings.admin_password is None and settings.load_samples


def test_environment_and_secrets() -> None:
    env = {"DATELINE_DB_URL": "postgresql+psycopg://u@h/db", "DATELINE_LOAD_SAMPLES": "0"}
    settings = load_settings(env=env, secrets={"dateline_admin_password": "s3cret"})
    assert settings.db_url == "postgresql+psycopg://u@h/db"
    assert settings.admin_password == "s3cret"
    assert not settings.load_samples


@pytest.mark.parametrize("env", [{"DATELINE_TOPICS_BACKEND": "magic"}, {"DATELINE_FETCH_TIMEOUT": "soon"}])
def test_bad_settings_are_configuration_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(env=env)
