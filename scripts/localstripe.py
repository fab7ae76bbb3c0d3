"""localstripe with its state in a folder of the caller's choosing.

localstripe 1.15.10 keeps its whole state in one file, /tmp/localstripe.pickle, rewritten on every change and
read back at start unless --from-scratch is given: two runs side by side (a `make run`, a test session, another
checkout) would overwrite each other's state, and a run could start from another's. This wrapper points the two
methods that read and write that file (localstripe.resources.Store.try_load_from_disk / dump_to_disk) at
STATE_DIR/localstripe.pickle, then runs localstripe's own server entry point.

    python scripts/localstripe.py --state-dir DIR --port N [--from-scratch]
"""

import argparse
import os
import pickle
import sys
from pathlib import Path

STATE_FILE_NAME = "localstripe.pickle"


def use_state_file(path: Path) -> None:
    from localstripe.resources import Store

    def try_load_from_disk(store) -> None:
        try:
            with path.open("rb") as state:
                old = pickle.load(state)  # noqa: S301 - our own file, written by dump_to_disk below
        except FileNotFoundError:
            return
        store.clear()
        store.update(old)

    def dump_to_disk(store) -> None:
        # Written aside and renamed: a run stopped mid-write leaves the previous state, not half a file.
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as state:
            pickle.dump(dict(store), state, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    Store.try_load_from_disk = try_load_from_disk
    Store.dump_to_disk = dump_to_disk


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dir", type=Path, required=True, help="folder for this run's state file")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--from-scratch", action="store_true", help="ignore the state a previous run left")
    args = parser.parse_args(argv)
    # Python put this script's folder first on the path, where this file would shadow the localstripe package.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    args.state_dir.mkdir(parents=True, exist_ok=True)
    use_state_file(args.state_dir.resolve() / STATE_FILE_NAME)

    from localstripe.server import start

    sys.argv = ["localstripe", "--port", str(args.port)] + (["--from-scratch"] if args.from_scratch else [])
    start()


if __name__ == "__main__":
    main()
