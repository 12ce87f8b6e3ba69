"""Shared fixtures: the seed disclosure (昌吉州外事办 2021 部门预算公开), parsed once per session."""
from pathlib import Path

import pytest

from ingest.pipeline import ParsedFile, parse_path

SEED_PATH = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"


@pytest.fixture(scope="session")
def seed_disclosure() -> ParsedFile:
    """The seed file read, recognized and validated once; `.disclosure` holds rows and findings."""
    return parse_path(SEED_PATH)
