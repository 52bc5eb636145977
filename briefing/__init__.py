"""Briefing: cited answers from a library of news and research articles."""

from briefing.env import quiet_environment

quiet_environment()

__version__ = "0.1.0"
