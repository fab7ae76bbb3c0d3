"""What demands do when something happens elsewhere, and what their own announcements set off.

A person's copy of their data (marketplace.accounts.signals): nothing of a demand is erased when its writer closes
their account: the demand is the organisation's, and its `created_by` now names a closed account.

The search index follows the demands: a publication, an edit of a published demand and its leaving the site
(paused, closed, expired) each owe the index an update, written to search's outbox in the same transaction and
drained by the task runner after commit, as listings' changes are (search.services).

A demand closed as solved is booked in the indicators' "demands solved" figure. The indicators app is older than
demands and may not import it (tests/test_layers.py), so it cannot listen to `demand_solved` itself: demands, the
newer app, connects its own signal to indicators' booking service, in the transaction of the close and exactly
once per demand (indicators.services.solved_demand_book)."""

from demands.models import Demand
from demands.selectors import personal_data_sections
from demands.signals import demand_changed, demand_closed, demand_published, demand_solved
from indicators.services import solved_demand_book
from marketplace.accounts.signals import personal_data_requested
from search.backends.base import DEMANDS
from search.services import document_outbox_queue
from search.tasks import drain_soon_after_commit


def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


def queue_reindex(sender, demand: Demand, **kwargs) -> None:
    document_outbox_queue(kind=DEMANDS, document_id=demand.pk)
    drain_soon_after_commit()


def book_solved_demand(sender, demand: Demand, deal, solved_on, **kwargs) -> None:
    solved_demand_book(demand_id=demand.pk, centre=demand.centre, deal=deal, solved_on=solved_on)


def connect() -> None:
    demand_solved.connect(book_solved_demand, dispatch_uid="demands.book_solved_demand")
    personal_data_requested.connect(personal_data, dispatch_uid="demands.personal_data")
    # Published, changed and closed all re-read the committed demand (search.services.document_reindex).
    demand_published.connect(queue_reindex, dispatch_uid="demands.reindex_on_published")
    demand_changed.connect(queue_reindex, dispatch_uid="demands.reindex_on_changed")
    demand_closed.connect(queue_reindex, dispatch_uid="demands.reindex_on_closed")
