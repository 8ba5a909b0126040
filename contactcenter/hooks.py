"""Hooks between apps: how an app low in the dependency order calls the apps above it without importing them.

The app that calls declares the hook beside its call (``deadlines.scan.clocks_flagged``); an app above it
connects its receiver in its ``AppConfig.ready()`` with an explicit ``order``. The receivers run by ascending
order, never by the order of ``INSTALLED_APPS`` or of start-up:

- two receivers of one hook cannot share an order (``ImproperlyConfigured`` at start-up), so the sequence is
  always the one the code states;
- connecting a receiver that is already connected, with the same order, changes nothing: it runs once.

Receivers run where the hook is sent, in its transaction: an exception in one stops the others and undoes the
caller's change with them. ``catalogue()`` lists every hook with its receivers in order (docs/architecture.md
shows the table; ``tests/test_hooks.py`` pins it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_HOOKS: dict[str, Hook] = {}


class Hook:
    """One point where the apps above may act: ``connect(receiver, order=N)``, then ``send(...)`` calls them."""

    def __init__(self, name: str, *, arguments: str):
        if name in _HOOKS:
            raise ImproperlyConfigured(f"Hook {name!r} is declared twice.")
        self.name = name
        self.arguments = arguments
        self._receivers: list[tuple[int, Any]] = []
        _HOOKS[name] = self

    def __repr__(self) -> str:
        return f"<Hook {self.name}({self.arguments})>"

    def connect(self, receiver: Any, *, order: int) -> None:
        for existing_order, existing in self._receivers:
            if existing == receiver:
                if existing_order != order:
                    raise ImproperlyConfigured(
                        f"{_name(receiver)} is connected to hook {self.name!r} at order {existing_order}, "
                        f"and again at order {order}."
                    )
                return
            if existing_order == order:
                raise ImproperlyConfigured(
                    f"Hook {self.name!r}: {_name(receiver)} and {_name(existing)} both ask for order {order}; "
                    "give each its own place."
                )
        self._receivers.append((order, receiver))
        self._receivers.sort(key=lambda pair: pair[0])

    def disconnect(self, receiver: Any) -> None:
        self._receivers = [(order, existing) for order, existing in self._receivers if existing != receiver]

    @contextmanager
    def connected(self, receiver: Any, *, order: int) -> Iterator[Any]:
        """``receiver`` connected for the ``with`` block only (tests)."""
        self.connect(receiver, order=order)
        try:
            yield receiver
        finally:
            self.disconnect(receiver)

    @property
    def receivers(self) -> tuple[Any, ...]:
        return tuple(receiver for _order, receiver in self._receivers)

    def send(self, *args, **kwargs) -> list:
        """Call every receiver in order with these arguments; their answers, in the same order."""
        return [receiver(*args, **kwargs) for receiver in self.receivers]


def _name(receiver: Any) -> str:
    if callable(receiver) and hasattr(receiver, "__qualname__"):
        return f"{receiver.__module__}.{receiver.__qualname__}"
    return repr(receiver)


def catalogue() -> dict[str, list[tuple[int, str]]]:
    """Every declared hook and its receivers, in the order they run: ``{name: [(order, receiver), …]}``."""
    return {name: [(order, _name(receiver)) for order, receiver in hook._receivers] for name, hook in _HOOKS.items()}
