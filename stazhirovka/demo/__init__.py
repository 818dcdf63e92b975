"""Deterministic demo data: the district of seed 003, the region, the nation."""

from .generator import SCALES, DemoSummary, generate

__all__ = ["SCALES", "DemoSummary", "generate"]
