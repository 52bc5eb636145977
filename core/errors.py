"""Exceptions raised by Briefing; front ends turn them into friendly messages."""


class BriefingError(Exception):
    """Base class for every error Briefing reports to a user."""


class LoadError(BriefingError):
    """A source could not be read; the message names the reason."""


class UnsupportedType(LoadError):
    """The file type has no loader."""


class BackendUnavailable(BriefingError):
    """An optional backend is not installed or not reachable."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(f"{message} ({hint})" if hint else message)
        self.hint = hint


class StoreUnavailable(BriefingError):
    """The vector store (e.g. a Chroma server) cannot be reached."""


class NotFound(BriefingError):
    """A document id that the library does not hold."""


class EmbedderMismatch(BriefingError):
    """The library's vectors were made by another embedding model than the one configured."""
