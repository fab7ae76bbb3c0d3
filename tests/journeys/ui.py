"""What the journeys read on the page: the site's own Chinese wording, and a screenshot of every step.

The interface is Chinese first. `zh("Approve and publish")` looks the English source string up in the project's
catalogue and returns the Chinese a visitor reads (审核通过并发布), so the journeys assert the words on the page
without copying translations into the tests, and fail loudly if a string they rely on disappears.
"""

from functools import cache
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ARTIFACTS = ROOT / "artifacts" / "journeys"


@cache
def _catalogue() -> dict[tuple[str, str], str]:
    entries = {}
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        # A plural entry answers for its singular form: msgstr[0] is the only form Chinese has.
        text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        entries[(entry.msgctxt or "", entry.msgid)] = text
    return entries


def zh(msgid: str, context: str = "", **params: object) -> str:
    """The Chinese text of an English source string, with its %(name)s placeholders filled in."""
    text = _catalogue().get((context, msgid))
    if text is None:
        text = _from_django_or_wagtail(msgid, context)
    if text is None:
        raise AssertionError(f"no zh_Hans catalogue has the message {msgid!r}")
    if not text:
        raise AssertionError(f"the zh_Hans catalogue does not translate {msgid!r}")
    return text % params if params else text


def _from_django_or_wagtail(msgid: str, context: str) -> str | None:
    """Strings our templates take from Django or Wagtail (the log-in form's "Password")."""
    from django.utils import translation

    with translation.override("zh-hans"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    return text if text != msgid else None


def screenshot(page, name: str) -> Path:
    """Keep a full-page picture of this step under artifacts/journeys/ (git-ignored), after checking that the
    page shows no unfilled placeholder of a translated message (a "%(counter)s" a visitor would read)."""
    text = page.locator("body").inner_text()
    assert "%(" not in text, f"a placeholder shows on {page.url}: {text[text.index('%(') - 40 :][:120]!r}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
