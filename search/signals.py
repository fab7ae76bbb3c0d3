"""What the search app announces."""

from django.dispatch import Signal

# sender=SavedSearchHit, user_id=<int>, hit_ids=<list[int]>: a digest run marked these hits of one person mailed.
# Sent inside that transaction, so whoever writes the mail (search.receivers) is owed it exactly when they are.
alert_digest_due = Signal()
