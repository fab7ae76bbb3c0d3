"""Batches of work shared among worker processes: the demo seeding and the search index rebuild.

The processes are started with multiprocessing's "spawn" method, which is safe in a multi-threaded parent (fork is
not), and so begin as fresh interpreters that unpickle their target before Django is set up: this module imports
nothing from Django at the top.

    run_in_processes("search.services.index_batches", batches, workers=2, on_report=progress.done, what="indexing")
"""

import importlib
import multiprocessing
import queue
from collections.abc import Callable
from typing import Any

Work = Callable[[list, Callable[[Any], None]], None]  # work(batches, report): report(...) after each batch


def run_in_processes(
    work: str, batches: list, *, workers: int, on_report: Callable[[Any], None], what: str, when_died: str = ""
) -> None:
    """Share `batches` among `workers` processes (every workers-th batch each, so the work advances roughly in
    order) and pass whatever they report to `on_report` as it comes.

    `work` is the dotted path of a function `work(batches, report)`, run once in each process after Django is set
    up against this process's database (under tests, not the one the settings name). The first error in any
    process stops them all and is raised here; `what` and `when_died` word it.
    """
    from django.db import connection

    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    database_name = str(connection.settings_dict["NAME"])
    processes = [
        context.Process(
            target=_work_in_process, args=(work, database_name, batches[number::workers], messages), daemon=True
        )
        for number in range(workers)
    ]
    for process in processes:
        process.start()
    running = workers
    try:
        while running:
            try:
                message = messages.get(timeout=1)
            except queue.Empty:
                # A process killed from outside (out of memory, a signal) never says goodbye.
                if any(process.exitcode not in (None, 0) for process in processes):
                    raise RuntimeError(f"A {what} process died; {when_died}".rstrip("; ")) from None
                continue
            if isinstance(message, _Finished):
                running -= 1
            elif isinstance(message, _Failed):
                raise RuntimeError(f"A {what} process failed: {message.error}")
            else:
                on_report(message)
    finally:
        for process in processes:
            if running and process.is_alive():
                process.terminate()
            process.join()


class _Finished:
    """What a process puts on the queue when its batches are done."""


class _Failed:
    def __init__(self, error: str):
        self.error = error


def _work_in_process(work: str, database_name: str, batches: list, messages) -> None:
    import django

    django.setup()
    from django.db import connection, connections

    connection.settings_dict["NAME"] = database_name
    module_name, _, function_name = work.rpartition(".")
    function: Work = getattr(importlib.import_module(module_name), function_name)
    try:
        function(batches, messages.put)
        messages.put(_Finished())
    except BaseException as error:
        messages.put(_Failed(f"{type(error).__name__}: {error}"))
        raise
    finally:
        connections.close_all()
