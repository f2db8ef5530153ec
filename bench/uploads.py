"""Photo uploads: the server's memory under concurrent worst-case uploads, against a small
photo's.

Starts the production server (``sambang.config.server``: a process per core, of 4
threads) on the database in ``DATABASE_URL`` and sends it, from threads of
this process, rounds of ``BENCH_CLIENTS`` (its largest number, default 20) concurrent
residents' reports without an account (``POST /api/v1/public/citizen-reports``), each from
an address of its own and carrying 3 photos (the most a report keeps), of each kind:

- baseline: a phone photo of 640×480 (25 kB);
- the attack of issue 18: a JPEG of 50 megapixels in 0.3 MB (decoded whole: 200 MB);
- the largest JPEG accepted: 24 megapixels (decoded at 1/2 of its size);
- the largest picture decoded whole that is accepted: a WebP of 6 megapixels.

Every 20 ms it adds up the resident memory (RSS) of the server's main process and workers; each
kind's figure is the peak during its rounds above the total just before them (after every
process has answered a few reports: a new process imports and fills its caches on its
first). The goal is a flat server whatever is sent: the attack under +200 MB.
``BENCH_ROUNDS`` sets the rounds of each kind (default 3). Exits 1 when a photo of the
attack is kept or a request fails.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import (
    SERVER,
    ensure_country,
    free_port,
    report,
    server_shape,
    setup_django,
    stopwatch,
    wait_ready,
)
from soak import processes_of, rss_mb

CLIENTS = max(int(n) for n in os.environ.get("BENCH_CLIENTS", "20").split(","))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PHOTOS = 3  # the most a resident's report keeps
GOAL_MB = 200
SECRET = "bench-" + "u" * 60


def kinds() -> list[tuple[str, bytes, bool]]:
    """(label, photo, whether it is to be kept)."""
    from PIL import Image

    from sambang.testing.bad_inputs import jpeg_pixel_bomb
    from sambang.testing.fieldwork import photo_bytes

    webp = io.BytesIO()
    Image.new("RGB", (2828, 2121), (90, 120, 60)).save(webp, "WEBP")
    return [
        ("baseline: a phone photo of 640×480", photo_bytes(1), True),
        ("the attack: a JPEG of 50 megapixels", jpeg_pixel_bomb(10_000, 5_000), False),
        ("largest JPEG accepted: 24 megapixels", jpeg_pixel_bomb(6_000, 4_000), True),
        ("largest decoded whole: a 6-megapixel WebP", webp.getvalue(), True),
    ]


def multipart(village: str, photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    fields = {"category": "other", "description": "Foto kegiatan warga.", "village": village}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for n in range(PHOTOS):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="photo{n}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def send(base: str, village: str, photo: bytes, number: int) -> tuple[int, int, float]:
    """One report with its photos: (status, photos refused, seconds)."""
    body, boundary = multipart(village, photo)
    request = urllib.request.Request(
        f"{base}/api/v1/public/citizen-reports",
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
        },
    )
    with stopwatch() as took:
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, answer = response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            status, answer = error.code, {}
    return status, len(answer.get("attachment_problems", [])), took()


class PeakMemory(threading.Thread):
    """The highest total RSS of the server's processes while it runs."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peak = 0.0
        self.done = threading.Event()

    def total(self) -> float:
        return sum(rss_mb(pid) for pid in processes_of(self.master))

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.total())
            time.sleep(0.02)


def burst(base: str, villages: list[str], photo: bytes, first: int) -> list[tuple[int, int, float]]:
    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(
            pool.map(
                lambda n: send(base, villages[n % len(villages)], photo, first + n),
                range(CLIENTS),
            )
        )


def main() -> None:
    vendor = setup_django()
    from django.db import connection

    from sambang.organization.models import Jurisdiction

    ensure_country()
    villages = list(
        Jurisdiction.objects.order_by("village_id").values_list("village_id", flat=True)
    )
    villages = villages[:: max(len(villages) // 50, 1)]
    photos = kinds()
    connection.close()
    with tempfile.TemporaryDirectory(prefix="sambang-uploads-") as folder:
        port = free_port()
        environment = {
            **{k: v for k, v in os.environ.items() if k not in ("MEDIA_ROOT", "CACHE_URL")},
            "DJANGO_SETTINGS_MODULE": "sambang.config.settings.production",
            "SECRET_KEY": SECRET,
            "SAMBANG_PLAIN_HTTP": "1",
            "SAMBANG_BIND": f"127.0.0.1:{port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            # Residents report from addresses of their own, given by the (one) proxy's header.
            "SAMBANG_TRUSTED_PROXIES": "1",
        }
        log = (Path(folder) / "server.log").open("w")
        server = subprocess.Popen(
            SERVER,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        figures: dict[str, str] = {}
        failures: list[str] = []
        number = 0
        try:
            wait_ready("uploads", base, server, Path(log.name), timeout_s=60)
            for _warm in range(3):  # every process answers a few reports first: not measured
                burst(base, villages, photos[0][1], number)
                number += CLIENTS
            for label, photo, kept in photos:
                sampler = PeakMemory(server.pid)
                idle = sampler.total()
                sampler.start()
                answers = []
                for _round in range(ROUNDS):
                    answers += burst(base, villages, photo, number)
                    number += CLIENTS
                sampler.done.set()
                sampler.join()
                statuses = sorted({status for status, _refused, _s in answers})
                refused = sum(r for _status, r, _s in answers)
                expected = 0 if kept else PHOTOS * len(answers)
                if statuses != [201] or refused != expected:
                    failures.append(f"{label}: statuses {statuses}, {refused} photos refused")
                seconds = statistics.median(s for _status, _r, s in answers)
                figures[label] = (
                    f"peak +{sampler.peak - idle:,.0f} MB over {idle:,.0f} MB;"
                    f" {len(answers)} reports, {PHOTOS * len(answers) - refused} photos kept,"
                    f" {refused} refused; p50 {seconds * 1000:,.0f} ms"
                )
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        figures["concurrency"] = (
            f"{CLIENTS} reports at once × {ROUNDS} rounds, {PHOTOS} photos each; {server_shape()}"
        )
        attack = figures[photos[1][0]]
        peak = float(attack.split("+", 1)[1].split(" ", 1)[0].replace(",", ""))
        figures["goal: the attack under +200 MB"] = "met" if peak < GOAL_MB else "NOT met"
        report("Photo uploads: server memory", vendor, figures)
        if failures:
            sys.exit("uploads: " + "; ".join(failures))


if __name__ == "__main__":
    main()
