"""Seams that keep app dependencies pointing one way.

A lower app that must let a higher app act at a moment of its own (funding closing a round, the
creator adopting a suggestion) owns a ``Hook`` in its ``hooks.py``; the higher app connects its
service in ``AppConfig.ready()``. The lower app never imports the higher one, and a reader finds
every provider by grepping ``.connect(``.

Unlike Django signals, a hook has exactly one provider, is called synchronously inside the
caller's transaction, and returns the provider's result; an unconnected hook is a configuration
error, not a silent no-op.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._provider: Callable[..., Any] | None = None

    def connect(self, provider: Callable[..., Any]) -> Callable[..., Any]:
        if self._provider is not None and self._provider is not provider:
            raise ImproperlyConfigured(f"hook {self.name} already has a provider")
        self._provider = provider
        return provider

    def __call__(self, **kwargs: Any) -> Any:
        if self._provider is None:
            raise ImproperlyConfigured(f"nothing is connected to hook {self.name}")
        return self._provider(**kwargs)
