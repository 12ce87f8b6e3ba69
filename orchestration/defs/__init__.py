"""Dagster wiring, one concern per module: project (the dbt project), resources,
assets (ingest + dbt), checks, jobs, sensors, schedules. `orchestration.definitions`
puts them together."""
