"""Shared fixtures: the seed disclosure (昌吉州外事办 2021 部门预算公开), parsed once per session,
and one full in-process load of it through Dagster + dbt into a temporary warehouse."""

import os
import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ParsedFile, parse_path
from ingest.settings import ENV_VAR, Settings

SEED_PATH = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"

# The tests' loads never publish to a developer's PostgreSQL (tests/test_publish_pg.py starts its own).
os.environ.pop("BUDGET_WAREHOUSE_PG_DSN", None)

# Session fixtures too costly to build once per xdist worker: every test using one runs on one worker.
SHARED_SESSION_FIXTURES = ("loaded",)


def pytest_itemcollected(item):
    """For `make test`'s parallel run (pytest-xdist, `--dist loadgroup`): a test using a costly session
    fixture goes to that fixture's group, and a test using a module-scoped fixture to its module's
    group, so each such fixture is still built once (an xdist worker builds its own of every scope).
    Marked here, as each test is collected: xdist's own pytest_collection_modifyitems turns the marks
    into the groups it schedules by, and it may run before any other plugin's. Without xdist
    (`make test-fast`, a developer's run) nothing changes."""
    if not hasattr(item.config, "workerinput"):
        return
    fixtures = getattr(item, "_fixtureinfo", None)
    defs = fixtures.name2fixturedefs if fixtures else {}
    shared = [name for name in SHARED_SESSION_FIXTURES if name in item.fixturenames]
    if shared:
        item.add_marker(pytest.mark.xdist_group(shared[0]))
    elif any(d and d[-1].scope == "module" for name, d in defs.items() if name in item.fixturenames):
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def pytest_collection_modifyitems(config, items):
    """In the parallel run the other tests are handed out one by one, slow ones first, so no long one
    starts last while the other worker idles."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: slow first


@pytest.fixture(scope="session")
def seed_disclosure() -> ParsedFile:
    """The seed file read, recognized and validated once; `.disclosure` holds rows and findings."""
    return parse_path(SEED_PATH)


@pytest.fixture(scope="session")
def loaded(tmp_path_factory):
    """The whole graph (ingest → lake → dbt build), materialized in-process against a fresh data folder."""
    data = tmp_path_factory.mktemp("data")
    (data / "inbox").mkdir()
    shutil.copy(SEED_PATH, data / "inbox" / SEED_PATH.name)
    return Settings(data_dir=data), materialize(data)


def materialize(data: Path):
    """Load the data folder `data` (its inbox) and build the warehouse: the whole graph, in-process, in an
    ephemeral Dagster instance. Returns the run's result."""
    import dagster as dg

    from orchestration.cli import materialize_all

    with pytest.MonkeyPatch.context() as mp, dg.DagsterInstance.ephemeral() as instance:
        mp.setenv(ENV_VAR, str(data))
        return materialize_all(instance=instance)


# Real published disclosures (read-only, next to the project: ../shared/real-disclosures). CI runs
# on a clone with a copy of shared/ beside it; a missing folder is an error, not a skip.
REAL_DISCLOSURES = Path(__file__).resolve().parents[2] / "shared" / "real-disclosures"


def real_disclosure(name: str) -> Path:
    """A real published PDF by file name (searched in budget/ and final-accounts/)."""
    hits = sorted(REAL_DISCLOSURES.glob(f"*/{name}"))
    assert hits, f"{name} not found under {REAL_DISCLOSURES} (the shared real-disclosures folder)"
    return hits[0]


def cjk_font_to_embed(folder: Path) -> Path:
    """A CJK TrueType font for generated PDFs to embed: the host's, else a box-glyph font built in
    `folder` (a fresh machine has none)."""
    from generator.render.pdf import find_embeddable_cjk_font
    from ingest.readers.pdfium_fonts import build_font

    return find_embeddable_cjk_font() or build_font(
        folder / "cjk-boxes.ttf",
        space_advance=250,
        chars="".join(map(chr, range(0x3000, 0xA000))) + "".join(map(chr, range(0xFF00, 0xFFEF))),
    )


def stop_process_group(proc, term_grace: float) -> None:
    """Stop a server started with start_new_session=True: SIGTERM to its process group, SIGKILL after
    `term_grace` seconds, until no member is left (the group may outlive its leader)."""
    import signal
    import subprocess

    for sig, grace in ((signal.SIGTERM, term_grace), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
