"""The kept "1+X" tree (selectors._centres_by_name) is dropped whenever a centre is saved or deleted."""

from marketplace.centres.selectors import forget_centre_tree


def centre_changed(sender, **kwargs) -> None:
    forget_centre_tree()
