"""Ingestion: load, clean, chunk, embed and index documents."""
