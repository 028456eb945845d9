"""Run every command of the README's "A short tour" with the installed `coalesce`, outside the checkout.

Usage: python scripts/run_tour.py README.md COALESCE_EXECUTABLE WORKDIR

`.ci/run` calls it after installing the wheel into a fresh environment (what `pipx install` does), from
an empty directory, so the tour is checked as a new user meets it. Each line of the tour's sh block is
run through the shell with `coalesce` bound to the given executable; the tour's two inputs that a user
brings (`groupings.txt`, `./my-data`) are made first; a pipe into `jq` is skipped where jq is absent.
Any non-zero exit fails the run, naming the line.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path


def tour_lines(readme: str) -> list[str]:
    """The commands of the README's tour block, comments stripped."""
    block = re.search(r"## A short tour\s+```sh\n(.*?)```", readme, flags=re.S)
    if block is None:
        raise SystemExit("run_tour: the README has no '## A short tour' sh block")
    lines = []
    for raw in block.group(1).splitlines():
        command = re.sub(r"\s+#.*$", "", raw).strip()
        if command:
            lines.append(command)
    return lines


def main() -> int:
    readme, executable, workdir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "groupings.txt").write_text("USA,CHN,GBR\nUSA,GBR\n", encoding="utf-8")
    data = subprocess.run(
        [
            str(executable.resolve().with_name("python")),  # a pipx link resolves into its venv
            "-c",
            "from coalesce.loading.files import default_data_dir as d; print(d())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    ).stdout.strip()
    shutil.copytree(data, workdir / "my-data", dirs_exist_ok=True)
    failed = 0
    for line in tour_lines(readme.read_text(encoding="utf-8")):
        if "| jq" in line and shutil.which("jq") is None:
            print(f"tour: skipped (no jq): {line}")
            continue
        shell = re.sub(r"^coalesce\b", shlex.quote(str(executable)), line)
        proc = subprocess.run(
            ["bash", "-o", "pipefail", "-c", shell], cwd=workdir, capture_output=True, text=True
        )
        status = (
            "ok" if proc.returncode == 0 else f"FAILED (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
        )
        print(f"tour: {status}: {line}")
        failed += proc.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
