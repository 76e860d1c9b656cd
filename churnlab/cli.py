"""The command line: ``python -m churnlab <command> ...``.

Every command follows one contract: success exits 0; any problem the user can
fix prints a single line ``error: ...`` on stderr and exits 2; nothing ever
prints a traceback (``--debug`` logs one for developers).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from churnlab.errors import ChurnlabError

log = logging.getLogger("churnlab")

EXIT_OK = 0
EXIT_USER_ERROR = 2


class _UsageError(Exception):
    """argparse found the command line malformed."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports usage errors as one line, via the common contract."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = "" if self.prog == "churnlab" else f" {self.prog.split()[-1]}"
        raise _UsageError(f"{message} (see: python -m churnlab{command} --help)")


def _add_mapping_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--map",
        dest="maps",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="use COLUMN for ROLE (repeatable), e.g. --map customer_id=Member",
    )
    parser.add_argument("--sheet", help="Excel sheet to read (name or 0-based number)")
    parser.add_argument(
        "--events",
        dest="event_codes",
        metavar="CODE=TYPE,...",
        help="name coded event types, e.g. --events 1=view,2=favorite,3=cart,4=purchase",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="churnlab",
        description="Churn-risk scores, reasons and campaign lists from a shop's own exports.",
    )
    parser.add_argument("--debug", action="store_true", help="log details for developers")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    sample = commands.add_parser("sample", help="write the demo shop's files")
    sample.add_argument("--out", required=True, type=Path, help="output folder")
    sample.add_argument("--customers", type=int, default=5000, help="number of customers")
    sample.add_argument("--seed", type=int, default=0, help="random seed")
    sample.add_argument(
        "--with-model",
        action="store_true",
        help="also train the app's sample model into OUT/model and score its past campaign "
        "into OUT/campaign (for sample_data/)",
    )
    sample.set_defaults(run=_run_sample)

    inspect = commands.add_parser(
        "inspect", help="read exports and report what was found (several files are joined)"
    )
    inspect.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _add_mapping_options(inspect)
    inspect.add_argument("--json", action="store_true", help="print one JSON object")
    inspect.set_defaults(run=_run_inspect)

    from churnlab.cli_model import add_model_commands

    add_model_commands(commands, _add_mapping_options)
    from churnlab.cli_results import add_results_command

    add_results_command(commands, _add_mapping_options)
    return parser


def _run_sample(args: argparse.Namespace) -> int:
    from churnlab.sample import write_sample

    if args.customers < 50:
        raise ChurnlabError("error.cli.sample_customers")
    paths = write_sample(args.out, customers=args.customers, seed=args.seed)
    for path in paths:
        print(path)
    if args.with_model:
        from churnlab.ingest.loading import load_files
        from churnlab.pipeline import write_sample_model

        shop = load_files(paths)
        model_dir = write_sample_model(shop, Path(args.out) / "model", paths)
        print(model_dir)
        # the past campaign with a known effect is scored by this model: regenerate it too
        from churnlab.pipeline import load_model
        from churnlab.sample_campaign import write_sample_campaign

        trained = load_model(model_dir)
        for path in write_sample_campaign(Path(args.out) / "campaign", shop, trained):
            print(path)
    return EXIT_OK


def _run_inspect(args: argparse.Namespace) -> int:
    from churnlab.ingest.inspect import inspect_files, render_inspect_text
    from churnlab.ingest.loading import parse_overrides
    from churnlab.ingest.mapping import parse_event_codes

    result = inspect_files(
        list(args.files),
        sheet=args.sheet,
        overrides=parse_overrides(args.maps),
        event_codes=parse_event_codes(args.event_codes) if args.event_codes else None,
    )
    warn(result.pop("_doubts", []))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(render_inspect_text(result))
    return EXIT_OK


def warn(lines: list[str]) -> None:
    """Doubtful guesses, one ``warning:`` line each on stderr (stdout stays clean for JSON)."""
    for line in lines:
        print(f"warning: {' '.join(str(line).split())}", file=sys.stderr)


def _fail(message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USER_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if "--debug" in argv else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        args = build_parser().parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except _UsageError as exc:
        return _fail(str(exc))
    except ChurnlabError as exc:
        log.debug("user error", exc_info=True)
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted.")
    except MemoryError:
        return _fail("the data does not fit in this machine's memory; try a smaller export.")
    except OSError as exc:
        log.debug("file error", exc_info=True)
        name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        return _fail(f"cannot use the file{name}: {exc.strerror or exc}.")
    except Exception as exc:
        log.debug("unexpected error", exc_info=True)
        return _fail(
            f"an unexpected problem stopped churnlab ({type(exc).__name__}: {exc}). "
            "Run again with --debug for details and report it."
        )
