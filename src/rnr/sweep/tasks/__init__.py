"""Tasks: the data, loss, metric, memoryless baseline and "solved" rule of
each problem, behind one interface, so nothing outside this folder asks a
task for its name:

    METRIC, HIGHER_IS_BETTER    the final metric a sweep reports
    baseline(gap), solved(value, gap)
    SWEEP                       the sweep settings the user does not give
    independent sequences (copy, adding): N_IN, N_OUT, INPUT,
        batch(key, T, B) -> (x, y), loss(outputs, y), accuracy(outputs, y),
        length(T)
    STREAMING = True (echo): one long series, trained as ``rnr eco`` trains
"""

from __future__ import annotations

from rnr.sweep.tasks import adding, copy, echo

TASKS = {"copy": copy, "adding": adding, "echo": echo}


def get(name: str):
    """The task module called ``name``; UserError if there is none."""
    if name not in TASKS:
        from rnr.errors import UserError

        raise UserError("sweep_unknown_task", name=name, choices=", ".join(TASKS))
    return TASKS[name]
