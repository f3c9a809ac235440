"""Runs one Pulumi Python program for pulumi-language-python (passed with `python -u -c`; written for this project).

    python -u -c <this> --monitor A --engine A --project P --stack S --pwd D --dry_run true|false --parallel N
                        --organization O --root_directory R -- PROGRAM [ARGS...]

PROGRAM is the program directory (its __main__.py) or a file. The stack config arrives in PULUMI_CONFIG and
PULUMI_CONFIG_SECRET_KEYS. Any error is reported once, through the engine, and the exit code is then 32, which
tells the host the user has seen it (no second "unhandled error" line).
"""

import sys

if sys.path and sys.path[0] == "":
    del sys.path[0]  # `-c` put the project folder first: its files must not shadow the modules below

import argparse  # noqa: E402
import asyncio  # noqa: E402
import inspect  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import runpy  # noqa: E402
import traceback  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

SHOWN = 32


def arguments():
    parser = argparse.ArgumentParser(prog="pulumi-language-python runner")
    for flag in ("monitor", "engine", "project", "stack", "pwd", "dry_run", "parallel", "organization",
                 "root_directory"):
        parser.add_argument(f"--{flag}", default="")
    parser.add_argument("program")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    return parser.parse_args()


def user_traceback(program):
    """The traceback from the program's entry file on (the runner's and the SDK's frames before it are noise)."""
    entry = os.path.join(program, "__main__.py") if os.path.isdir(program) else program
    frames = traceback.extract_tb(sys.exc_info()[2])
    for index, frame in enumerate(frames):
        if os.path.abspath(frame.filename) == entry:
            return traceback.format_exc(limit=-(len(frames) - index))
    return traceback.format_exc()


def main():
    args = arguments()
    try:
        import pulumi
        import pulumi.runtime
    except ImportError:
        print("error: the `pulumi` package is not installed in the program's Python environment; install the "
              "project's requirements (`pulumi install`, or pip install -r requirements.txt in its virtualenv)",
              file=sys.stderr)
        return 1
    config = pulumi.runtime.get_config_env() or {}
    if hasattr(pulumi.runtime, "set_all_config") and hasattr(pulumi.runtime, "get_config_secret_keys_env"):
        pulumi.runtime.set_all_config(config, pulumi.runtime.get_config_secret_keys_env() or [])
    else:  # an older SDK: no secret keys to pass
        for key, value in config.items():
            pulumi.runtime.set_config(key, value)
    parallel = int(args.parallel or 0)
    wanted = {"monitor": args.monitor, "engine": args.engine, "project": args.project, "stack": args.stack,
              "parallel": parallel, "dry_run": args.dry_run == "true", "organization": args.organization or None,
              "root_directory": args.root_directory or None}
    accepted = inspect.signature(pulumi.runtime.Settings.__init__).parameters  # older SDKs take fewer
    pulumi.runtime.configure(pulumi.runtime.Settings(**{k: v for k, v in wanted.items() if k in accepted}))
    sys.argv = [args.program, *args.args]
    if args.pwd:
        os.chdir(args.pwd)
    program = os.path.abspath(args.program)
    if os.path.isdir(program) and not os.path.exists(os.path.join(program, "__main__.py")):
        pulumi.log.error(f"no Python program in {program}: it has no __main__.py (or set `main:` in Pulumi.yaml)")
        return SHOWN
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    executor = ThreadPoolExecutor(max_workers=max(parallel, 1) * 4)
    loop.set_default_executor(executor)
    # An interrupted deployment leaves futures nobody awaits; asyncio's complaints about them are not the user's.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(lambda: runpy.run_path(program, run_name="__main__")))
        return 0
    except pulumi.RunError as error:
        pulumi.log.error(str(error))
    except Exception:  # noqa: BLE001 - whatever the program raised is reported, once
        pulumi.log.error("Program failed with an unhandled exception:\n" + user_traceback(program))
    finally:
        executor.shutdown(wait=True)
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()
    return SHOWN


sys.exit(main())
