"""A local S3-compatible server (moto's server mode, from PyPI) with one bucket, for Pulumi's S3 backend.

Against AWS the backend URL is just ``s3://<bucket>/<prefix>``; here it names the local endpoint and path-style
addressing. Used by the S3 tests (tests/e2e/test_s3_backend.py, test_s3_locking.py) and by bench_engine.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from typing import Any, Iterator

import boto3

KEYS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local-s3-secret", "AWS_REGION": "us-east-1"}
BUCKET = "aep-state"


@contextlib.contextmanager
def s3_server(prefix: str = "teams") -> Iterator[tuple[str, Any]]:
    """(the ``PULUMI_BACKEND_URL`` of ``prefix`` in the bucket, a boto3 client of the server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=KEYS["AWS_REGION"],
                              aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
                              aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"])
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # noqa: BLE001 - the server is still starting
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"s3://{BUCKET}/{prefix}?endpoint={endpoint}&region=us-east-1&use_path_style=true", client
    finally:
        server.terminate()
        server.wait(timeout=10)
