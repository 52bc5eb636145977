"""The shared bottom layer: domain types, errors, settings, environment and word lists.

Everything else (ingest/, rag/, the app edge in briefing/ and ui.py) imports this package;
it imports none of them.
"""

from core.env import quiet_environment

# Whatever is imported first (the CLI, a test, a bench script), no model hub or telemetry is reached.
quiet_environment()
