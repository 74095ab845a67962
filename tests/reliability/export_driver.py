"""Exports the same alignment pack over and over until killed (run by test_kill_export).

    python -m tests.reliability.export_driver STORE ENGAGEMENT_ID CMO_ID OUT.xlsx

Prints "ready" once the store is open, then "exported <sha256>" after each completed export.
"""

from __future__ import annotations

import sys
from pathlib import Path

from planner.services.packs import export_pack
from planner.store.store import open_store


def main(store_path: str, engagement_id: str, cmo_id: str, out: str) -> None:
    with open_store(store_path) as store:
        print("ready", file=sys.stderr, flush=True)
        while True:
            result = export_pack(store, int(engagement_id), int(cmo_id), Path(out))
            print(f"exported {result.sha256}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
