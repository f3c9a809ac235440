"""``python -m emulator``: run the Flow Service + IMS emulator in the foreground."""
from __future__ import annotations

import argparse
import signal
import sys

from emulator.server import EmulatorServer
from emulator.settings import DEFAULT_DB, DEFAULT_SANDBOXES, service_delay_problem


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one (default 8080)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file, or :memory: (default {DEFAULT_DB})")
    p.add_argument("--org-id", default="local@AdobeOrg", help="the IMS org of the configured client")
    p.add_argument("--client-id", default="local-client", help="IMS client id (= x-api-key)")
    p.add_argument("--client-secret", default="local-secret", help="IMS client secret")
    p.add_argument("--sandbox", action="append", dest="sandboxes", metavar="NAME",
                   help=f"a sandbox that exists; repeat for several (default: {' '.join(DEFAULT_SANDBOXES)})")
    p.add_argument("--strict-sandbox", action="store_true",
                   help="reject requests without x-sandbox-name (400) instead of defaulting to prod")
    p.add_argument("--token-ttl", type=int, default=86400, help="access token lifetime in seconds (default 86400)")
    p.add_argument("--service-update-delay", type=float, default=90.0, metavar="SECONDS",
                   help="seconds until the service updates a new Salesforce JWT connection itself, as Adobe "
                        "documents (default 90)")
    args = p.parse_args(argv)
    if not 0 <= args.port <= 65535:
        p.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.token_ttl <= 0:
        p.error(f"--token-ttl must be a positive number of seconds, got {args.token_ttl}")
    if problem := service_delay_problem(args.service_update_delay):
        p.error(f"--service-update-delay {problem}, got {args.service_update_delay}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = EmulatorServer(
        host=args.host, port=args.port, db=args.db, org_id=args.org_id, client_id=args.client_id,
        client_secret=args.client_secret, sandboxes=tuple(args.sandboxes or DEFAULT_SANDBOXES),
        strict_sandbox=args.strict_sandbox, token_ttl=args.token_ttl,
        service_update_delay=args.service_update_delay,
    )
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the signal; make that a clean exit.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve_forever(ready=lambda url: print(f"Flow Service emulator listening on {url} (db {args.db})",
                                                    flush=True))
    except KeyboardInterrupt:
        pass
    print("Flow Service emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
