"""`annual_load`: a full load each March, after units publish their budgets (Feb).

The sensor loads files as they land; the schedule is the safety net that rebuilds the
warehouse once a year even if no file triggered it.
"""

from __future__ import annotations

import dagster as dg

from .jobs import load_job

annual_load = dg.ScheduleDefinition(
    name="annual_load",
    job=load_job,
    cron_schedule="0 3 1 3 *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Full load on 1 March, 03:00 China time.",
)
