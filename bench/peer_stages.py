"""Reading workers of the peer benchmark (bench/peer.py): one stage per process.

    python bench/peer_stages.py STAGE FILE RESULT_JSON

``churnlab_read``: ``load_files([FILE])`` (sniffing, role detection, parsing, cleaning);
``pandas_read``: what a notebook does with the same file, ``pd.read_csv`` (ids as text, as
``../shared/bench/peer_pipeline.py`` reads them) and ``pd.to_datetime`` of the time column, or
``pd.read_parquet``.
"""

from __future__ import annotations

import sys

from common import Clock

ID, TIME = "user_id", "event_time"


def main() -> int:
    stage, path, result = sys.argv[1:4]
    clock = Clock()
    if stage == "churnlab_read":
        from churnlab.ingest.loading import load_files

        clock.lap("import")
        shop = load_files([path])
        clock.lap("read")
        clock.info["rows"] = shop.events.height
        clock.info["columns"] = {k: str(v) for k, v in shop.events.schema.items()}
    elif stage == "pandas_read":
        import pandas as pd

        clock.lap("import")
        if path.endswith(".parquet"):
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype={ID: str})
        clock.lap("read")
        frame[TIME] = pd.to_datetime(frame[TIME])
        clock.lap("to_datetime")
        clock.info["rows"] = len(frame)
    else:
        raise SystemExit(f"unknown stage {stage}")
    clock.write(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
