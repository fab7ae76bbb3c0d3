"""Which of a text's two versions a reader sees: the Chinese text, written first, or the English one its author may
add (listings, centres, policy pages). Never machine-translated: an English reader of a text that has no English
version sees the Chinese, marked as such, rather than a guess."""

from dataclasses import dataclass

from django.utils.translation import get_language

CHINESE, ENGLISH = "zh-Hans", "en"  # as the HTML lang attribute names them


@dataclass(frozen=True)
class ShownText:
    text: str
    lang: str  # the language the text is written in, for the lang attribute
    chinese_only: bool  # the reader reads English and the author wrote no English version


def reads_english(language: str | None = None) -> bool:
    return (language or get_language() or "").lower().startswith("en")


def shown_text(chinese: str, english: str, language: str | None = None) -> ShownText:
    """The version of a text the reader of `language` (the active language by default) sees."""
    if not reads_english(language):
        return ShownText(chinese, CHINESE, chinese_only=False)
    if english.strip():
        return ShownText(english, ENGLISH, chinese_only=False)
    return ShownText(chinese, CHINESE, chinese_only=bool(chinese))
