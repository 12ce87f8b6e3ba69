"""Synthetic budget disclosures with known answers (tests, demo data, benchmarks).

Everything this package writes is marked synthetic: file names start with `SYNTHETIC-`
and unit names carry the marker `（模拟）` so they can never be mistaken for a real
disclosure. See docs/generator.md.
"""
