"""The follow-up e-mail after a take: the report's draft, editable, to copy or open in a mail app.

The draft is ``report.email``, written once by the pipeline
(:func:`coach.follow_up.follow_up`); nothing is composed here. The rep edits
the subject and body in place; the edited text is what the copy box holds and
what the ``mailto:`` link carries (every part URL-encoded by
:func:`mailto_url`). User text only reaches the page through widgets and
plain-text code blocks, or through :func:`coach.ui.safe.md_text`.
"""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from coach.history.store import Take
from coach.ui.safe import md_text


def mailto_url(to: str, subject: str, body: str) -> str:
    """A ``mailto:`` URL (RFC 6068): the address, subject and body percent-encoded, lines ending CRLF."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    address = quote(to.strip(), safe="@")
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def render(take: Take, *, key: str) -> None:
    st.subheader("Follow-up e-mail")
    email = take.report.email
    if email is None:
        st.caption("This take was analysed before the coach drafted follow-up e-mails; record a new take for one.")
        return
    st.caption(
        "Send it right after the voicemail: it says what the voicemail said, with the same next step "
        "and number. Edit it here, then copy it or open it in your e-mail app."
    )
    for note in email.notes:
        st.info(md_text(note), icon=":material/edit_note:")
    to = st.text_input("To", key=f"{key}-email-to", placeholder="their e-mail address")
    subject = st.text_input("Subject", value=email.subject, key=f"{key}-email-subject")
    body = st.text_area("Message", value=email.body, key=f"{key}-email-body", height=280)
    st.link_button("Open in your e-mail app", mailto_url(to, subject, body), icon=":material/mail:")
    st.caption("Or copy it (the button at the top right of the box):")
    st.code(f"Subject: {subject}\n\n{body}", language=None, wrap_lines=True)
