"""`scorecard build`: the finished scorecard workbook for one authority and period."""

from __future__ import annotations

import sys

from generator.inputs import load_catalogue, workbook_out
from generator.national.scorecards import NationalContext, add_national, has_national_data
from generator.words import plural
from generator.workbooks.book import DEFAULT_TITLE
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from generator.workbooks.summary import override_counts, summary_counts
from scorecard.errors import ScorecardError
from scorecard.rag import Status


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build", help="build the scorecard workbook (.xlsx) from data for one authority",
        description="Build the scorecard workbook for one authority and report period from a long "
                    "table (indicator_id, period, actual, target, commentary, comparator...; CSV or "
                    ".xlsx) or from the collection store (the period and the periods before it, "
                    "with neighbours', region and England comparators). With --national (or a "
                    "--store that also holds LAIT data), England, region and statistical-neighbour "
                    "figures, quartile band and national rank come from DfE's published data "
                    "wherever the data does not give them (scorecard national scorecard builds one "
                    "from the national figures alone). Data that would give a "
                    "quiet wrong answer (a fraction for a percentage, a tolerance that looks like "
                    "a fraction, no target column) stops the build, naming file, line and column.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="CSV or .xlsx of values (see docs/scorecard-workbook.md)")
    source.add_argument("--store", help="the collection store (.sqlite) written by `scorecard collect`")
    parser.add_argument("--authority", required=True,
                        help="the authority the scorecard is for: its code or name")
    parser.add_argument("--period", required=True,
                        help="report period, in any spelling (2023-24 Q4, 2023/24 Q4, Mar-24 ...)")
    parser.add_argument("--national", help="a store with LAIT data imported (scorecard import lait): fill "
                                           "national comparators, band and rank; default: the --store file "
                                           "when it holds LAIT data")
    parser.add_argument("--sn-edition", help="statistical-neighbour edition ('May 2025'); default: the one the "
                                             "report period was built with before, else the latest")
    parser.add_argument("--catalogue", help="catalogue CSV or .xlsx (default: the built-in catalogue)")
    parser.add_argument("--risks", help="risk register CSV or .xlsx (risk_id, risk, owner, impact, likelihood)")
    parser.add_argument("--title", default=DEFAULT_TITLE)
    parser.add_argument("--contact", default="")
    parser.add_argument("--publish", action="store_true",
                        help="write the values-only version for release instead")
    parser.add_argument("--allow-problems", action="store_true",
                        help="build even with data problems; each is flagged on its row and on the "
                             "Notes sheet")
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.set_defaults(handler=run)


def run(args) -> int:
    out = workbook_out(args.out)
    catalogue = load_catalogue(args.catalogue)  # the built-in one unless a path is given
    if args.store:
        data = load_store_data(args.store, args.authority, args.period, catalogue,
                               allow_problems=args.allow_problems)
    else:
        data = load_scorecard_data(args.data, args.authority, args.period, catalogue,
                                   allow_problems=args.allow_problems)
    if args.national:
        context = NationalContext.open(args.national, catalogue, pin_for=data.period, edition=args.sn_edition)
        add_national(data, context, args.authority)
    elif args.store and has_national_data(args.store):  # the store holds LAIT data too: use it if it can be
        try:
            context = NationalContext.open(args.store, catalogue, pin_for=data.period, edition=args.sn_edition)
            add_national(data, context, _lait_name(args.authority, data))
        except ScorecardError as error:
            data.warnings.append(f"no national comparators: {error}")
    risks = load_risks(args.risks) if args.risks else None
    write = publish_scorecard if args.publish else build_scorecard
    path = write(data, out, risks=risks, title=args.title, contact=args.contact)
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in data.problems:
        print(f"problem (flagged in the workbook): {problem}", file=sys.stderr)
    print(f"wrote {path} ({plural(len(data.measures), 'measure')}, {plural(len(data.themes()), 'theme')})")
    print(status_counts(data))
    return 0


def status_counts(data) -> str:
    """'statuses: 4 GREEN, 1 AMBER, 2 RED, 3 NO STATUS (2 context measures, 1 missing data)': the reported
    statuses, counted as the workbook's Summary counts them (with the officers' judgements, when there are any)."""
    judged = {measure.id: data.judge(measure) for measure in data.measures}
    green, amber, red, context, missing = summary_counts(data.measures, judged)
    counts = [f"{green} {Status.GREEN.value}", f"{amber} {Status.AMBER.value}", f"{red} {Status.RED.value}",
              f"{context + missing} {Status.NO_STATUS.value}"]
    detail = (f" ({plural(context, 'context measure')}, {missing} missing data)" if context + missing else "")
    overrides, differ = override_counts(data.measures, judged)
    verb = "is an officer's judgement" if overrides == 1 else "are officers' judgements"
    judgements = (f"; {overrides} {verb} ({differ} {'differs' if differ == 1 else 'differ'} from the rule)"
                  if overrides else "")
    flagged = f"; {plural(len(data.problems), 'data problem')} flagged" if data.problems else ""
    return f"statuses for {data.period}: {', '.join(counts)}{detail}{judgements}{flagged}"


def _lait_name(authority: str, data) -> str:
    """The store's authority as LAIT knows it: its name ('Barnsley (370)' -> 'Barnsley')."""
    return data.authority.rsplit(" (", 1)[0] if data.authority.endswith(")") else authority
