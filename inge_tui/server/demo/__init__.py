"""Synthetic demo data: `cases` generates deterministic cases from the precomputed `tables` and
invented `names`; `rows` turns a case into table rows with the service's own rules; `seed` loads
them fast (`inge-tui demo seed`, the embedded demo, the benchmarks).
"""
