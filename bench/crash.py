"""Crash trials: SIGKILL a load at a random moment of its ingest step or of its dbt step, restart it
normally, and check what it left (docs/reliability.md; tests/test_crash_safety.py runs them).

    python -m bench.crash [--ingest 20] [--dbt 20] [--restart-every 2] [--seed 12] [--work DIR] [--json OUT]
                          [--fresh-interpreter]

Inputs: a small inbox, the seed and a few generated disclosures (text, XLSX, DOCX), loaded in two
parts: part 1 is loaded and built completely first (the "last complete" state), part 2 (two more
disclosures and one unreadable file) is what the killed load was loading.

* ingest trials: a fresh copy of the part-1 data folder, part 2 dropped into its inbox, the ingest
  step (`ingest_inbox`, as the `raw_disclosures` asset calls it) started in a process of its own
  (its own session and process group, forked from a parent that imported the ingest once: see
  Forker), killed (its whole process group: the parse workers too) at a random moment after
  it starts listing the inbox; then checked, restarted normally and checked again.
* dbt trials: `budget-warehouse run` in a process group of its own (forked the same way), killed at
  a random moment after its dbt step starts (`dbt build → …`, until the build would have ended:
  publish included); checked; every `restart_every` kills (and after the last) a normal
  `budget-warehouse run` completes and the warehouse it publishes is compared with a reference build
  of the same inputs.

Checks after each kill: every lake batch is complete (`_SUCCESS`, every raw table readable) and the
lake holds exactly the part-1 documents or exactly part 1 + part 2 (never some of a batch); no
document twice; the published warehouse opens and equals the last complete build (its marts, less
load times and batch ids). After each restart: the lake's rows equal the reference lake's
(row for row, less batch id and load time: no duplicate, none missing), the unreadable file is
quarantined once with its record, and the published warehouse equals the reference build.

The moments (seconds after the step's start line) come from a seeded RNG and are logged.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_changji_waishiban_2021.txt"
INGEST_MARK = "budget_warehouse.ingest: inbox "
DBT_MARK = "dbt build → "
INGEST_END = "budget_warehouse.ingest: batch "  # the ingest's summary line, its last
DBT_END = "budget_warehouse.orchestration: published "
VOLATILE = {"batch_id", "loaded_at", "quarantined_at", "quarantine_path"}
UNREADABLE = "meeting-notes.txt"
# kill moments are drawn from [0, SPREAD × the step's reference duration]
SPREAD = 0.95


# ---- inputs --------------------------------------------------------------------------------


def make_inputs(folder: Path) -> tuple[list[Path], list[Path]]:
    """(part 1, part 2) of the trial inbox, written under `folder`."""
    from generator.build import Options
    from generator.corpus import generate

    corpus = generate(
        folder / "generated", ["652300"], 2, [2021, 2022], Options(seed=7, formats=("txt", "xlsx", "docx"))
    )
    files = sorted(corpus.files)
    part1 = [SEED, *files[:2]]
    notes = folder / UNREADABLE
    notes.write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    part2 = [*files[2:], notes]
    return part1, part2


def drop(files: list[Path], inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, inbox / f.name)


def _env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BUDGET_WAREHOUSE_DATA"] = str(data)
    env.pop("DAGSTER_HOME", None)  # an ephemeral instance per run
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


RUN = [sys.executable, "-m", "orchestration.cli", "run"]
INGEST = [
    sys.executable,
    "-c",
    "import logging, sys; from ingest.pipeline import ingest_inbox; from ingest.settings import Settings; "
    "logging.basicConfig(level=logging.INFO, stream=sys.stderr, "
    "format='%(asctime)s %(levelname)s %(name)s: %(message)s'); "
    "print(ingest_inbox(Settings.from_env()).summary())",
]


# ---- running and killing ---------------------------------------------------------------------


@dataclass
class Outcome:
    returncode: int | None
    killed: bool
    ran_for: float  # seconds from the step's start line to the kill (or the end)
    step_seconds: float | None = None  # seconds from the step's start line to its end line
    log_tail: str = ""


def run(
    cmd: list[str] | Forked,
    data: Path,
    mark: str | None = None,
    kill_after: float | None = None,
    timeout: float = 900,
    end_mark: str | None = None,
) -> Outcome:
    """Run `cmd` (a command line, or INGEST's or RUN's code forked by a Forker) on `data`; with
    `kill_after`, SIGKILL its process group that many seconds after the first stderr line containing `mark`."""
    started = time.monotonic()
    if isinstance(cmd, Forked):
        proc = cmd.forker.start(cmd.command, data)
    else:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=_env(data), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
    marked = threading.Event()
    marked_at: list[float] = []
    ended_at: list[float] = []
    tail: list[str] = []

    def reader():
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace")
            tail.append(line)
            del tail[:-40]
            if mark and not marked.is_set() and mark in line:
                marked_at.append(time.monotonic())
                marked.set()
            if end_mark and not ended_at and end_mark in line:
                ended_at.append(time.monotonic())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    killed = False
    if kill_after is not None:
        while not marked.wait(0.05):
            if proc.poll() is not None:
                break
            if time.monotonic() - started > timeout:
                break
        if marked.is_set():
            remaining = marked_at[0] + kill_after - time.monotonic()
            if remaining > 0:
                try:
                    proc.wait(remaining)
                except subprocess.TimeoutExpired:
                    pass
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                    killed = True
                except ProcessLookupError:  # a forked run that ended (and was reaped) just now
                    pass
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise RuntimeError(f"{cmd} did not end within {timeout} s:\n{''.join(tail)}")
    if killed:
        # the group: a parse or dbt process left behind would be a second writer
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    t.join(5)
    end = time.monotonic()
    m = marked_at[0] if marked_at else None
    step = ended_at[0] - m if (ended_at and m is not None) else None
    return Outcome(proc.returncode, killed, end - (m or started), step, "".join(tail))


# ---- INGEST and RUN, forked from a pre-imported parent ------------------------------------


def _ingest_main() -> int:
    """What INGEST runs."""
    import logging

    from ingest.pipeline import ingest_inbox
    from ingest.settings import Settings

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(ingest_inbox(Settings.from_env()).summary())
    return 0


def _run_main() -> int:
    """What RUN runs (`budget-warehouse run`)."""
    from orchestration.cli import main

    return main(["run"])


FORKED = {"ingest": _ingest_main, "run": _run_main}


def _fork_server(sock_fd: int) -> None:
    """The parent a Forker starts (`python -m bench.crash --fork-server FD`): it imports what INGEST and
    RUN import (the ingest, Dagster, the definitions), once; then for each request (a command of
    FORKED, a data folder and the write end of a stderr pipe, over the socket FD) it forks a child that
    runs the command in a new session, reports `pid N`, waits for it and reports `rc N` (the child's
    exit status, or minus the signal that ended it, as Popen does). It runs no Python thread."""
    import traceback

    import ingest.pipeline  # noqa: F401 - imported once here, not in every run
    import orchestration.cli  # noqa: F401
    import orchestration.definitions  # noqa: F401
    from ingest.settings import ENV_VAR

    sock = socket.socket(fileno=sock_fd)
    while True:
        msg, fds, _, _ = socket.recv_fds(sock, 4096, 1)
        if not msg:
            return  # the harness closed its end
        (stderr_fd,) = fds
        command, data = msg.decode().split("\0")
        pid = os.fork()
        if pid == 0:  # the run: what `python -m …` of the command does in a fresh interpreter
            code = 1
            try:
                os.setsid()
                sock.close()
                os.dup2(stderr_fd, 2)
                os.close(stderr_fd)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.environ[ENV_VAR] = data
                code = FORKED[command]()
            except BaseException:  # noqa: BLE001 - reported on the run's stderr, as an interpreter would
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(stderr_fd)
        sock.sendall(f"pid {pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        sock.sendall(f"rc {os.waitstatus_to_exitcode(status)}\n".encode())


class _ForkedRun:
    """A forked run as `run` uses a Popen: pid (its process group), stderr, poll, wait, returncode."""

    def __init__(self, forker: Forker, pid: int, stderr):
        self._forker, self.pid, self.stderr, self.returncode = forker, pid, stderr, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._forker._returncode(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self._forker._returncode(timeout)
            if self.returncode is None:
                raise subprocess.TimeoutExpired("forked run", timeout)
        return self.returncode


@dataclass(frozen=True)
class Forked:
    """`run(Forked(forker, "ingest"), …)`: INGEST (or "run": RUN), forked by `forker`."""

    forker: Forker
    command: str

    def __str__(self) -> str:
        return f"forked {self.command}"


class Forker:
    """Starts INGEST's and RUN's code (`ingest_inbox(Settings.from_env())` with INFO logging on stderr;
    `budget-warehouse run`) as a new process group, as those command lines do, but forked from a
    parent that imported the ingest, Dagster and the definitions once: a fresh interpreter spends
    seconds on those imports (5–20 s on this machine) before the step's first line, while an ingest
    trial's step is well under one. The kill moments count from that first line, and the run is a
    separate process group killed with SIGKILL all the same, so the trials are the same trials.
    One run at a time."""

    def __init__(self):
        self._sock, theirs = socket.socketpair()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.crash", "--fork-server", str(theirs.fileno())],
            cwd=ROOT,
            env=_env(ROOT / "data"),
            pass_fds=[theirs.fileno()],
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self._buffer = b""

    def start(self, command: str, data: Path) -> _ForkedRun:
        if command not in FORKED:
            raise ValueError(f"cannot fork {command!r}: only {sorted(FORKED)}")
        read, write = os.pipe()
        try:
            socket.send_fds(self._sock, [f"{command}\0{data}".encode()], [write])
        finally:
            os.close(write)
        line = self._line(600)  # the first request waits for the server's imports
        if line is None or not line.startswith("pid "):
            os.close(read)
            raise RuntimeError(
                f"the fork server did not start {command} (it said {line!r}; exit status {self._proc.poll()})"
            )
        return _ForkedRun(self, int(line.split()[1]), os.fdopen(read, "rb"))

    def _returncode(self, timeout: float | None) -> int | None:
        line = self._line(timeout)
        if line is None:
            return None
        if not line.startswith("rc "):
            raise RuntimeError(f"the fork server said {line!r}")
        return int(line.split()[1])

    def _line(self, timeout: float | None) -> str | None:
        """The server's next line, or None after `timeout` seconds (None: wait as long as it takes)."""
        import select

        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self._sock], [], [], left)[0]:
                return None
            chunk = self._sock.recv(4096)
            if not chunk:
                raise RuntimeError(f"the fork server ended (exit status {self._proc.wait()})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        self._sock.close()  # the server's recv returns nothing: it ends
        try:
            self._proc.wait(30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> Forker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---- what a data folder holds ------------------------------------------------------------


def lake_state(data: Path) -> dict:
    """Complete batches, their documents, and per raw table the sorted rows less volatile columns
    (batch ids, load times, every timestamp: a file's modification time differs between copies)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ingest import lake
    from ingest.model import RAW_TABLES

    lake_dir = data / "lake"
    problems: list[str] = []
    for b in sorted(lake_dir.glob("batch=*")):
        if not (b / "_SUCCESS").exists():
            problems.append(f"{b.name}: no _SUCCESS")
        for name in RAW_TABLES:
            try:
                pq.read_table(b / f"{name}.parquet")
            except Exception as exc:  # noqa: BLE001 - reported
                problems.append(f"{b.name}/{name}.parquet: {exc}")
    rows: dict[str, str] = {}
    docs = lake.read_table(lake_dir, "raw_documents").column("document_id").to_pylist() if lake_dir.exists() else []
    for name in RAW_TABLES:
        table = lake.read_table(lake_dir, name)
        keep = [f.name for f in table.schema if f.name not in VOLATILE and not pa.types.is_timestamp(f.type)]
        lines = sorted(
            json.dumps(r, default=str, ensure_ascii=False, sort_keys=True) for r in table.select(keep).to_pylist()
        )
        rows[name] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    quarantined = []
    if (lake_dir / "quarantine").exists():
        quarantined = sorted(lake.read_quarantine_records(lake_dir / "quarantine").column("file_name").to_pylist())
    return {
        "problems": problems,
        "documents": sorted(docs),
        "rows": rows,
        "quarantined": quarantined,
        "leftover_tmp": sorted(p.name for p in lake_dir.glob(".tmp-batch=*")) if lake_dir.exists() else [],
    }


def warehouse_fingerprint(path: Path) -> str | None:
    """A hash of every mart's rows (less load times and batch ids); None when there is no file."""
    import duckdb

    if not path.exists():
        return None
    h = hashlib.sha256()
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
        for (name,) in tables:
            cols = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
            keep = [c for c, t in cols if c not in VOLATILE and not t.startswith("TIMESTAMP")]
            select = ", ".join(f'"{c}"' for c in keep)
            rows = con.execute(f'select {select} from marts."{name}"').fetchall()
            h.update(name.encode())
            for line in sorted(repr(r) for r in rows):
                h.update(line.encode())
    return h.hexdigest()


# ---- the trials ------------------------------------------------------------------------------


@dataclass
class Trial:
    step: str
    number: int
    kill_after: float  # seconds after the step's start line
    killed: bool
    after_kill: str  # "before" (part 1 only) / "after" (part 1 + 2) — what the lake held
    published: str  # "previous" / "new" — which complete build warehouse.duckdb was after the kill
    failures: list[str] = field(default_factory=list)
    restarted: bool = False
    unpublished_left: bool = False  # the kill left an unpublished batch folder (removed by the restart)
    note: str = ""  # a run that ended by itself before the kill, with an error: its last lines


@dataclass
class Report:
    seed: int
    ingest_seconds: float = 0.0  # reference: the ingest step of part 2, start line to end
    dbt_seconds: float = 0.0  # reference: the dbt step, start line to end
    trials: list[Trial] = field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def failures(self) -> list[str]:
        return [f"{t.step} #{t.number} (kill at {t.kill_after:.2f} s): {f}" for t in self.trials for f in t.failures]

    def summary(self) -> str:
        lines = [f"crash trials (seed {self.seed}): {self.wall_seconds:.0f} s"]
        for step in ("ingest", "dbt"):
            ts = [t for t in self.trials if t.step == step]
            if not ts:
                continue
            lines.append(
                f"  {step}: {len(ts)} trials, {sum(t.killed for t in ts)} killed mid-step, "
                f"lake after the kill: {sum(t.after_kill == 'before' for t in ts)} without the batch / "
                f"{sum(t.after_kill == 'after' for t in ts)} with it; published after the kill: "
                f"{sum(t.published == 'previous' for t in ts)} previous / {sum(t.published == 'new' for t in ts)} new; "
                f"unpublished batch folder left by the kill (removed by the restart): "
                f"{sum(t.unpublished_left for t in ts)}; "
                f"restarts {sum(t.restarted for t in ts)}; failures {sum(bool(t.failures) for t in ts)}"
            )
            lines.append(
                "    kill moments (s after the step's start line): " + ", ".join(f"{t.kill_after:.2f}" for t in ts)
            )
        lines += [f"  note {t.step} #{t.number}: {t.note}" for t in self.trials if t.note]
        lines += [f"  FAIL {f}" for f in self.failures]
        return "\n".join(lines)


def _check_after_kill(t: Trial, data: Path, before: dict, after: dict, published: dict[str, str]) -> None:
    state = lake_state(data)
    t.failures += state["problems"]
    t.unpublished_left = bool(state["leftover_tmp"])
    if state["documents"] == before["documents"]:
        t.after_kill = "before"
    elif state["documents"] == after["documents"]:
        t.after_kill = "after"
    else:
        t.failures.append(
            f"lake holds a partial batch: {len(state['documents'])} documents "
            f"(complete states: {len(before['documents'])} or {len(after['documents'])})"
        )
    if len(set(state["documents"])) != len(state["documents"]):
        t.failures.append("a document is in the lake twice")
    try:
        fp = warehouse_fingerprint(data / "warehouse.duckdb")
    except Exception as exc:  # noqa: BLE001 - a warehouse that does not open is the failure
        t.failures.append(f"published warehouse does not open: {exc}")
        return
    kind = published.get(fp or "")
    if kind is None:
        t.failures.append("published warehouse is not a complete build")
    else:
        t.published = kind


def _check_restarted(t: Trial, data: Path, after: dict, reference_fp: str) -> None:
    state = lake_state(data)
    t.failures += state["problems"]
    if state["leftover_tmp"]:
        t.failures.append(f"unpublished batch folders left: {state['leftover_tmp']}")
    if state["documents"] != after["documents"]:
        t.failures.append(
            f"after the restart the lake has {len(state['documents'])} documents, expected {len(after['documents'])}"
        )
    for name, digest in after["rows"].items():
        if state["rows"][name] != digest:
            t.failures.append(f"after the restart {name} differs from the reference (a row duplicated or missing)")
    if state["quarantined"] != after["quarantined"]:
        t.failures.append(f"quarantine records {state['quarantined']}, expected {after['quarantined']}")
    if (data / "inbox" / UNREADABLE).exists() or len(list((data / "quarantine").glob(f"*{UNREADABLE}"))) != 1:
        t.failures.append(f"{UNREADABLE} is not quarantined exactly once")
    if reference_fp and warehouse_fingerprint(data / "warehouse.duckdb") != reference_fp:
        t.failures.append("the published warehouse differs from the reference build")


def _ingest_trial(
    ingest_cmd: list[str] | Forked,
    i: int,
    work: Path,
    base: Path,
    part2: list[Path],
    rng: random.Random,
    report: Report,
    before: dict,
    after: dict,
    published: dict[str, str],
    log,
) -> None:
    from ingest.pipeline import ingest_inbox
    from ingest.settings import Settings

    data = work / f"ingest-{i}"
    shutil.copytree(base, data)
    drop(part2, data / "inbox")
    moment = rng.uniform(0, report.ingest_seconds * SPREAD)
    out = run(ingest_cmd, data, mark=INGEST_MARK, kill_after=moment)
    t = Trial("ingest", i, moment, out.killed, "", "")
    _check_after_kill(t, data, before, after, published)
    ingest_inbox(Settings(data_dir=data))  # the normal restart (what the next load does)
    t.restarted = True
    _check_restarted(t, data, after, "")
    report.trials.append(t)
    log(
        f"ingest #{i}: kill at {moment:.2f} s ({'killed' if t.killed else 'had ended'}), lake {t.after_kill} "
        f"the batch{'; FAIL ' + '; '.join(t.failures) if t.failures else ''}"
    )
    shutil.rmtree(data, ignore_errors=True)


def run_trials(
    work: Path, ingest: int = 20, dbt: int = 20, seed: int = 12, restart_every: int = 2, log=print, fork: bool = True
) -> Report:
    """The trials. Each run of INGEST or RUN is forked from one pre-imported parent (Forker: the same
    run without the imports of a fresh interpreter); `fork=False` starts each as that fresh interpreter."""
    with Forker() if fork else contextlib.nullcontext() as forker:
        ingest_cmd, run_cmd = (Forked(forker, "ingest"), Forked(forker, "run")) if fork else (INGEST, RUN)
        return _run_trials(ingest_cmd, run_cmd, work, ingest, dbt, seed, restart_every, log)


def _run_trials(
    ingest_cmd: list[str] | Forked,
    run_cmd: list[str] | Forked,
    work: Path,
    ingest: int,
    dbt: int,
    seed: int,
    restart_every: int,
    log,
) -> Report:
    started = time.monotonic()
    rng = random.Random(seed)
    report = Report(seed=seed)
    part1, part2 = make_inputs(work / "inputs")

    # part 1, loaded and built completely: the "last complete" state every trial starts from
    base = work / "base"
    drop(part1, base / "inbox")
    out = run(run_cmd, base)
    if out.returncode != 0:
        raise RuntimeError(f"the part-1 load failed:\n{out.log_tail}")
    before = lake_state(base)
    published = {warehouse_fingerprint(base / "warehouse.duckdb"): "previous"}

    # reference: part 1 + part 2 loaded without a kill
    ref = work / "reference"
    shutil.copytree(base, ref)
    drop(part2, ref / "inbox")
    if dbt:
        out = run(run_cmd, ref, mark=DBT_MARK, end_mark=DBT_END)
        report.dbt_seconds = out.step_seconds or out.ran_for
        if out.returncode != 0:
            raise RuntimeError(f"the reference load failed:\n{out.log_tail}")
        reference_fp = warehouse_fingerprint(ref / "warehouse.duckdb")
        published[reference_fp] = "new"
    else:
        reference_fp = ""
    ingest_ref = work / "reference-ingest"
    shutil.copytree(base, ingest_ref)
    drop(part2, ingest_ref / "inbox")
    out = run(ingest_cmd, ingest_ref, mark=INGEST_MARK, end_mark=INGEST_END)
    report.ingest_seconds = out.step_seconds or out.ran_for
    after = lake_state(ref if dbt else ingest_ref)
    log(
        f"reference: ingest step {report.ingest_seconds:.1f} s, dbt step {report.dbt_seconds:.1f} s; "
        f"lake {len(before['documents'])} → {len(after['documents'])} documents"
    )

    for i in range(1, ingest + 1):
        _ingest_trial(ingest_cmd, i, work, base, part2, rng, report, before, after, published, log)

    if dbt:
        data = work / "dbt"
        shutil.copytree(base, data)
        drop(part2, data / "inbox")
        last = "previous"  # the last complete build so far
        for i in range(1, dbt + 1):
            moment = rng.uniform(0, report.dbt_seconds * SPREAD)
            out = run(run_cmd, data, mark=DBT_MARK, kill_after=moment)
            t = Trial("dbt", i, moment, out.killed, "", "")
            if not out.killed and out.returncode:
                t.note = (
                    f"exit {out.returncode}: "
                    + " | ".join(
                        line.strip()[:240] for line in out.log_tail.splitlines() if "ERROR" in line or "Error" in line
                    )[-2000:]
                )
            _check_after_kill(t, data, before, after, published)
            if last == "new" and t.published == "previous":
                t.failures.append("the published warehouse went back to an older build")
            last = t.published or last  # "new" once a build completed (one killed after its publish too)
            if i % restart_every == 0 or i == dbt:
                out = run(run_cmd, data, mark=DBT_MARK, end_mark=DBT_END)
                if out.step_seconds:  # the machine's load varies: aim within the shortest build seen
                    report.dbt_seconds = min(report.dbt_seconds, out.step_seconds)
                t.restarted = True
                last = "new"
                if out.returncode != 0:
                    t.failures.append(f"the restart failed:\n{out.log_tail}")
                _check_restarted(t, data, after, reference_fp)
            report.trials.append(t)
            log(
                f"dbt #{i}: kill at {moment:.2f} s ({'killed' if t.killed else 'had ended'}), published "
                f"{t.published}{', restarted' if t.restarted else ''}"
                f"{'; FAIL ' + '; '.join(t.failures) if t.failures else ''}"
            )
    report.wall_seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--fork-server"]:  # a Forker's parent process
        _fork_server(int(argv[1]))
        return 0
    ap = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__.splitlines()[0])
    ap.add_argument("--ingest", type=int, default=20)
    ap.add_argument("--dbt", type=int, default=20)
    ap.add_argument("--restart-every", type=int, default=2)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--fresh-interpreter",
        action="store_true",
        help="start each run as a new Python process (INGEST, RUN) instead of forking it",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crash-") as tmp:
        work = args.work or Path(tmp)
        report = run_trials(
            work,
            args.ingest,
            args.dbt,
            args.seed,
            args.restart_every,
            log=lambda m: print(m, file=sys.stderr, flush=True),
            fork=not args.fresh_interpreter,
        )
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
