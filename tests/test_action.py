"""The composite GitHub Action (action.yml): its shell steps run here as the runner runs them
(`bash --noprofile --norc -eo pipefail`), with inputs passed the way GitHub passes them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
MIDDLING = str(EXAMPLES / "middling-community-mh.yaml")  # 75.7 overall, risk_management 66.7
INPUT = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def step(name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in ACTION["runs"]["steps"] if s["name"] == name)
    return found


def boardcheck_bin() -> str:
    """The console script of the boardcheck under test, as the install step would set it."""
    script = Path(sys.executable).parent / "boardcheck"
    found = str(script) if script.exists() else shutil.which("boardcheck")
    assert found, "boardcheck is not installed beside this Python"
    return found


def run_step(name: str, inputs: dict[str, str], cwd: Path,
             extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run one step's script: `${{ inputs.x }}` in its env resolved from `inputs`, else the
    input's default, as GitHub does."""
    defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    values = {**defaults, **inputs}
    s = step(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "BOARDCHECK_"))}
    env.update({k: INPUT.sub(lambda m: values[m.group(1)], str(v))
                for k, v in s.get("env", {}).items()})
    env.update({"BOARDCHECK_BIN": boardcheck_bin(), "NO_COLOR": "1", **(extra_env or {})})
    script = cwd / "step.sh"
    script.write_text(s["run"], encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_no_input_is_spliced_into_a_script() -> None:
    for s in ACTION["runs"]["steps"]:
        assert "${{" not in s.get("run", ""), s["name"]


def test_a_passing_trust_exits_0_with_annotations(tmp_path: Path) -> None:
    run = run_step("Check", {"paths": MIDDLING, "fail-under": "70"}, tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.startswith("::")


def test_each_threshold_is_passed_and_named(tmp_path: Path) -> None:
    run = run_step("Check", {"paths": MIDDLING, "fail-under": "70 risk_management=70",
                             "fail-on": "red", "fail-on-critical": "true"}, tmp_path)
    assert run.returncode == 1
    failed = [line.removeprefix("boardcheck: threshold failed: ")
              for line in run.stderr.splitlines()]
    assert "risk_management score 66.7 is below 70" in failed
    assert "performance_fallback is rated red (--fail-on red)" in failed
    assert "critical criterion PF01 is not evidenced" in failed
    assert not any(line.startswith("overall score") for line in failed)


def test_sarif_is_written_even_when_a_gate_fails(tmp_path: Path) -> None:
    run = run_step("Check", {"paths": MIDDLING, "fail-under": "90", "sarif": "out.sarif"},
                   tmp_path)
    assert run.returncode == 1
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "boardcheck"


def test_a_file_that_cannot_be_read_fails_the_step_with_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    run = run_step("Check", {"paths": str(missing)}, tmp_path)
    assert run.returncode == 2
    assert run.stdout == (f"::error file={missing},line=1,col=1,title=boardcheck%3A cannot "
                          "evaluate::no such file\n")
    assert run.stderr == f"{missing}:1:1: no such file\n"


def test_shell_in_an_input_is_not_run(tmp_path: Path) -> None:
    run = run_step("Check", {"paths": '"; touch pwned; echo "', "fail-on": "$(touch pwned2)"},
                   tmp_path)
    assert run.returncode == 2
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()


def test_install_refuses_a_python_older_than_3_11(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (fake / "python3").chmod(0o755)
    run = run_step("Install boardcheck", {}, tmp_path, extra_env={
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ENV": str(tmp_path / "github_env")})
    assert run.returncode == 2
    assert run.stderr.startswith("::error title=boardcheck::needs Python 3.11 or newer")
    assert not (tmp_path / "github_env").exists()


def test_a_double_star_glob_reaches_boardcheck_unexpanded(tmp_path: Path) -> None:
    deep = tmp_path / "governance" / "2026" / "q3"
    deep.mkdir(parents=True)
    (deep / "trust.yaml").write_bytes(Path(MIDDLING).read_bytes())
    (tmp_path / "governance" / "top.yaml").write_bytes(Path(MIDDLING).read_bytes())
    run = run_step("Check", {"paths": "governance/**/*.yaml", "format": "json"}, tmp_path)
    assert run.returncode == 0, run.stderr
    files = [r["file"] for r in json.loads(run.stdout)["results"]]
    assert files == ["governance/2026/q3/trust.yaml", "governance/top.yaml"]


def test_the_sarif_upload_uses_a_supported_action_and_the_readme_names_its_permission() -> None:
    assert step("Upload SARIF")["uses"] == "github/codeql-action/upload-sarif@v4"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "security-events: write" in readme


def test_the_pre_commit_hooks_leave_other_yaml_alone() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        files = re.compile(hook["files"])
        assert files.search("governance/2026/trust.yaml"), hook["id"]
        assert files.search("org/governance/trust.yml"), hook["id"]
        for other in (".github/workflows/ci.yml", "docker-compose.yaml", ".pre-commit-config"
                      ".yaml", "k8s/deploy.yaml"):
            assert not files.search(other), (hook["id"], other)
