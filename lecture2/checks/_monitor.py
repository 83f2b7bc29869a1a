"""Recognising lecture2's own code: by identity, and by the code objects
the student's function runs into (a ``sys.setprofile`` call monitor)."""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import threading
import types

# ------------------------------------------------------ lecture2's own code


def _resolve(dotted: str):
    """``"lecture2.activations:Activation.derivative"`` -> the object, or
    None when it does not exist (the package may not have it yet)."""
    module_name, _, attr = dotted.partition(":")
    try:
        obj = importlib.import_module(module_name)
        for part in attr.split(".") if attr else []:
            obj = getattr(obj, part)
    except Exception:  # noqa: BLE001 (a missing name is not an error)
        return None
    return obj


def _codes(obj) -> set:
    """Code objects of a function, a method, or all methods of a class."""
    out = set()
    if isinstance(obj, type):
        for value in vars(obj).values():
            out |= _codes(value)
        return out
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        return set().union(*(_codes(f) for f in (obj.fget, obj.fset) if f))
    obj = getattr(obj, "__func__", obj)
    try:
        obj = inspect.unwrap(obj)
    except Exception:  # noqa: BLE001, S110 (builtins cannot be unwrapped)
        pass
    code = getattr(obj, "__code__", None)
    if isinstance(code, types.CodeType):
        out.add(code)
    return out


def _package_codes() -> dict:
    """Every code object defined at the top of a lecture2 module (the checks'
    own reference formulas included) -> a name."""
    names = {}
    for mod_name, module in list(sys.modules.items()):
        if not mod_name.startswith("lecture2") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if getattr(value, "__module__", None) != mod_name:
                continue
            for code in _codes(value):
                names.setdefault(code, f"{mod_name}.{attr}")
    return names


def identify_package_callable(fn) -> str | None:
    """The lecture2 name of ``fn`` when it *is* one of lecture2's callables
    (a function, method, bound method, class, instance of a lecture2 class,
    or a functools.partial of one), else None."""
    seen = 0
    while isinstance(fn, functools.partial) and seen < 10:
        fn, seen = fn.func, seen + 1
    module = getattr(fn, "__module__", None) or ""
    if isinstance(fn, type) and module.startswith("lecture2"):
        return f"{module}.{fn.__qualname__}"
    cls_module = type(fn).__module__ or ""
    if cls_module.startswith("lecture2") and not isinstance(fn, types.FunctionType):
        return f"{cls_module}.{type(fn).__qualname__}"
    for mod_name, mod in list(sys.modules.items()):
        if mod_name.startswith("lecture2") and mod is not None:
            for attr, value in list(vars(mod).items()):
                if value is fn:
                    return f"{mod_name}.{attr}"
    try:
        codes = _codes(fn)
    except Exception:  # noqa: BLE001 (the student's own __getattr__ raised)
        return None
    if not codes:
        return None
    table = _package_codes()
    for code in codes:
        if code in table:
            return table[code]
    return None


_SETPROFILE = sys.setprofile


class _Tripwire:
    """Records calls into given code objects while the student's function
    runs, through ``sys.setprofile`` (see the package docstring for why)."""

    def __init__(self, forbidden: dict):
        self.forbidden = forbidden  # code -> name
        self.hits: list[str] = []
        self.switched_off = False

    def _hook(self, frame, event, arg):
        if event == "call":
            if frame.f_code in self.forbidden:
                self.hits.append(self.forbidden[frame.f_code])
        elif event == "c_call" and arg is _SETPROFILE:
            # switched off, even if it is switched on again before the end
            self.switched_off = True

    def run(self, thunk):
        if not self.forbidden:
            return thunk()
        previous, previous_threads = sys.getprofile(), threading.getprofile()
        # threads the function starts are watched too; not from the fallback's
        # worker thread, which may outlive the check and would leave it set
        main = threading.current_thread() is threading.main_thread()
        sys.setprofile(self._hook)
        if main:
            threading.setprofile(self._hook)
        try:
            return thunk()
        finally:
            switched_off = self.switched_off or sys.getprofile() != self._hook
            sys.setprofile(previous)  # (seen by the hook as a switch-off)
            self.switched_off = switched_off
            if main:
                threading.setprofile(previous_threads)


def forbidden_codes(names) -> dict:
    """Code objects of the lecture2 callables ``names`` -> the name of the
    function each one belongs to (``module.qualname``, e.g.
    ``lecture2.network.count_parameters`` even when it was listed through
    a class that holds it as a static method; a constructor is shown as
    ``lecture2.network.Network()``)."""
    table = {}
    for dotted in names:
        obj = _resolve(dotted)
        if obj is None:
            continue
        fallback = dotted.replace(":", ".")
        module = getattr(obj, "__module__", None) or dotted.partition(":")[0]
        for code in _codes(obj):
            qualname = getattr(code, "co_qualname", "")
            if not qualname or "<" in qualname:
                table.setdefault(code, fallback)
                continue
            # a function's own module (it may be re-exported elsewhere)
            owner = _code_module(code) or module
            name = f"{owner}.{qualname}"
            if name.endswith(".__init__"):
                name = name.removesuffix(".__init__") + "()"
            table.setdefault(code, name)
    return table


def _code_module(code) -> str | None:
    """The lecture2 module whose file defines ``code``."""
    for mod_name, module in list(sys.modules.items()):
        if (
            mod_name.startswith("lecture2")
            and module is not None
            and getattr(module, "__file__", None) == code.co_filename
        ):
            return mod_name
    return None
