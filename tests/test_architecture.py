"""The walls between layers, held by inspecting imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from boardcheck.formats.base import (
    FORMATS,
    REGISTRY,
    OutputFormat,
    ReportKind,
    get_batch_format,
    get_format,
    renderer,
    renders_batch,
    renders_one,
)

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "boardcheck"
PURE = ["engine", "model", "questionnaire", "checks", "domain_checks", "result", "gates"]


def imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("name", PURE)
def test_core_imports_neither_rich_nor_typer(name: str) -> None:
    found = imports(PACKAGE / f"{name}.py")
    assert not {m for m in found if m.split(".")[0] in {"rich", "typer"}}


def test_formats_never_import_the_engine_or_loader() -> None:
    for module in (PACKAGE / "formats").glob("*.py"):
        found = imports(module)
        assert "boardcheck.engine" not in found, module.name
        assert "boardcheck.loading" not in found, module.name


def test_nothing_imports_the_cli() -> None:
    for module in PACKAGE.rglob("*.py"):
        if module.name in {"cli.py", "__main__.py"}:
            continue
        assert "boardcheck.cli" not in imports(module), module.name


def test_every_format_choice_is_wired() -> None:
    assert set(FORMATS) == set(OutputFormat)
    for fmt in OutputFormat:
        single, batch = get_format(fmt), get_batch_format(fmt)
        assert single is not None or batch is not None, fmt
        # The CLI chooses one file or a batch from these, without importing the module.
        assert (single is not None, batch is not None) == (renders_one(fmt),
                                                           renders_batch(fmt)), fmt
        for found in (single, batch):
            assert found is None or callable(found.render)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_registered_renderer_exists_and_declares_what_it_is(fmt: OutputFormat) -> None:
    info = REGISTRY[fmt]
    assert info.renderers, fmt
    for kind in info.renderers:
        found = renderer(fmt, kind)
        method = "render_bytes" if info.binary else "render"
        assert callable(getattr(found, method)), (fmt, kind)
    assert (info.binary, info.step_summary) == (fmt in (OutputFormat.DOCX, OutputFormat.XLSX),
                                                fmt is OutputFormat.GITHUB)


def test_every_report_kind_has_formats() -> None:
    for kind in ReportKind:
        assert any(kind in info.renderers for info in REGISTRY.values()), kind


@pytest.mark.parametrize("module", ["cli.py", "application.py"])
def test_the_cli_and_application_never_test_a_format_name(module: str) -> None:
    names = {f.value for f in OutputFormat}
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare | ast.Match):
            constants = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)}
            assert not constants & names, (module, ast.unparse(node))


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_help_and_version_do_not_import_pydantic_or_the_engine(argv: list[str]) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['boardcheck', *{argv!r}]\n"
        "from boardcheck.__main__ import main\n"
        "assert main() == 0\n"
        "heavy = [m for m in ('pydantic', 'boardcheck.engine', 'boardcheck.model', 'yaml',"
        " 'jinja2', 'PIL', 'docx') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("HEAVY []"), out


def loaded_by_a_one_file_json_check(names: tuple[str, ...], cwd: Path | None = None) -> str:
    """Run `check EXAMPLE -f json` in a fresh interpreter; its exit code and which of
    `names` it imported, as the line 'CODE n LOADED [...]'."""
    example = Path(__file__).parent.parent / "examples" / "strong-acute-ft.yaml"
    code = (
        "import sys, contextlib, io\n"
        f"sys.argv = ['boardcheck', 'check', {str(example)!r}, '-f', 'json']\n"
        "from boardcheck.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main()\n"
        f"print('CODE', code, 'LOADED', [m for m in {names!r} if m in sys.modules])\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=cwd).stdout.strip()


def test_a_one_file_json_check_does_not_import_the_paper() -> None:
    # Start-up (issue 14): a machine format has no use for the paper model or its libraries.
    out = loaded_by_a_one_file_json_check(("boardcheck.formats.paper_model",
                                           "boardcheck.formats.paper", "jinja2", "PIL", "docx"))
    assert out.endswith("CODE 0 LOADED []"), out


def test_a_one_file_json_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    # Start-up (issue 14): a one-file check with no configuration file needs neither Rich
    # (JSON is not drawn), nor the batch's summary or runner, nor a TOML parser.
    out = loaded_by_a_one_file_json_check(("rich", "tomllib", "boardcheck.summary",
                                           "boardcheck.batch", "boardcheck.collaboratives",
                                           "boardcheck.interview", "ruamel"), cwd=tmp_path)
    assert out.endswith("CODE 0 LOADED []"), out


def test_the_cli_holds_only_its_commands() -> None:
    """cli.py parses, hands over and exits: under 350 lines, and every function in it is a
    Typer command or callback, or one of the three small pieces they share."""
    source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) < 350
    plain = {node.name for node in ast.parse(source).body
             if isinstance(node, ast.FunctionDef) and not node.decorator_list}
    assert plain == {"_version", "_report_settings", "run"}
