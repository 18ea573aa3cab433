"""Issue 13's figures in one run: review ingest throughput, catalogue import times and peak memory.

Each figure is one `filmgraph ingest` command (a child process) into a fresh embedded on-disk store:

1. 1,000 plain-text reviews of varied layouts (bench/review_corpus.py), one of them invalid, validation
   included: reviews per second, counted from the command's start and from the end of its start-up
   (`filmgraph --version`'s time, the interpreter and imports), and a check that exactly the bad review
   was refused;
2. the IMDb 5000 CSV (../shared/data/imdb5000_movie_metadata.csv): seconds;
3. MovieLens `ml-latest-small` (movies and its 100k ratings): seconds.

Peak memory is each child's maximum resident set size. Run: `python bench/speed.py [--reviews 1000]
[--skip-catalogues]`. Timings on a shared 2-core machine are noisy: run it a few times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_corpus import write_corpus

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
IMDB = DATA / "imdb5000_movie_metadata.csv"
MOVIELENS = DATA / "ml-latest-small"
FILMGRAPH = Path(sys.executable).with_name("filmgraph")


def run(args: list[str], allowed: tuple[int, ...] = (0, 4)) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one filmgraph command; another exit code stops the bench."""
    start = time.perf_counter()
    process = subprocess.Popen([str(FILMGRAPH), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.stderr.close() if process.stderr else None
    if process.returncode not in allowed:  # 4: a review refused by validation, as expected
        sys.exit(f"filmgraph {' '.join(args)} failed ({process.returncode}):\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--skip-catalogues", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        startup = min(run(["--version"])[0] for _ in range(3))
        corpus = write_corpus(root / "reviews", args.reviews, bad=1)
        report = root / "report.json"
        seconds, peak, _code = run(["--store", str(root / "store-reviews"), "ingest", str(root / "reviews"),
                                    "--report", str(report)], allowed=(0, 3, 4))  # 3: unexpected, reported below
        data = json.loads(report.read_text())
        refused = [Path(r["input"]).name for r in data["refused"]]
        ok = len(refused) == 1 and refused[0].endswith("-bad.txt")
        print(f"reviews: {len(corpus)} of 7 layouts (+ samples), {data['counts']}; "
              f"refused {refused} {'(the bad one alone: ok)' if ok else '(UNEXPECTED)'}")
        print(f"reviews/s           : {len(corpus) / seconds:.1f} from the command's start ({seconds:.2f} s), "
              f"{len(corpus) / (seconds - startup):.1f} after start-up ({startup:.2f} s)")
        print(f"peak memory, reviews: {peak:.0f} MB")
        if args.skip_catalogues:
            return
        for name, path in (("IMDb 5000", IMDB), ("MovieLens + ratings", MOVIELENS)):
            if not path.exists():
                print(f"{name}: {path} missing, skipped")
                continue
            seconds, peak, _code = run(["--store", str(root / f"store-{path.stem}"), "ingest", str(path)])
            print(f"{name:<20}: {seconds:.1f} s ({seconds - startup:.1f} s after start-up), peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
