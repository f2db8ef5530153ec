"""The officer's app on a phone: first-visit transfer size and time to interactive.

Both come from the browser tests (Debian's Chromium, a 360-px screen): the first measures
what a first visit downloads, compressed as served; the second loads the login page,
today's page and the report form on an emulated slow 4G connection with a CPU four times
slower, against one round trip to the server under the same conditions (the baseline).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    sys.exit(
        subprocess.call(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-s",
                "-p",
                "no:cacheprovider",
                "sambang/tests/browser/test_offline_app.py",
                "-k",
                "first_visit_is_light or slow_phone",
            ],
            cwd=ROOT,
        )
    )
