"""Answering: retrieve passages, generate, and verify every citation."""
