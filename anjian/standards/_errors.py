"""The one exception type of :mod:`anjian.standards`."""

from __future__ import annotations


class StandardsError(ValueError):
    """Input that a national standard's rule cannot accept.

    The message is written in Chinese for the regulator reading it on a page; ``code`` is a short,
    stable English key that forms and APIs may use to attach the error to a field.
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
