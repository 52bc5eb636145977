"""Briefing: cited answers from a library of news and research articles (the app edge: API, CLI, web, exports)."""

import core  # noqa: F401  (sets the offline environment before anything heavy is imported)

__version__ = "0.1.0"
