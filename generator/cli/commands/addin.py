"""`scorecard addin`: build and install the routes that put Scorecard's functions into Excel (addin/README.md)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("addin", help="the Excel add-in routes: build, vba, lambdas, lite, install ...")
    commands = parser.add_subparsers(dest="addin_command", metavar="STEP")
    parser.set_defaults(handler=lambda args: parser.print_help() or 0)

    build = commands.add_parser("build", help="regenerate the classic add-in's VBA text and build the .xlam from it")
    build.add_argument("--out", type=Path, help="where to write the .xlam (default addin/scorecard.xlam; the VBA "
                       "text then goes into a vba folder beside it)")
    build.set_defaults(handler=_build)

    vba = commands.add_parser("vba", help="write the VBA wrappers xlwings generates for every function")
    vba.add_argument("--out", type=Path, help="the .bas file (default addin/vba/xlwings_udfs.bas)")
    vba.set_defaults(handler=_vba)

    lambdas = commands.add_parser("lambdas", help="write the rules as LAMBDA named formulas into a workbook")
    lambdas.add_argument("--out", type=Path, required=True, help=".xlsx or .xlsm; created if absent, else updated")
    lambdas.add_argument("--names", nargs="+", metavar="NAME", help="only these (default: all)")
    lambdas.set_defaults(handler=_lambdas)

    lite = commands.add_parser("lite", help="write main.py and requirements.txt for xlwings Lite")
    lite.add_argument("--out", type=Path, help="folder (default addin/lite)")
    lite.set_defaults(handler=_lite)

    manifest = commands.add_parser("manifest", help="write the xlwings Server manifest for your server's address")
    manifest.add_argument("--url", required=True,
                          help="the HTTPS address where addin/server is hosted (may end in a sub-path)")
    manifest.add_argument("--out", type=Path, required=True, help="the manifest .xml to write")
    manifest.add_argument("--id", dest="add_in_id", help="this deployment's add-in GUID (default: a new one; reuse it "
                          "when you regenerate the manifest)")
    manifest.add_argument("--entraid-client-id", help="ask Office for Entra ID single sign-on to this app registration")
    manifest.set_defaults(handler=_manifest)

    for step in ("install", "remove"):
        classic = commands.add_parser(step, help=f"{step} the classic add-in (Windows; elsewhere prints the steps)")
        classic.add_argument("--file", type=Path, help="the .xlam (default addin/scorecard.xlam)")
        classic.set_defaults(handler=_classic)


def _build(args: argparse.Namespace) -> int:
    import shutil

    from addin import vba, xlam

    folder = vba.VBA_DIR if args.out is None else Path(args.out).parent / "vba"
    if folder != vba.VBA_DIR:  # our hand-written modules go along
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, _, _ in vba.FILES:
            if file_name not in vba.generated():
                shutil.copyfile(vba.VBA_DIR / file_name, folder / file_name)
    written = vba.write_generated(folder)
    built = xlam.build(args.out, folder)
    print(f"Wrote {', '.join(str(path) for path in written)} and {built} ({built.stat().st_size:,} bytes)")
    return 0


def _vba(args: argparse.Namespace) -> int:
    from addin import vba

    print(f"Wrote {vba.write_wrappers(args.out)}")
    return 0


def _lambdas(args: argparse.Namespace) -> int:
    from addin.lambdas import write_lambdas

    names = write_lambdas(args.out, args.names)
    print(f"Wrote {len(names)} LAMBDA names into {args.out}: {', '.join(names)}")
    return 0


def _lite(args: argparse.Namespace) -> int:
    from addin.lite import write_lite

    paths = write_lite(args.out)
    print("Wrote " + " and ".join(str(path) for path in paths))
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from addin.server.manifest import write_manifest

    add_in_id = write_manifest(args.out, args.url, args.add_in_id, args.entraid_client_id)
    print(f"Wrote {args.out} for {args.url.rstrip('/')} with add-in Id {add_in_id} (pass --id {add_in_id} "
          "to keep it when you write the manifest again)")
    return 0


def _classic(args: argparse.Namespace) -> int:
    """`install` or `remove`: the classic module's function of that name."""
    from addin import classic

    step = getattr(classic, args.addin_command)
    print("\n".join(step(args.file or classic.XLAM)))
    return 0
