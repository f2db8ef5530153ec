"""The settings `make demo` runs with serve pages (and their static files) as they are."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_demo_settings_serve_the_login_page_and_its_styles(tmp_path: Path) -> None:
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client();"
        "page = c.get('/accounts/login/');"
        "css = c.get('/static/sambang/sambang.css');"
        "print(page.status_code, css.status_code, page.content.decode().count('sambang.css'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sambang.config.settings.local",
        "SAMBANG_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "1"]
