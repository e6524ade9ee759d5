"""Exceptions for bugs and misconfiguration; bad input is reported as a Problem instead."""


class DatelineError(Exception):
    """Base of every error Dateline raises on purpose."""


class ConfigError(DatelineError):
    """A setting is missing or invalid (bad database URL, unreadable settings)."""


class StoreError(DatelineError):
    """The database cannot be opened or migrated."""
