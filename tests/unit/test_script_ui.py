"""The builder's and the e-mail's drawing helpers: underlines on escaped text, a URL-encoded mailto: link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from coach.config import default_config
from coach.script.lint import lint_script
from coach.ui.views.builder import lint_html
from coach.ui.views.follow_up import mailto_url

CONFIG = default_config()
XSS = "<script>alert('x')</script>"


def test_the_script_is_escaped_and_each_finding_underlines_its_words() -> None:
    text = f"Hi Dana, this is Sam from Acme {XSS}.\nSorry to bother you, I just wanted to touch base <b>now</b>."
    html = lint_html(lint_script(text, CONFIG))
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "&lt;b&gt;now&lt;/b&gt;" in html
    underlined = re.findall(r'<span class="vc-lint" title="([^"]*)"[^>]*>(.*?)</span>', html)
    assert [words for _, words in underlined] == ["Sorry to bother you", "just wanted to", "touch base"]
    assert all(title == "VM303 Hedging" for title, _ in underlined)
    assert "<br>" in html  # the script's line breaks are kept
    # Each underline is numbered as its finding is in the list under the script.
    result = lint_script(text, CONFIG)
    number = next(i for i, f in enumerate(result.findings, start=1) if f.code == "VM303")
    assert html.count(f'<sup style="opacity:.7">{number}</sup>') == 3


def test_a_clean_script_has_no_underline() -> None:
    text = (
        "Hi Dana, this is Sam from Acme. My number is 415-555-0192. I saw you opened a store. "
        "How is hiring going? I'll try you again Thursday at 10 am. Again, 415-555-0192."
    )
    result = lint_script(text, CONFIG, prospect="Dana")
    assert result.findings == []
    assert 'vc-lint"' not in lint_html(result)


def test_mailto_link_carries_the_edited_email_url_encoded() -> None:
    subject = "Your Denver store & payroll?"
    body = "Hi Dana,\n\nI just left you a voicemail. 100% worth a look?\n\nSam <sam@acme.com>"
    url = mailto_url(" dana@example.com ", subject, body)
    assert url.startswith("mailto:dana@example.com?subject=")
    assert not re.search(r"[\s<>\"&]", url.split("?", 1)[1].replace("&body=", "")), url
    query = parse_qs(urlsplit(url).query)
    assert query["subject"] == [subject]
    assert query["body"] == [body.replace("\n", "\r\n")]
    # A hostile address cannot add headers or break out of the link.
    url = mailto_url('x@y.com?bcc=evil@z.com&"><script>', "s", "b")
    assert url.count("?") == 1 and "<" not in url and '"' not in url
    assert unquote(url.split("?")[0][len("mailto:") :]) == 'x@y.com?bcc=evil@z.com&"><script>'
