"""A mistyped periodic job would otherwise fail only when its time came, in a runner's log."""

from django.conf import settings
from django.core.checks import Error, register
from django.tasks import Task
from django.utils.module_loading import import_string

from marketplace.background.schedules import next_run_after


@register()
def periodic_tasks_are_tasks(app_configs, **kwargs):
    from django.utils import timezone

    errors = []
    for task_path, spec in getattr(settings, "PERIODIC_TASKS", {}).items():
        try:
            target = import_string(task_path)
        except ImportError as error:
            errors.append(Error(f"PERIODIC_TASKS: {task_path} cannot be imported ({error}).", id="background.E001"))
            continue
        if not isinstance(target, Task):
            errors.append(Error(f"PERIODIC_TASKS: {task_path} is not a task (@task).", id="background.E002"))
        try:
            next_run_after(spec, timezone.now())
        except (ValueError, KeyError) as error:
            errors.append(
                Error(f"PERIODIC_TASKS: {task_path} has a bad schedule {spec!r} ({error}).", id="background.E003")
            )
    return errors
