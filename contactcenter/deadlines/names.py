"""What a clock is called where people read it: a queue row, a home page, a line of an alert digest.

A case with two clocks (a complaint's forwarding and its answer) must read as two different things to do, so
every place that lists clocks names each one ("Forwarding to the manager, due 02.12.2026 11:00"). The case
apps know their kinds of clock; ``contactcenter`` does not import them, so each app connects a function that
returns its ``{kind: name}`` (lazily translated names, read in the reader's language) to this hook.
"""

from contactcenter.hooks import Hook

# Receivers take no argument and return a mapping of kind → name.
clock_names = Hook("deadlines.names.clock_names", arguments="none: each receiver returns {kind: name}")


def clock_name(kind: str) -> str:
    """The name of a kind of clock in the active language; the kind itself when no app names it."""
    for names in clock_names.send():
        if kind in names:
            return str(names[kind])
    return kind
