"""Time limits for the student's function.

On the main thread of a Unix process the limit is a SIGALRM timer that
raises :class:`_TooSlow` inside the student's code; elsewhere (Windows, or a
check run off the main thread) the call runs in a daemon thread and the
check stops waiting (see the package docstring for the trade-offs).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import threading
import time
from pathlib import Path

from ._monitor import _Tripwire


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


#: Files of the checks' own code that runs around the student's function
#: (the harness, this module, the call monitor, the output redirection in
#: contextlib): the alarm does not raise in their frames, so that they always
#: finish cleaning up; the next alarm comes 50 ms later. For the call
#: monitor's hook see :data:`_HOOK_CODE`.
_OWN_FILES = frozenset(
    os.path.realpath(path)
    for path in (
        __file__,
        Path(__file__).with_name("_harness.py"),
        Path(__file__).with_name("_monitor.py"),
        contextlib.__file__,
    )
)
#: The call monitor's hook runs before most calls, the student's and the
#: checks' own: an alarm that comes in the hook is judged by the frame that
#: made the call. Raised there, it reaches the student's code (Python then
#: switches the monitor off, which no longer matters: the verdict is "too
#: slow").
_HOOK_CODE = _Tripwire._hook.__code__


class _Alarm:
    """SIGALRM-based time limit for the main thread (Linux, macOS, Jupyter).

    After ``seconds`` the handler raises :class:`_TooSlow`, and again every
    50 ms for as long as the call runs on, so that code which catches the
    first one (a bare ``except:`` in a loop, a ``finally:`` that goes on
    working) is stopped by a later one. It raises only while ``active`` is
    set (not once the call has returned) and not in a frame of the checks'
    own code (:data:`_OWN_FILES`); a call that caught it, or that was in the
    checks' code when it came, and then finished still ends in
    :class:`_TooSlow`. A previously armed timer and handler are restored
    afterwards.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.active = False
        self.fired = False

    def _handler(self, signum, frame):
        if not self.active:
            return
        self.fired = True  # too slow, even if it returns before the next alarm
        if frame is not None and frame.f_code is _HOOK_CODE:
            frame = frame.f_back  # the hook counts as the code that it watches
        if frame is not None and _own_path(frame.f_code.co_filename) in _OWN_FILES:
            return
        raise _TooSlow()

    def run(self, thunk):
        old_handler = signal.signal(signal.SIGALRM, self._handler)
        old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, 0)
        start = time.monotonic()
        try:
            self.active = True
            # the interval raises again if the student's code caught the alarm
            # (a limit of 0 or less would disarm the timer: at least 0.1 ms)
            signal.setitimer(signal.ITIMER_REAL, max(self.seconds, 1e-4), 0.05)
            try:
                result = thunk()
            except BaseException:
                if not self.fired:
                    raise
            finally:
                self.active = False
                signal.setitimer(signal.ITIMER_REAL, 0)
            if self.fired:  # whatever it returned or raised after the limit
                raise _TooSlow() from None
            return result
        finally:
            signal.signal(signal.SIGALRM, old_handler)
            if old_delay > 0:  # give an outer timer back what is left of it
                left = max(old_delay - (time.monotonic() - start), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, old_interval)


@functools.lru_cache(maxsize=256)
def _own_path(filename: str) -> str:
    return os.path.realpath(filename)


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
