"""The "copy link" control: the view's address in a read-only box with a one-click Copy button."""

from __future__ import annotations

from html import escape

import streamlit as st

# Plain HTML + a few lines of JS in a srcdoc iframe: st.code would do the job but pulls in Streamlit's
# 1.5 MB syntax highlighter, measured at ~0.7 s of browser main-thread time on every first page load.
_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8"><style>
  body {{ margin: 0; font: 13px/1.4 "Source Sans Pro", "Source Sans 3", system-ui, sans-serif; }}
  .row {{ display: flex; gap: 6px; align-items: stretch; }}
  input {{ flex: 1; min-width: 0; padding: 6px 8px; border-radius: 6px; border: 1px solid {border};
          background: {field}; color: {text}; font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }}
  button {{ padding: 6px 10px; border-radius: 6px; border: 1px solid {border}; background: {field};
           color: {text}; cursor: pointer; white-space: nowrap; font: inherit; }}
  button:hover {{ border-color: {accent}; color: {accent}; }}
</style></head><body>
<div class="row">
  <input id="link" type="text" readonly value="{url}" aria-label="Link to this view">
  <button id="copy" type="button" title="Copy the link to this view">📋 Copy</button>
</div>
<script>
  const box = document.getElementById("link"), button = document.getElementById("copy");
  box.addEventListener("focus", () => box.select());
  button.addEventListener("click", async () => {{
    try {{ await navigator.clipboard.writeText(box.value); }}
    catch (err) {{ box.select(); document.execCommand("copy"); }}  // http:// hosts have no clipboard API
    button.textContent = "✅ Copied";
    setTimeout(() => {{ button.textContent = "📋 Copy"; }}, 2000);
  }});
</script></body></html>"""

_COLOURS = {
    "light": {"border": "#d5dae5", "field": "#ffffff", "text": "#31333f", "accent": "#ff4b4b"},
    "dark": {"border": "#3a3f4b", "field": "#1b1e26", "text": "#e6e6ea", "accent": "#ff4b4b"},
}


def copy_link_html(url: str, theme: str = "light") -> str:
    """The control's document; `url` is escaped, so any filter text in it stays inert."""
    colours = _COLOURS.get(theme, _COLOURS["light"])
    return _TEMPLATE.format(url=escape(url, quote=True), **colours)


def render_copy_link(url: str) -> None:
    theme = getattr(st.context.theme, "type", None) or "light"
    st.iframe(copy_link_html(url, theme), height=40)
