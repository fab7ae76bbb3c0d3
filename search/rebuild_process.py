"""The entry point of the processes that fill the database index side by side (`search_index rebuild --workers`).

They are started with multiprocessing's "spawn" method, like the demo seeding processes, and so begin as fresh
interpreters: nothing from Django is imported at the top, because a spawned child unpickles its target first.
"""

from multiprocessing.queues import Queue


def index_batches(database_name: str, batches: list[list[int]], messages: Queue) -> None:
    """Set Django up against the parent's database (under tests not the one the settings name), index the given
    batches of listing ids, and put the size of each batch on `messages`; None at the end, or the error."""
    import django

    django.setup()
    from django.db import connection, connections

    connection.settings_dict["NAME"] = database_name
    from search.services import index_listings

    try:
        for batch in batches:
            messages.put(index_listings(batch))
        messages.put(None)
    except BaseException as error:
        messages.put(f"{type(error).__name__}: {error}")
        raise
    finally:
        connections.close_all()
