"""`make test` runs the suite on two pytest-xdist workers with `--dist loadgroup`; tests/conftest.py marks
each test that uses a costly session fixture or a module-scoped fixture with an xdist_group, so that
fixture is built once, not once per worker. xdist turns a mark into a group by rewriting the item's
node id (`item._nodeid = nodeid + "@group"`); pytest 9 reads node ids from elsewhere and the groups
were silently ignored (every module fixture of the slow tests was built on both workers). These
tests fail if that mechanism stops working, e.g. on a pytest or xdist upgrade."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import pytest_itemcollected


def test_xdist_can_rewrite_a_node_id(request):
    item = request.node
    before = item.nodeid
    try:
        item._nodeid = f"{before}@group"
        assert item.nodeid == f"{before}@group"
    finally:
        item._nodeid = before


class _Item:
    """What pytest_itemcollected reads of a collected test."""

    def __init__(self, nodeid: str, fixtures: dict[str, str], worker: bool = True):
        self.nodeid = nodeid
        self.config = SimpleNamespace(workerinput={"workerid": "gw0"}) if worker else SimpleNamespace()
        self.fixturenames = list(fixtures)
        defs = {name: [SimpleNamespace(scope=scope)] for name, scope in fixtures.items()}
        self._fixtureinfo = SimpleNamespace(name2fixturedefs=defs)
        self.groups: list[str] = []

    def add_marker(self, mark):
        self.groups.append(mark.args[0])


@pytest.mark.parametrize(
    "fixtures, worker, groups",
    [
        ({"loaded": "session", "warehouse": "module"}, True, ["loaded"]),  # the shared session load
        ({"warehouse": "module", "tmp_path": "function"}, True, ["tests/test_x.py"]),  # its module's
        ({"tmp_path": "function"}, True, []),  # handed out alone
        ({"warehouse": "module"}, False, []),  # not a parallel run: nothing
    ],
)
def test_the_group_of_a_test(fixtures, worker, groups):
    item = _Item("tests/test_x.py::test_y", fixtures, worker)
    pytest_itemcollected(item)
    assert item.groups == groups
