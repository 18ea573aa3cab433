"""The development set of real-layout reviews (../shared/data/reviews-dev), scored with its own scorer.

The floors are the figures the reader reaches; a change that loses any of them fails here. Skipped when
../shared is not beside the checkout.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CASES = SHARED / "data" / "reviews-dev"
SCORER = SHARED / "tools" / "score_reviews.py"

RECALL_FLOOR = 0.945
SPURIOUS_CEILING = 0
CROSS_FLOOR = 56
REFUSED_CEILING = 0

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.mark.skipif(not SCORER.is_file() or not CASES.is_dir(), reason="../shared/data/reviews-dev is not present")
def test_reviews_dev_scores_stay_above_their_floors() -> None:
    filmgraph = shutil.which("filmgraph") or str(Path(sys.executable).with_name("filmgraph"))
    run = subprocess.run([sys.executable, str(SCORER), "--filmgraph", filmgraph, "-v", str(CASES)],
                         capture_output=True, text=True, timeout=600)
    last = run.stdout.strip().splitlines()[-1]
    m = re.search(r"recall (?P<r>[\d.]+) \(\d+/\d+\), spurious people (?P<s>\d+), cross-case (?P<c>\d+)/\d+, "
                  r"refused (?P<f>\d+)/\d+", last)
    assert m, run.stdout + run.stderr
    assert float(m["r"]) >= RECALL_FLOOR, run.stdout
    assert int(m["s"]) <= SPURIOUS_CEILING, run.stdout
    assert int(m["c"]) >= CROSS_FLOOR, run.stdout
    assert int(m["f"]) <= REFUSED_CEILING, run.stdout
