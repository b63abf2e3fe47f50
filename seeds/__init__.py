"""Deterministic mock data for the support database."""

from seeds.generator import populate

__all__ = ["populate"]
