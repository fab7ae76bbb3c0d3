"""Numbered page links: which page numbers a list's navigation shows, for `templates/includes/pagination.html`."""

from dataclasses import dataclass, field

# Neighbours of the current page linked on each side; the first and the last page are always linked.
NEIGHBOURS = 2


def page_numbers(current: int, last: int, *, neighbours: int = NEIGHBOURS) -> list[int | None]:
    """The page numbers to link, None where a run of them is left out (an ellipsis).

    page_numbers(6, 62) -> [1, None, 4, 5, 6, 7, 8, None, 62]. A gap of a single page shows that page rather
    than an ellipsis standing for it: page_numbers(5, 62) -> [1, 2, 3, 4, 5, 6, 7, None, 62].
    """
    last = max(1, last)
    current = min(max(1, current), last)
    shown = sorted({1, last, *range(max(1, current - neighbours), min(last, current + neighbours) + 1)})
    numbers: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:
            numbers.append(number - 1)
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


@dataclass(frozen=True)
class PageLinks:
    """What the pagination include shows: the total, where we are, and the numbers to link."""

    number: int
    num_pages: int
    total: int
    numbers: list[int | None] = field(default_factory=list)

    @property
    def total_text(self) -> str:
        return f"{self.total:,}"  # 1,234: grouped the same way in Chinese and in English

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def page_links(*, number: int, num_pages: int, total: int) -> PageLinks:
    return PageLinks(number=number, num_pages=max(1, num_pages), total=total, numbers=page_numbers(number, num_pages))


def page_links_of(page) -> PageLinks:
    """The links of a `django.core.paginator.Page`."""
    return page_links(number=page.number, num_pages=page.paginator.num_pages, total=page.paginator.count)


def api_page(rows, *, page: int, page_size: int, serialise) -> dict:
    """One page of `rows` for the open API: the total, the page asked for, and its rows through `serialise`."""
    start = (page - 1) * page_size
    return {
        "total": rows.count(),
        "page": page,
        "page_size": page_size,
        "results": [serialise(row) for row in rows[start : start + page_size]],
    }
