"""``python -m churnlab``: the command line."""

from churnlab.cli import main

if __name__ == "__main__":  # not when Dask's worker processes import it (spawn)
    raise SystemExit(main())
