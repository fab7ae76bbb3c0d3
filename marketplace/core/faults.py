"""Crash points for the tests that kill a server at each step of a money path.

`crash_point("payments.card.after_gateway")` does nothing unless the process was started with the environment
variable CRASH_AT naming that point; then the process dies on the spot (SIGKILL: no cleanup, no rollback
handler, no response), exactly as a machine losing power would. Production never sets CRASH_AT.
"""

import os
import signal


def crash_point(name: str) -> None:
    if os.environ.get("CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
