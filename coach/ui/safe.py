"""Escaping for everything a user supplied: transcripts, file names, prospects, scripts.

The app writes some HTML of its own (the score card, the highlighted
transcript). Any text that came from a user or from a recording goes through
:func:`html_text` before it is placed in that HTML, and through
:func:`md_text` before it is placed in Markdown, so no markup from user
content ever reaches the page.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import PurePath

# Characters with a meaning in Markdown or in Streamlit's Markdown extensions
# (":red[...]" colour directives, "$...$" maths).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$>])")


def html_text(text: object) -> str:
    """``text`` as HTML character data (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(str(text), quote=True)


def md_text(text: object) -> str:
    """``text`` as literal Markdown: HTML escaped and Markdown syntax backslash-escaped."""
    flat = " ".join(str(text).split())
    # quote=False: quotes are harmless in text, and "&#x27;" would be broken by the "#" escape.
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


#: Most file systems (ext4, APFS, NTFS in UTF-8) allow 255 bytes in one name; leave room for a suffix.
MAX_NAME_BYTES = 240


def safe_filename(name: object, default: str = "recording.wav", max_bytes: int = MAX_NAME_BYTES) -> str:
    """A plain file name for writing an upload to a temporary folder.

    Drops any folder part and control characters; keeps the extension, which
    tells the decoder what to expect. The limit is in bytes of the name as the
    file system stores it (UTF-8), not characters: a Chinese character takes
    three. The original name is still shown to the user (escaped) as the
    take's name.
    """
    text = str(name or "").replace("\\", "/")
    base = PurePath(text).name if text else ""
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if not base:
        return default
    if _name_bytes(base) > max_bytes:
        suffix = PurePath(base).suffix
        if _name_bytes(suffix) > 16:
            suffix = ""
        stem = base[: len(base) - len(suffix)]
        while stem and _name_bytes(stem + suffix) > max_bytes:
            stem = stem[: -max(1, (_name_bytes(stem + suffix) - max_bytes) // 4)]
        base = (stem.rstrip() + suffix) or default
    return base


def _name_bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))
