"""The entry point of the processes that seed demo listings side by side (marketplace.demo.listings).

They are started with multiprocessing's "spawn" method, which is safe in a multi-threaded parent (fork is not),
and so begin as fresh interpreters: this module imports nothing from Django at the top, because a spawned child
unpickles its target before Django is set up.
"""

from multiprocessing.queues import Queue


def seed_batches(database_name: str, batches: list[range], messages: Queue) -> None:
    """Set Django up against the parent's database (which, under tests, is not the one the settings name), then
    seed the given batches and report each one on `messages`."""
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["NAME"] = database_name

    from marketplace.demo.listings import seed_batches_and_report

    seed_batches_and_report(batches, messages)
