"""What the demands app announces. Other apps (the page cache, later matching and search) listen; demands imports
none of them.

Each signal is sent inside the transaction that made the change; receivers that act outside the database register
`transaction.on_commit` themselves.
"""

from django.dispatch import Signal

# sender=Demand, demand=<Demand>: it is now on the public site.
demand_published = Signal()
# sender=Demand, demand=<Demand>: a published demand's content changed.
demand_changed = Signal()
# sender=Demand, demand=<Demand>, status=<new status>: it left the public site (paused, closed or expired).
demand_closed = Signal()
# sender=Demand, demand=<Demand>, deal=<Deal or None>, solved_on=<date>: the organisation closed it as solved
# (receivers.py books it in the indicators' "demands solved" figure).
demand_solved = Signal()
# sender=DemandAnswer, answer=<DemandAnswer>: a seller answered a demand with its listings.
demand_answered = Signal()
