"""`python -m bench` (`make bench`): throughput, latency and scale of the warehouse, measured
with generated disclosures through the real pipeline, side by side with what users would use
instead (camelot for PDF tables, pandas.read_excel for workbooks).

Every heavy measurement runs in its own subprocess (`python -m bench.worker STEP`), so each
figure comes with that process's peak RSS (its own and its children's: the parser pool, dbt).
The results are written to docs/benchmarks.md and docs/benchmarks.json. Nothing here is a
timed test: tests/test_bench.py only checks the shape of the results on a tiny corpus.
"""
