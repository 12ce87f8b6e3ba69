"""Per-file caps of the ingest: size, PDF page count, parse seconds and parse memory.

A file over a cap is quarantined with a reason naming the cap, its value and the environment
variable that sets it (ingest/settings.py: CAP_VARS, documented in docs/reliability.md); the other
files of the batch load as usual.

* size: checked with `stat` before the file is read (`check_size`);
* page count (PDF): read from the document's page tree before the pages are parsed
  (`check_pages`, called inside the capped parse: opening a hostile PDF is parsing too);
* parse seconds and memory: `run_limited` runs the parse of one file in a forked child process
  whose address space is capped (`RLIMIT_AS`: what it has at the fork plus the cap) and which is
  killed when it runs over the time cap. A parse that runs out of memory (MemoryError, or a native
  library aborting) or time never takes its batch down with it.

The fork costs about 15 ms per file (docs/reliability.md); with both the seconds and the memory
cap at 0 the parse runs in the calling process, as before.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from ingest.settings import Caps

MB = 1024 * 1024


class CapExceeded(Exception):
    """A file went over one of the caps; `reason` is the quarantine reason."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_size(path: Path, caps: Caps) -> None:
    if not caps.max_file_mb:
        return
    size = Path(path).stat().st_size
    if size > caps.max_file_mb * MB:
        raise CapExceeded(
            f"file size cap: {size / MB:.1f} MB is over {_fmt(caps.max_file_mb)} MB "
            f"({caps.var('max_file_mb')}); not read"
        )


def page_count(path: Path) -> int | None:
    """Pages of a PDF from its page tree (no page is parsed); None when it is no PDF or pdfium
    cannot open it (the reader then says why)."""
    if Path(path).suffix.lower() != ".pdf":
        return None
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # unreadable: the PDF reader gives the reason
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def check_pages(path: Path, caps: Caps) -> None:
    if not caps.max_pages:
        return
    pages = page_count(path)
    if pages is not None and pages > caps.max_pages:
        raise CapExceeded(
            f"page count cap: {pages} pages is over {_fmt(caps.max_pages)} ({caps.var('max_pages')}); not parsed"
        )


def _vm_size() -> int:
    """This process's address space in bytes (Linux /proc/self/statm)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _memory_reason(caps: Caps) -> str:
    return (
        f"parse memory cap: the parse needed more than {_fmt(caps.parse_memory_mb)} MB "
        f"({caps.var('parse_memory_mb')}); stopped"
    )


def run_limited(fn: Callable[..., Any], *args: Any, caps: Caps) -> Any:
    """`fn(*args)` under the parse caps: in a forked child limited to `caps.parse_memory_mb` more
    address space and `caps.parse_seconds` of wall clock. Returns what `fn` returns (it must
    pickle); raises what `fn` raised (re-raised here, as it pickles), or CapExceeded.

    Both caps 0: `fn` runs here, unlimited."""
    if not caps.parse_seconds and not caps.parse_memory_mb:
        return fn(*args)
    read_fd, write_fd = os.pipe()
    limit = _vm_size() + int(caps.parse_memory_mb * MB) if caps.parse_memory_mb else None
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                payload = pickle.dumps(("memory", None))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent to re-raise
                try:
                    payload = pickle.dumps(("raise", exc))
                except Exception:
                    payload = pickle.dumps(("error", "".join(traceback.format_exception(exc))))
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        except MemoryError:
            code = 3
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 4
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        payload, timed_out = _read_all(read_fd, caps.parse_seconds)
    finally:
        os.close(read_fd)
    if timed_out:
        _kill(pid)
        raise CapExceeded(
            f"parse time cap: not parsed within {_fmt(caps.parse_seconds)} s ({caps.var('parse_seconds')}); stopped"
        )
    _, status = os.waitpid(pid, 0)
    if not payload:
        if os.WIFSIGNALED(status):
            how = f"was killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
        else:
            how = f"exited with status {os.WEXITSTATUS(status)}"
        if caps.parse_memory_mb:
            raise CapExceeded(
                f"parse process {how} without a result: over the parse memory cap of "
                f"{_fmt(caps.parse_memory_mb)} MB ({caps.var('parse_memory_mb')}) or a crash "
                "in a native library; stopped"
            )
        raise CapExceeded(f"parse process {how} without a result (a crash in a native library)")
    kind, value = pickle.loads(payload)
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    if kind == "memory":
        raise CapExceeded(_memory_reason(caps))
    raise RuntimeError(f"the parse failed in its capped process:\n{value}")


def _read_all(fd: int, seconds: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe; (data, True) when the time cap ran out."""
    deadline = time.monotonic() + seconds if seconds else None
    chunks: list[bytes] = []
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
