"""`python -m bench.worker STEP PARAMS.json RESULT.json`: one measurement in a fresh process."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from bench.common import peak_rss_mb


def main(argv: list[str]) -> int:
    step, pfile, rfile = argv
    params = json.loads(Path(pfile).read_text(encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING)
    if step == "generate":
        from bench.gen import generate

        result = generate(
            Path(params["out"]),
            tuple(params["formats"]),
            params["units"],
            params["years"],
            seed=params.get("seed", 42),
            limit=params.get("limit"),
            cells=params.get("cells", False),
            templates=tuple(params.get("templates") or ("changji",)),
        )
    elif step == "bi":
        from bench.bi import bi

        result = bi(params)
    else:
        from bench import measure

        result = getattr(measure, step)(params)
    result["peak_rss_mb"] = peak_rss_mb()
    Path(rfile).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
