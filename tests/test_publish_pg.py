"""Publishing the marts to PostgreSQL (BUDGET_WAREHOUSE_PG_DSN), against a real server.

The server is started by tests/pg_server.py (initdb + pg_ctl on a free port, as the `postgres`
OS user under root) and stopped after; without server binaries the tests fail naming
`make postgres`. Each test gets its own database.
"""

import threading
import uuid
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from orchestration import publish_pg
from orchestration.publish_pg import check_publication, pg_type, publish, published_state, status_path
from pg_server import PostgresUnavailable, postgres_server


def test_pg_types_are_exact():
    assert pg_type("DECIMAL(20,6)") == "numeric(20,6)"
    assert pg_type("DECIMAL(5,4)") == "numeric(5,4)"
    assert pg_type("VARCHAR") == "text"
    assert pg_type("TIMESTAMP WITH TIME ZONE") == "timestamptz"
    assert pg_type("HUGEINT") == "numeric(39,0)"
    with pytest.raises(ValueError, match="no PostgreSQL type for DuckDB type 'INTEGER\\[\\]'"):
        pg_type("INTEGER[]")


def test_not_configured_check_passes_and_says_so(tmp_path, monkeypatch):
    from ingest.settings import Settings

    monkeypatch.delenv(publish_pg.DSN_VAR, raising=False)
    passed, description, meta = check_publication(Settings(data_dir=tmp_path))
    assert passed and "not set" in description and meta == {"configured": False}


# ---- against a real server ------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    try:
        with postgres_server() as dsn:
            yield dsn
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))


@pytest.fixture
def dsn(server):
    name = "t_" + uuid.uuid4().hex[:10]
    with psycopg.connect(server, autocommit=True) as c:
        c.execute(f"create database {name}")
    yield server.replace("dbname=postgres", f"dbname={name}")


def _warehouse(path: Path, variant: str) -> dict:
    """A small warehouse with two real marts' columns; returns the fingerprint a BI query reads."""
    n_spending, n_three = {"A": (3, 5), "B": (7, 2)}[variant]
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.mart_regional_spending (fiscal_year integer, region_name varchar, "
            "total_wan_yuan decimal(20,6), basic_wan_yuan decimal(20,6))"
        )
        con.execute(
            "create table marts.mart_three_public_trends (fiscal_year integer, unit_id varchar, "
            "total_wan_yuan decimal(20,6), per_in_service_staff_wan_yuan decimal(20,6))"
        )
        con.execute(
            "create table marts.mart_quarantined_files (sha256 varchar, quarantined_at timestamptz, status varchar)"
        )
        for i in range(n_spending):
            con.execute(
                "insert into marts.mart_regional_spending values (?, ?, ?, ?)",
                [
                    2020 + i,
                    f"地区{i}",
                    Decimal("99999999999999.999999") if i == 0 else Decimal(i) / 1000000,
                    Decimal("0.000001"),
                ],
            )
        for i in range(n_three):
            con.execute(
                "insert into marts.mart_three_public_trends values (2021, ?, ?, null)", [f"u{i}", Decimal("1.1")]
            )
        con.execute("insert into marts.mart_quarantined_files values ('ab', '2024-01-02 03:04:05+00', 'open')")
        spending_sum = con.execute("select sum(total_wan_yuan) from marts.mart_regional_spending").fetchone()[0]
    return {"variant": variant, "fp": (n_spending, spending_sum, n_three, n_spending)}


BI_QUERY = """select (select count(*) from marts.mart_regional_spending),
                     (select sum(total_wan_yuan) from marts.mart_regional_spending),
                     (select count(*) from marts.mart_three_public_trends),
                     (select count(*) from bi_zh.mart_regional_spending)"""


@pytest.mark.slow  # a PostgreSQL server
def test_publish_types_values_comments_views_and_grants(tmp_path, dsn):
    wh = tmp_path / "warehouse.duckdb"
    expected = _warehouse(wh, "A")
    pub = publish(wh, dsn, status_path=tmp_path / "status.json")
    assert pub.ok, pub.error
    assert pub.tables == {"mart_regional_spending": 3, "mart_three_public_trends": 5, "mart_quarantined_files": 1}
    with psycopg.connect(dsn, autocommit=True) as c:
        types = dict(
            c.execute(
                """select column_name, format_type(a.atttypid, a.atttypmod) from information_schema.columns ic
               join pg_attribute a on a.attrelid = ('marts.' || ic.table_name)::regclass and a.attname = ic.column_name
               where ic.table_schema = 'marts' and ic.table_name = 'mart_regional_spending'"""
            ).fetchall()
        )
        assert types == {
            "fiscal_year": "integer",
            "region_name": "text",
            "total_wan_yuan": "numeric(20,6)",
            "basic_wan_yuan": "numeric(20,6)",
        }
        rows = c.execute(
            "select fiscal_year, region_name, total_wan_yuan, basic_wan_yuan "
            "from marts.mart_regional_spending order by 1"
        ).fetchall()
        assert rows[0] == (2020, "地区0", Decimal("99999999999999.999999"), Decimal("0.000001"))
        assert rows[2][2] == Decimal("0.000002")
        assert c.execute(BI_QUERY).fetchone() == expected["fp"]
        assert c.execute(
            "select quarantined_at = '2024-01-02 03:04:05+00' from marts.mart_quarantined_files"
        ).fetchone() == (True,)
        # comments from the dbt yml, the bi_zh views with Chinese column names
        assert (
            c.execute("select obj_description('marts.mart_regional_spending'::regclass, 'pg_class')").fetchone()[0]
            == "地区支出功能分类汇总"
        )
        assert (
            c.execute("select col_description('marts.mart_regional_spending'::regclass, 3)").fetchone()[0]
            == "支出合计（万元）"
        )
        assert c.execute(
            'select "预算年度", "地区名称", "基本支出（万元）" from bi_zh.mart_regional_spending order by 1 limit 1'
        ).fetchone() == (2020, "地区0", Decimal("0.000001"))
        assert (
            c.execute("select nspname from pg_namespace where nspname like '%\\_\\_%' escape '\\'").fetchall() == []
        )  # no marts__new / marts__old left
        # the BI role: SELECT only
        c.execute("create role bi_reader login in role budget_bi")
    reader = dsn.replace("user=postgres", "user=bi_reader")
    with psycopg.connect(reader, autocommit=True) as r:
        assert r.execute(BI_QUERY).fetchone() == expected["fp"]
        for sql in (
            "insert into marts.mart_regional_spending (fiscal_year) values (1)",
            "delete from marts.mart_three_public_trends",
            "create table marts.x (a int)",
            "drop view bi_zh.mart_regional_spending",
        ):
            with pytest.raises((psycopg.errors.InsufficientPrivilege,)):
                r.execute(sql)
    assert published_state(dsn) == {"publication_id": pub.publication_id, "tables": pub.tables}


@pytest.mark.slow  # a PostgreSQL server
def test_failed_publication_keeps_the_previous_one_and_fails_the_check(tmp_path, dsn, monkeypatch):
    from ingest.settings import Settings
    from orchestration.defs.checks import pg_publication
    from orchestration.defs.resources import WarehousePaths

    settings = Settings(data_dir=tmp_path)
    expected = _warehouse(settings.warehouse, "A")
    monkeypatch.setenv(publish_pg.DSN_VAR, dsn)
    first = publish_pg.publish_if_configured(settings)
    assert first.ok, first.error
    result = pg_publication(warehouse=WarehousePaths(data_dir=str(tmp_path)))
    assert result.passed, result.description

    # a text PostgreSQL cannot store (NUL) in the next build: its COPY fails half-way
    _warehouse(settings.warehouse, "B")
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("insert into marts.mart_three_public_trends values (2021, 'bad' || chr(0) || 'id', 1, 1)")
    second = publish_pg.publish_if_configured(settings)
    assert not second.ok and "0x00" in second.error
    with psycopg.connect(dsn, autocommit=True) as c:
        assert c.execute(BI_QUERY).fetchone() == expected["fp"]  # still A, whole
        assert c.execute("select count(*) from pg_namespace where nspname like 'marts%'").fetchone()[0] == 1
    assert published_state(dsn)["publication_id"] == first.publication_id
    result = pg_publication(warehouse=WarehousePaths(data_dir=str(tmp_path)))
    assert not result.passed and "failed (the previous one is served)" in result.description

    # a new warehouse.duckdb that was never published is a failure too
    _warehouse(settings.warehouse, "A")
    status = publish_pg.read_status(status_path(tmp_path))
    status.ok, status.error = True, ""
    publish_pg.write_status(status_path(tmp_path), status)
    passed, description, _ = check_publication(settings)
    assert not passed and "not the file last published" in description

    # an unreachable server: reported, not raised
    monkeypatch.setenv(publish_pg.DSN_VAR, "host=127.0.0.1 port=1 user=postgres dbname=x connect_timeout=2")
    third = publish_pg.publish_if_configured(settings)
    assert not third.ok and "OperationalError" in third.error


@pytest.mark.slow  # a PostgreSQL server
def test_bi_queries_during_20_publications_see_old_or_new_never_a_mix(tmp_path, dsn):
    """Two BI clients query in a loop while 20 publications alternate between warehouses A and B:
    no query errs, every answer is A's or B's whole, and after each publication returns the
    clients' next answers are the new one."""
    variants = {}
    for v in "AB":
        (tmp_path / v).mkdir()
        variants[v] = _warehouse(tmp_path / v / "warehouse.duckdb", v)
    assert publish(tmp_path / "A" / "warehouse.duckdb", dsn).ok
    allowed = {variants["A"]["fp"]: "A", variants["B"]["fp"]: "B"}
    stop = threading.Event()
    seen: list[list[str]] = [[], []]
    errors: list[str] = []
    queries = [
        BI_QUERY,
        # the same through the Chinese views and a join of two marts in one statement
        """select (select count(*) from bi_zh.mart_regional_spending),
                         (select sum("支出合计（万元）") from bi_zh.mart_regional_spending),
                         (select count(*) from marts.mart_three_public_trends t
                            cross join (select 1 from marts.mart_regional_spending limit 1) s),
                         (select count(*) from marts.mart_regional_spending)""",
    ]

    def client(i: int):
        try:
            with psycopg.connect(dsn, autocommit=True) as c:
                while not stop.is_set():
                    seen[i].append(allowed.get(tuple(c.execute(queries[i]).fetchone()), "MIX"))
        except Exception as exc:  # any error is a failure of the publication's promise
            errors.append(f"client {i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    try:
        for n in range(20):
            variant = "B" if n % 2 == 0 else "A"
            pub = publish(tmp_path / variant / "warehouse.duckdb", dsn)
            assert pub.ok, pub.error
            for i in range(2):  # each client answers twice more: the second began after the swap
                mark = len(seen[i])
                while len(seen[i]) < mark + 2 and not errors:
                    threading.Event().wait(0.01)
                assert errors or seen[i][-1] == variant, (n, i, seen[i][-5:])
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert errors == []
    assert all("MIX" not in s for s in seen), [s.count("MIX") for s in seen]
    assert all(s.count("A") and s.count("B") for s in seen)


@pytest.mark.slow  # a PostgreSQL server
def test_the_loaded_warehouse_publishes_whole(loaded, dsn):
    """The seed loaded through Dagster (conftest `loaded`): its DuckDB marts carry the labels (the
    build's post-step), and PostgreSQL gets every mart with the same rows and money sums."""
    settings, result = loaded
    assert result.success
    from orchestration.labels import mart_labels

    labels = mart_labels()
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        uncommented = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and comment is null"
        ).fetchall()
        assert uncommented == []
        marts = {
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        }
        assert marts == set(labels)
        zh = {r[0] for r in con.execute("select view_name from duckdb_views() where schema_name = 'bi_zh'").fetchall()}
        assert zh == marts
        sums = {
            t: con.execute(f"select count(*), sum(total_wan_yuan) from marts.{t}").fetchone()
            for t in ("mart_regional_spending", "mart_unit_spending", "mart_three_public_trends")
        }
    pub = publish(settings.warehouse, dsn)
    assert pub.ok, pub.error
    assert set(pub.tables) == marts
    with psycopg.connect(dsn, autocommit=True) as c:
        for t, (n, total) in sums.items():
            assert c.execute(f"select count(*), sum(total_wan_yuan) from marts.{t}").fetchone() == (n, total)
        missing = c.execute("""select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
                               join pg_namespace n on n.oid = c.relnamespace
                               where n.nspname = 'marts' and a.attnum > 0 and not a.attisdropped
                                 and col_description(c.oid, a.attnum) is null""").fetchall()
        assert missing == []
        assert c.execute("select count(*) from information_schema.views where table_schema = 'bi_zh'").fetchone()[
            0
        ] == len(marts)
