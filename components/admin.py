"""Sources page write actions (upload files, add a feed), shown only to a signed-in admin."""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path

import streamlit as st

from components import data
from components.format import format_count
from dateline.ingest_run import IngestReport, Progress, ingest_sources

UPLOAD_TYPES = ["txt", "html", "htm", "json", "jsonl", "csv", "xml", "rss", "atom"]
_ADMIN = "_admin_ok"


def admin_signed_in() -> bool:
    """Ask for the admin password when one is configured; a hosted dashboard is read-only otherwise."""
    password = data.settings().admin_password
    if not password:
        st.caption(
            "Read-only dashboard. To upload files or add feeds here, set `admin_password` in "
            "`.streamlit/secrets.toml` (or DATELINE_ADMIN_PASSWORD) and restart."
        )
        return False
    if st.session_state.get(_ADMIN):
        return True
    typed = st.text_input("Admin password", type="password", key="admin_password")
    if typed and hmac.compare_digest(typed.encode(), password.encode()):
        st.session_state[_ADMIN] = True
        return True
    if typed:
        st.error("Wrong password.")
    return False


def render_upload() -> None:
    files = st.file_uploader(
        "Upload files to ingest", type=UPLOAD_TYPES, accept_multiple_files=True, key="uploads"
    )
    if files and st.button(f"Ingest {len(files)} file(s)", type="primary", key="ingest_files"):
        with tempfile.TemporaryDirectory(prefix="dateline-upload-") as folder:
            paths = []
            for number, upload in enumerate(files):
                # Our own names: an uploaded name must never choose where on disk we write.
                path = Path(folder) / f"{number:04d}{Path(upload.name).suffix.lower()[:8]}"
                path.write_bytes(upload.getvalue())
                paths.append(str(path))
            _ingest(paths, {p: f.name for p, f in zip(paths, files, strict=True)})


def render_add_feed() -> None:
    url = st.text_input("Feed URL", placeholder="https://example.org/rss.xml", key="feed_url").strip()
    if st.button("Fetch and ingest the feed", key="ingest_feed", disabled=not url):
        if not url.startswith(("http://", "https://")):
            st.error("A feed URL starts with http:// or https://.")
            return
        _ingest([url], {url: url})


def _ingest(sources: list[str], names: dict[str, str]) -> None:
    bar = st.progress(0.0, text="Starting…")

    def progress(p: Progress) -> None:
        done = p.sources_done / max(p.sources_total, 1)
        bar.progress(min(done, 1.0), text=f"{names.get(p.current, p.current)}: {format_count(p.items)} items")

    report = ingest_sources(data.engine(), sources, data.settings(), progress=progress)
    bar.progress(1.0, text="Done")
    data.forget_cached_queries()
    _show_report(report, names)


def _show_report(report: IngestReport, names: dict[str, str]) -> None:
    summary = (
        f"{report.new:,} new, {report.updated:,} updated, {report.unchanged:,} unchanged, "
        f"{report.failed:,} failed, {report.skipped:,} skipped"
    )
    (st.warning if report.failed or report.problems else st.success)(summary)
    if report.problems:
        rows = [
            {"source": names.get(p.source, p.source), "item": p.item or "", "reason": p.reason}
            for p in report.problems
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
