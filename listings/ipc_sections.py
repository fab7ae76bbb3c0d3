"""The IPC sections as people read them: titles in the page's language, and as form choices (the indicators'
breakdown, the cards' badges). The codes themselves are parsed in `listings.patents.ipc`, which stays free of
Django."""

from django.utils.translation import get_language

from listings.patents.ipc import IPC_SECTIONS


def ipc_section_title(letter: str) -> str:
    """The official title of an IPC section in the page's language ('H' -> 'Electricity' / '电学')."""
    titles = IPC_SECTIONS.get(letter)
    if titles is None:
        return ""
    chinese, english = titles
    return chinese if (get_language() or "").startswith("zh") else english


def ipc_section_choices() -> list[tuple[str, str]]:
    """The sections as form choices ('H', 'H · Electricity'); a callable, so the titles follow each request's
    language."""
    return [(letter, f"{letter} · {ipc_section_title(letter)}") for letter in IPC_SECTIONS]
