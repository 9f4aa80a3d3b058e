"""The sandbox canned replies render in: jinja2's immutable sandbox, plus limits on time, output
size and the operations that can build huge values in one step (``'x' * 10**9``, ``10 ** 10 ** 8``,
``'x' | center(10**9)``)."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment

RENDER_SECONDS = 1.0
MAX_OUTPUT = 20_000
"""Characters; far more than any platform takes in one reply."""
MAX_EXPONENT = 256


class TemplateLimit(Exception):
    """A template went past a limit; the message says which."""


class LimitedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._deadline = threading.local()
        self.filters = {name: self._checked(function) for name, function in self.filters.items()}

    def render_limited(self, source: str, variables: Mapping[str, Any]) -> str:
        """The template's output, stopped at RENDER_SECONDS of work or MAX_OUTPUT characters."""
        template = self.from_string(source)
        self._deadline.at = time.monotonic() + RENDER_SECONDS
        try:
            parts: list[str] = []
            size = 0
            for part in template.generate(**variables):
                size += len(part)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(f"it makes more than {MAX_OUTPUT:,} characters")
                parts.append(part)
                self._check_time()
            return "".join(parts)
        finally:
            self._deadline.at = None

    # Every call, attribute, item and intercepted operator passes here: a loop that outputs
    # nothing still calls or reads something on each turn, so the clock is checked often enough.

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja's signature
        __self._check_time()
        __self._check_sizes(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self._check_time()
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise TemplateLimit(f"an exponent above {MAX_EXPONENT}")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                        and len(sequence) * times > MAX_OUTPUT:
                    raise TemplateLimit(f"it makes a value longer than {MAX_OUTPUT:,}")
        return super().call_binop(context, operator, left, right)

    def _checked(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def limited(*args: Any, **kwargs: Any) -> Any:
            self._check_time()
            self._check_sizes(args, kwargs)
            return function(*args, **kwargs)

        return limited

    def _check_time(self) -> None:
        deadline = getattr(self._deadline, "at", None)
        if deadline is not None and time.monotonic() > deadline:
            raise TemplateLimit(f"it took longer than {RENDER_SECONDS:g} s")

    @staticmethod
    def _check_sizes(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        """A width or count that would build a huge value (center, indent, wordwrap, truncate)."""
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT:
                raise TemplateLimit(f"a number above {MAX_OUTPUT:,} given to a function")
