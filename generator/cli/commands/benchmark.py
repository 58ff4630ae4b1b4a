"""`scorecard benchmark`: the benchmark workbook for one period from the collection store, or an
authority's national benchmark pack from DfE's published data (every authority's with `all`)."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.cli.progress import Progress
from generator.collection.store import Store
from generator.national.batch import build_every_authority
from generator.national.packs import benchmark_pack, pack_writer
from generator.national.scorecards import NationalContext
from generator.workbooks.benchmark import write_benchmark_workbook
from generator.workbooks.benchmark_national import write_national_benchmark
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "benchmark", help="benchmark workbook for a period from the store, or an authority's national pack",
        description="From the collection store (--store, --period): every indicator across all "
                    "authorities: region and England values, statistical-neighbour average, quartile "
                    "band, rank, missing returns. From DfE's national data (--national, --authority): "
                    "a LAIT-style pack for any authority in England, the authority against its "
                    "statistical neighbours, region and England over the recent years, with trend, "
                    "band, rank and a chart per measure; --authority all writes every authority's "
                    "pack into the --out folder.")
    parser.add_argument("--period", help="the collected period (with --store); with --national the latest year "
                                         "(default: the latest with national figures)")
    parser.add_argument("--store", default="scorecard-store.sqlite")
    parser.add_argument("--highlight", help="authority code to highlight")
    parser.add_argument("--national", help="a store with LAIT data imported: write national benchmark packs")
    parser.add_argument("--authority", help="with --national: the authority (name or LA number), or 'all'")
    parser.add_argument("--sn-edition", help="statistical-neighbour edition ('May 2025'); default: the one the "
                                             "year was built with before, else the latest")
    parser.add_argument("--jobs", type=int, help="with --authority all: processes (default: every core)")
    parser.add_argument("--catalogue", help="a catalogue CSV (default: the built-in one)")
    parser.add_argument("--out", default=None, help="output .xlsx (default benchmark_PERIOD; with --authority "
                                                    "all, a folder)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    catalogue = load_catalogue(args.catalogue)
    if args.national:
        return national(args, catalogue)
    if not args.period:
        raise ScorecardError("give --period: the collected period to benchmark (or --national for a national pack)")
    if not Path(args.store).exists():
        raise ScorecardError(f"no store at {args.store}: run `scorecard collect` first")
    out = args.out or f"benchmark_{args.period.replace(' ', '_').replace('/', '-')}.xlsx"
    with Store(args.store) as store:
        path = write_benchmark_workbook(store, args.period, catalogue, out, args.highlight)
    print(f"wrote {path}")
    return 0


def national(args, catalogue) -> int:
    if not args.authority:
        raise ScorecardError("give --authority: the authority's name or LA number, or 'all'")
    context = NationalContext.open(args.national, catalogue, period=args.period, edition=args.sn_edition)
    if args.authority.strip().lower() == "all":
        out = args.out or f"benchmark_packs_{context.period}"
        paths, problems = build_every_authority(context, out, pack_writer(), jobs=args.jobs,
                                                progress=Progress("benchmark"))
        for problem in problems:
            print(f"not built: {problem}", file=sys.stderr)
        print(f"wrote {len(paths)} benchmark packs for {context.period} ({context.edition} statistical "
              f"neighbours) into {out}")
        return 0 if paths else 2
    area = context.authority(args.authority)
    out = args.out or f"benchmark_{area.name.replace(' ', '_')}_{context.period}.xlsx"
    path = write_national_benchmark(benchmark_pack(context, area), out)
    print(f"wrote {path} ({area.name}, {context.period}, {context.edition} statistical neighbours)")
    return 0
