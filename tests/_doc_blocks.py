"""Runs one docs page's python blocks, in order, in one namespace (used by test_doctests).

Reads the blocks as JSON on standard input: a list of ``[label, language, setup, code]``:
``python`` code is executed, ``bash`` code runs in bash (``-euo pipefail``) with this
interpreter's ``bin`` folder first on PATH, so ``hubcore`` is the one under test. ``setup`` is
the hidden code of a ``<!-- test-setup ... -->`` comment just above the block (names the
reader already has from the text around it); it runs first, in the same namespace. When
every block has run, each ``test_*`` function the page defined that takes no argument (a
plain or a hypothesis ``@given`` test) is called: a page's example tests pass, not just load.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import traceback
import types

from hypothesis import HealthCheck, settings

# the test suite's own profile: a loaded machine's slow first draw is not a failure
settings.register_profile(
    "docs", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("docs")


def _bash(code: str) -> None:
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}\n{done.stdout}{done.stderr}")


def main() -> int:
    module = types.ModuleType("docs_page")
    sys.modules[module.__name__] = module  # dataclasses and pickling look their module up
    namespace = module.__dict__
    label = "?"
    try:
        for label, language, setup, code in json.load(sys.stdin):
            if setup:
                exec(compile(setup, f"{label} (test-setup)", "exec"), namespace)
            if language == "bash":
                _bash(code)
            else:
                exec(compile(code, label, "exec"), namespace)
        for name, value in list(namespace.items()):
            takes_nothing = inspect.isfunction(value) and not inspect.signature(value).parameters
            if name.startswith("test_") and takes_nothing:
                label = f"{name}() defined on the page"
                value()
                print(f"ran {name}()")
    except BaseException:
        traceback.print_exc()
        print(f"FAILED: {label}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
