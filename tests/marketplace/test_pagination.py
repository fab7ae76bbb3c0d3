"""Which page numbers a list's navigation links (marketplace.core.pagination)."""

import pytest

from marketplace.core.pagination import page_links, page_numbers


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (1, 7, [1, 2, 3, None, 7]),
        (3, 62, [1, 2, 3, 4, 5, None, 62]),
        # A gap of one page shows the page instead of an ellipsis standing for it.
        (4, 62, [1, 2, 3, 4, 5, 6, None, 62]),
        (5, 62, [1, 2, 3, 4, 5, 6, 7, None, 62]),
        (6, 62, [1, None, 4, 5, 6, 7, 8, None, 62]),
        (31, 62, [1, None, 29, 30, 31, 32, 33, None, 62]),
        (62, 62, [1, None, 60, 61, 62]),
        (5, 7, [1, 2, 3, 4, 5, 6, 7]),
        # Out of range: the nearest page.
        (0, 9, [1, 2, 3, None, 9]),
        (99, 9, [1, None, 7, 8, 9]),
    ],
)
def test_the_first_the_last_and_the_neighbours_of_the_current_page_are_linked(current, last, expected):
    assert page_numbers(current, last) == expected


def test_the_total_is_grouped_by_thousands():
    links = page_links(number=3, num_pages=62, total=1234)
    assert links.total_text == "1,234"
    assert links.has_previous and links.previous_number == 2 and links.has_next and links.next_number == 4
    assert not page_links(number=1, num_pages=1, total=0).has_next
