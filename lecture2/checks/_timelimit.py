"""Time limits for the student's function.

On the main thread of a Unix process the limit is a SIGALRM timer that
raises :class:`_TooSlow` inside the student's code; elsewhere (Windows, or a
check run off the main thread) the call runs in a daemon thread and the
check stops waiting (see the package docstring for the trade-offs).
"""

from __future__ import annotations

import signal
import threading
import time


class _TooSlow(BaseException):
    """Raised by the alarm inside the student's function. A BaseException, so
    that a student's ``except Exception`` does not swallow it."""


# ---------------------------------------------------------------- time limit


def _alarm_available() -> bool:
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )


class _Alarm:
    """SIGALRM-based time limit for the main thread (Linux, macOS, Jupyter).

    The handler raises only while ``active`` is set, so an alarm that fires
    just after the student's function returned does not hit the check's own
    code. A previously armed timer and handler are restored afterwards.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.active = False

    def _handler(self, signum, frame):
        if self.active:
            self.active = False
            raise _TooSlow()

    def run(self, thunk):
        old_handler = signal.signal(signal.SIGALRM, self._handler)
        old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, 0)
        start = time.monotonic()
        try:
            self.active = True
            # interval re-fires the alarm if the student's code swallowed it
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.05)
            try:
                return thunk()
            finally:
                self.active = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, old_handler)
            if old_delay > 0:  # give an outer timer back what is left of it
                left = max(old_delay - (time.monotonic() - start), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, old_interval)


def _run_in_thread(thunk, seconds: float):
    """Fallback without SIGALRM (Windows, or a check called off the main
    thread): run in a daemon thread and stop waiting after ``seconds``. The
    thread cannot be killed; a runaway function keeps running in the
    background until the process ends."""
    box = {}

    def target():
        try:
            box["value"] = thunk()
        except BaseException as exc:  # noqa: BLE001 (re-raised in the caller)
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise _TooSlow()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def run_with_time_limit(thunk, seconds: float):
    """Call ``thunk()``; raise :class:`_TooSlow` after ``seconds``."""
    if _alarm_available():
        return _Alarm(seconds).run(thunk)
    return _run_in_thread(thunk, seconds)
