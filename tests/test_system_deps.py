"""The system packages the suite needs: one list, installed when missing.

``.ci/system-deps`` runs here on a fake system: a ``PATH`` holding only
stand-ins for the tools it looks for (``kpsewhich``, ``fc-list``, ``id``,
``sudo``, ``apt-get`` and the commands the suite runs), driven by lists of
what is "installed". The fake ``apt-get install`` installs what each
package provides, as the script's own table says, and logs its calls.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / ".ci" / "system-deps"


def _table() -> dict[str, tuple[str, list[str]]]:
    """Debian package -> (group, checks), read from the script."""
    text = SCRIPT.read_text()
    body = re.search(r"REQUIREMENTS=\(\n(.*?)\n\)", text, re.S)[1]
    rows = {}
    for line in body.splitlines():
        package, group, checks, _ = line.strip().strip('"').split("|")
        rows[package] = (group, checks.split())
    return rows


TABLE = _table()

# Stand-ins for the tools the script looks for. The fake PATH has nothing
# else, so they use bash builtins only; apt-get, called twice, is Python,
# since installing means creating commands.
FAKE_TOOL = r"""#!/bin/bash
echo "${0##*/} $*" >>"$FAKE_STATE/calls.log"
mapfile -t present <"$FAKE_STATE/present"
case "${0##*/}" in
    kpsewhich)
        for f in "$@"; do
            for item in "${present[@]}"; do
                [ "$item" = "tex:$f" ] && echo "/texmf/$f"
            done
        done ;;
    fc-list)
        for item in "${present[@]}"; do
            [[ $item == font:* ]] && echo "/fonts/${item#font:}"
        done ;;
    id) echo "${FAKE_UID:-1000}" ;;
    sudo) exec "$FAKE_STATE/bin/$1" "${@:2}" ;;
esac
exit 0
"""

FAKE_APT = """#!{python}
import os, sys
from pathlib import Path
state = Path(os.environ["FAKE_STATE"])
with open(state / "calls.log", "a") as log:
    log.write(" ".join(["apt-get", *sys.argv[1:]]) + "\\n")
print("APT-GET " + " ".join(sys.argv[1:]), flush=True)
if sys.argv[1] == "install" and os.environ.get("FAKE_APT_WORKS") != "0":
    present = set((state / "present").read_text().split())
    for package in sys.argv[2:]:
        if not package.startswith("-"):
            present |= set((state / "provides" / package).read_text().split())
    (state / "present").write_text("\\n".join(sorted(present)) + "\\n")
    for item in present:
        tool = None
        if item.startswith("cmd:"):
            tool = state / "bin" / item[4:]
        elif item == "browser":
            tool = state / "chromium"
        if tool is not None:
            tool.write_text("#!/bin/sh\\n")
            tool.chmod(0o755)
"""


def _provides(package: str) -> list[str]:
    return TABLE[package][1]


class FakeSystem:
    def __init__(self, tmp: Path, missing: set[str], apt: bool = True):
        self.state = tmp
        self.bin = tmp / "bin"
        self.bin.mkdir()
        (tmp / "provides").mkdir()
        for package in TABLE:
            (tmp / "provides" / package).write_text(
                "\n".join(_provides(package)) + "\n"
            )
        for name in ("kpsewhich", "fc-list", "id", "sudo"):
            self._command(self.bin / name, FAKE_TOOL)
        if apt:
            apt_get = FAKE_APT.format(python=sys.executable)
            self._command(self.bin / "apt-get", apt_get)
        present = {
            item
            for package in TABLE
            if package not in missing
            for item in _provides(package)
        }
        (tmp / "present").write_text("\n".join(sorted(present)) + "\n")
        (tmp / "calls.log").write_text("")
        for item in present:
            if item.startswith("cmd:"):
                self._command(self.bin / item[4:])
            if item == "browser":
                self._command(tmp / "chromium")

    @staticmethod
    def _command(path: Path, text: str = "#!/bin/sh\n") -> None:
        path.write_text(text)
        path.chmod(0o755)

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        environment = {
            "PATH": str(self.bin),
            "FAKE_STATE": str(self.state),
            "CHROMIUM": str(self.state / "chromium"),
            **env,
        }
        return subprocess.run(
            ["/bin/bash", str(SCRIPT), *args],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    def calls(self, name: str) -> list[str]:
        lines = (self.state / "calls.log").read_text().splitlines()
        return [line for line in lines if line.split()[0] == name]


def test_nothing_missing_installs_nothing(tmp_path):
    system = FakeSystem(tmp_path, missing=set())
    result = system.run()
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert not system.calls("apt-get")


def test_installs_only_what_is_missing_through_sudo(tmp_path):
    system = FakeSystem(tmp_path, missing={"npm", "texlive-latex-extra"})
    result = system.run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert system.calls("sudo") == [
        "sudo apt-get update -qq",
        "sudo apt-get install -y -qq npm texlive-latex-extra",
    ]
    out = result.stdout
    announced = out.index("About to install them: sudo apt-get install npm")
    assert announced < out.index("APT-GET update"), "says it before it does"
    assert "missing: command npm" in out
    assert "LaTeX file fncychap.sty" in out
    assert out.rstrip().endswith("Installed: npm texlive-latex-extra")


def test_root_needs_no_sudo(tmp_path):
    system = FakeSystem(tmp_path, missing={"chromium"})
    result = system.run(FAKE_UID="0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not system.calls("sudo")
    assert system.calls("apt-get")[-1] == "apt-get install -y -qq chromium"


def test_no_apt_get_stops_with_the_exact_list(tmp_path):
    missing = {"npm", "latexmk", "fonts-texgyre-math", "chromium"}
    system = FakeSystem(tmp_path, missing=missing, apt=False)
    result = system.run()
    assert result.returncode == 1
    assert result.stdout == ""
    err = result.stderr
    for item in (
        "command npm",
        "command latexmk",
        "font file texgyretermes-math.otf",
        f"Chromium at {tmp_path / 'chromium'}",
    ):
        assert f"missing: {item}" in err
    for package in missing:
        assert f"Debian/Ubuntu package: {package}" in err
    assert err.count("missing: ") == len(missing), "only what is missing"
    assert "no apt-get" in err and "README.md" in err
    assert not system.calls("sudo")


def test_check_only_never_installs(tmp_path):
    system = FakeSystem(tmp_path, missing={"poppler-utils"})
    result = system.run("--check")
    assert result.returncode == 1
    assert "apt-get install poppler-utils" in result.stderr
    assert not system.calls("apt-get") and not system.calls("sudo")


def test_a_group_checks_only_its_own(tmp_path):
    pdf_packages = {p for p, (group, _) in TABLE.items() if group == "pdf"}
    system = FakeSystem(tmp_path, missing=pdf_packages)
    result = system.run("browser")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not system.calls("apt-get")


def test_fails_if_the_install_does_not_provide(tmp_path):
    system = FakeSystem(tmp_path, missing={"npm"})
    result = system.run(FAKE_APT_WORKS="0")
    assert result.returncode == 1
    assert "Still missing after apt-get install: npm" in result.stderr


def test_not_root_without_sudo_says_how(tmp_path):
    system = FakeSystem(tmp_path, missing={"npm"})
    (system.bin / "sudo").unlink()
    result = system.run()
    assert result.returncode == 1
    assert "apt-get install npm" in result.stderr
    assert not system.calls("apt-get")


def test_readme_lists_every_package():
    """README's table, the reference for other systems, names them all."""
    readme = (ROOT / "README.md").read_text()
    absent = [p for p in TABLE if f" {p}" not in readme]
    assert not absent


def test_make_test_and_ci_run_call_the_script():
    dry = subprocess.run(
        ["make", "-n", "--always-make", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    ).stdout.splitlines()
    deps = next(i for i, line in enumerate(dry) if ".ci/system-deps" in line)
    npm = next(i for i, line in enumerate(dry) if line.startswith("npm ci"))
    pytest_run = next(i for i, line in enumerate(dry) if "pytest" in line)
    assert deps < npm < pytest_run
    assert ".ci/system-deps" in (ROOT / ".ci" / "run").read_text()
