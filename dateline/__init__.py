"""Dateline: turn news from feeds and files into clean, tagged, searchable articles."""

__version__ = "0.1.0"
