"""Benchmark: 150 authorities upload their returns to the hub at once (issue 12's load test).

Starts the hub under gunicorn (several app workers, as docs/hub.md deploys it) on 127.0.0.1,
signs in one submitter per authority, then releases every upload together (one thread per
authority, one attempt each, bounded by a timeout). Reports the time until the last answer,
per-upload latency, the peak memory of the server's processes (VmHWM) and of the clients, and
checks that every return was stored exactly once. The baseline, in the same run: the same
returns collected one by one in-process by the library (what `scorecard collect` does).

    .venv/bin/python benchmarks/bench_hub_load.py [--authorities 150] [--workers 4]
        [--database postgresql://user:password@127.0.0.1/empty_database]
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def _wait_until_up(url: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the hub did not start at {url} within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--authorities", type=int, default=150)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--database", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "HUB_DATA_DIR": str(folder / "data"),
               "HUB_DATABASE_URL": args.database or f"sqlite:///{folder}/hub.sqlite",
               "HUB_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "hub.settings"}
        os.environ.update(env)
        subprocess.run([sys.executable, "-m", "hub", "migrate", "--verbosity", "0"], env=env,
                       cwd=ROOT, check=True)
        import django

        django.setup()
        from generator.collection.collect import collect
        from generator.collection.store import Store
        from hub import loadtest
        from hub.rounds.models import AuditEvent
        from hub.rounds.services import catalogue

        start = time.perf_counter()
        round_id, people = loadtest.prepare(args.authorities, folder / "returns")
        print(f"prepared {len(people)} authorities and their returns in "
              f"{time.perf_counter() - start:.1f} s", file=sys.stderr)

        start = time.perf_counter()
        with Store(folder / "baseline.sqlite") as baseline:
            for person in people:
                collect([person.file], baseline, catalogue())
        one_by_one = time.perf_counter() - start

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "hub.wsgi:application", "--workers",
             str(args.workers), "--bind", f"127.0.0.1:{port}", "--timeout", "300",
             "--backlog", "2048", "--log-level", "warning"], env=env, cwd=ROOT)
        try:
            _wait_until_up(url)
            result = loadtest.upload_at_once(url, round_id, people, timeout=600)
            server_kib = [_peak_kib(server.pid)] + [_peak_kib(c) for c in _children(server.pid)]
        finally:
            server.terminate()
            server.wait(timeout=60)
        problems = loadtest.check(people)
        audited = AuditEvent.objects.filter(action="upload").count()
        client_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        database = "PostgreSQL" if args.database else "SQLite"
        print(f"hub ({database}, gunicorn {args.workers} workers): {result.summary()}")
        print(f"stored exactly once: {len(people) - len(problems['missing']) - len(problems['more than once'])}"
              f"/{len(people)}; missing {problems['missing'] or 'none'}; more than once "
              f"{problems['more than once'] or 'none'}; {audited} uploads audited")
        print(f"peak memory: server {sum(server_kib) / 1024:.0f} MiB in {len(server_kib)} processes "
              f"(largest {max(server_kib) / 1024:.0f} MiB); load clients and setup "
              f"{client_kib / 1024:.0f} MiB")
        print(f"baseline, the library collecting the same {len(people)} returns one by one: "
              f"{one_by_one:.1f} s; hub at once / library one by one = "
              f"{result.wall / one_by_one:.2f}x")
        failed = bool(result.failures or problems["missing"] or problems["more than once"])
        for failure in result.failures[:5]:
            print(f"  failed: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
