"""An S3-compatible server for tests: moto's, on a free loopback port."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "sambang-test",
    "AWS_SECRET_ACCESS_KEY": "sambang-test-secret",
    "AWS_DEFAULT_REGION": "ap-southeast-3",
}


@dataclass(frozen=True)
class Bucket:
    endpoint_url: str
    name: str

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@contextmanager
def s3_bucket(name: str = "sambang-media") -> Iterator[Bucket]:
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        bucket = Bucket(endpoint_url=f"http://127.0.0.1:{port}", name=name)
        bucket.client().create_bucket(
            Bucket=name,
            CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]},
        )
        yield bucket
    finally:
        # moto keeps its buckets in the process, beyond one server's life: start clean.
        reset = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST")
        urllib.request.urlopen(reset).close()  # noqa: S310
        server.stop()
