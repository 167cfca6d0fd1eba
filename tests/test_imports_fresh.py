"""Every module of every civicloop app imports first, right after `django.setup()`, with nothing imported before it.

An import cycle hides when modules happen to load in a lucky order (the whole suite, the server): importing
`civicloop.cases.api` first once failed with "partially initialized module" because each app's api imported
`civicloop.api`, which imported every app's router. This test finds such a cycle wherever it appears.

How it stays fast: one fresh interpreter (not this pytest process, whose modules are all loaded) runs
`django.setup()` once and then forks one child per module; each child starts from exactly the state a new
`python -c "import django; django.setup()"` has, imports its one module, and reports. Two children run at a time.

Every module is checked, tests and migrations included, except `civicloop.__main__`: importing it runs the
command line (`civicloop` with no arguments), which is not an import.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import civicloop

SKIP = {"civicloop.__main__"}  # runs the CLI when imported

ZYGOTE = r"""
import json, os, sys, traceback
import django
django.setup()
modules = json.loads(sys.stdin.read())
results, running = {}, {}

def reap(block):
    pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
    if pid:
        results[running.pop(pid)] = os.waitstatus_to_exitcode(status) == 0

for name in modules:
    while len(running) >= 2:
        reap(True)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            __import__(name)
        except BaseException:
            traceback.print_exc()
            sys.stderr.write(f"^ importing {name} first\n")
            code = 1
        sys.stderr.flush()
        os._exit(code)
    running[pid] = name
while running:
    reap(True)
print(json.dumps(results))
"""


def civicloop_modules() -> list[str]:
    """Every module under the civicloop package, found on disk (importing the packages would defeat the test)."""
    root = Path(civicloop.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name not in SKIP:
            names.append(name)
    return names


def import_each_first(modules: list[str]) -> tuple[dict[str, bool], str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicloop.settings"}
    # the same civicloop this test imported (a worktree's src first on PYTHONPATH), not another install
    env["PYTHONPATH"] = os.pathsep.join([str(Path(civicloop.__file__).parent.parent), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", ZYGOTE], input=json.dumps(modules), env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_every_module_imports_first_in_a_fresh_interpreter():
    modules = civicloop_modules()
    assert "civicloop.cases.api" in modules and "civicloop.places.views" in modules
    results, stderr = import_each_first(modules)
    assert set(results) == set(modules)
    failed = sorted(name for name, ok in results.items() if not ok)
    assert not failed, f"{failed}\n{stderr[-6000:]}"
