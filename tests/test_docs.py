"""The reference documents keep step with the code: every input field, the worked example,
and every key of the JSON result.

Field paths use the notation docs/input-format.md defines: a dot goes into a mapping, `[]`
means "in each item of the list" (`collaboratives[].terms_of_reference.review_due`). A
field counts as documented when it opens a row of a reference table: "| `path` | ...".
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from boardcheck.diff import compare
from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.formats.diff_report import diff_dict
from boardcheck.formats.json_format import result_dict
from boardcheck.loading import Document, load, parse_yaml, validate
from boardcheck.model import ASSURANCE_ALIASES, TrustDescription
from boardcheck.questionnaire import load_questionnaire
from boardcheck.saved import from_dict
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
INPUT_FORMAT = ROOT / "docs" / "input-format.md"
RESULT_SCHEMA = ROOT / "docs" / "result-schema.md"
# Only used for a file without as_of; every file used here has one.
TODAY = dt.date(2026, 10, 1)

_ROW = re.compile(r"^\| `([^`]+)` \|")
_PATH = re.compile(r"[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)*")
_DISTRIBUTION = {"n", "mean", "q1", "median", "q3", "ratings", "files", "shares"}


# --- helpers ----------------------------------------------------------------------------


def table_rows(text: str) -> dict[str, str]:
    """The code span opening each table row, mapped to the whole row (first row wins)."""
    rows: dict[str, str] = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if match:
            rows.setdefault(match.group(1), line)
    return rows


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model class inside an annotation (through Optional, list and Annotated), and
    whether it is the item type of a list."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _nested_model(args[0])
    if origin is list:
        model, _ = _nested_model(args[0])
        return model, True
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            model, in_list = _nested_model(arg)
            if model is not None:
                return model, in_list
        return None, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every field below `model`, depth first in declaration order, with its annotation."""
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, info.annotation
        nested, in_list = _nested_model(info.annotation)
        if nested is not None:
            yield from field_paths(nested, path + ("[]" if in_list else ""))


def literal_values(annotation: Any) -> set[Any]:
    """The values a field's `Literal` (enumeration) allows, wherever it is nested."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    found: set[Any] = set()
    for arg in typing.get_args(annotation):
        found |= literal_values(arg)
    return found


def set_paths(record: BaseModel, prefix: str = "") -> set[str]:
    """The paths of every field a validated document actually gives."""
    found: set[str] = set()
    for name in record.model_fields_set:
        path = f"{prefix}.{name}" if prefix else name
        found.add(path)
        value = getattr(record, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel):
                found |= set_paths(item, path + ("[]" if isinstance(value, list) else ""))
    return found


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value, `[]` standing for the elements of an array."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            found |= key_paths(item, prefix + "[]")
    return found


def batch_key_paths(value: Any, prefix: str = "") -> set[str]:
    """Key paths of a batch result. Each file's result and each distribution object are
    documented in their own tables, and category-keyed objects have no fixed keys, so the
    walk stops at them."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= batch_key_paths(item, prefix + "[]")
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            if path == "results" or (isinstance(item, dict) and set(item) == _DISTRIBUTION):
                continue
            if (path.startswith("summary") and path.endswith(".categories")) or \
                    path == "collaboratives[].readiness.categories":
                assert all(set(d) == _DISTRIBUTION for d in item.values()), path
                continue
            found |= batch_key_paths(item, path)
    return found


def worked_example() -> str:
    """The YAML block that follows `<!-- example -->` in the input reference."""
    text = INPUT_FORMAT.read_text(encoding="utf-8")
    match = re.search(r"<!-- example -->\n```yaml\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    assert match is not None, "no ```yaml block after <!-- example --> in input-format.md"
    return match.group(1)


def example_document() -> tuple[TrustDescription, Document]:
    document = parse_yaml(worked_example().encode("utf-8"), "docs/input-format.md#example")
    return validate(TrustDescription, document), document


def check_example(name: str) -> dict[str, Any]:
    trust, source = load(EXAMPLES / name, TrustDescription)
    result = evaluate(trust, source, load_questionnaire(None),
                      resolve_as_of(None, trust, TODAY))
    return result_dict(result)


def check_worked_example() -> dict[str, Any]:
    trust, document = example_document()
    result = evaluate(trust, document.source, load_questionnaire(None),
                      resolve_as_of(None, trust, TODAY))
    return result_dict(result)


# --- docs/input-format.md ---------------------------------------------------------------


def test_the_field_walk_reaches_every_level() -> None:
    paths = [path for path, _ in field_paths(TrustDescription)]
    assert paths[:3] == ["schema_version", "as_of", "organisation"]
    assert "collaboratives[].terms_of_reference.review_due" in paths
    assert "collaboratives[].delegated_functions[].agreement.termination_notice_months" in paths
    assert "collaboratives[].partners[].oversight.segment" in paths
    assert "waivers[].review_by" in paths
    assert len(paths) == len(set(paths)) > 150


def test_every_model_field_has_a_row_in_the_input_reference() -> None:
    rows = table_rows(INPUT_FORMAT.read_text(encoding="utf-8"))
    missing = [path for path, _ in field_paths(TrustDescription) if path not in rows]
    assert missing == []


def test_the_input_reference_documents_no_field_that_does_not_exist() -> None:
    rows = table_rows(INPUT_FORMAT.read_text(encoding="utf-8"))
    sections = set(TrustDescription.model_fields)
    documented = {key for key in rows
                  if _PATH.fullmatch(key) and key.split(".")[0].removesuffix("[]") in sections}
    real = {path for path, _ in field_paths(TrustDescription)}
    assert len(documented) > 150  # the rows were found at all
    assert sorted(documented - real) == []


def test_every_allowed_value_is_listed_in_its_fields_row() -> None:
    rows = table_rows(INPUT_FORMAT.read_text(encoding="utf-8"))
    unlisted = [(path, value) for path, annotation in field_paths(TrustDescription)
                for value in sorted(literal_values(annotation), key=str)
                if f"`{value}`" not in rows.get(path, "")]
    assert unlisted == []


def test_every_row_says_whether_the_field_is_required() -> None:
    rows = table_rows(INPUT_FORMAT.read_text(encoding="utf-8"))
    for path, _ in field_paths(TrustDescription):
        cells = [cell.strip() for cell in rows.get(path, "").strip("|").split("|")]
        assert len(cells) == 5, path
        assert cells[2] in ("yes", "in item", "no"), path
    assert "| yes |" in rows["organisation.name"]
    assert "| in item |" in rows["collaboratives[].type"]
    assert "| no |" in rows["organisation.ods_code"]


def test_the_reference_sections_follow_the_order_of_the_file() -> None:
    text = INPUT_FORMAT.read_text(encoding="utf-8")
    reference = text[text.index("## Field reference"):]
    positions = [reference.index(f"### `{name}`") for name in TrustDescription.model_fields]
    assert positions == sorted(positions)


def test_every_assurance_alias_is_documented_with_what_it_means() -> None:
    lines = INPUT_FORMAT.read_text(encoding="utf-8").splitlines()
    for alias, level in ASSURANCE_ALIASES.items():
        assert any(f"`{alias}`" in line and line.rstrip().endswith(f"| `{level}` |")
                   for line in lines), alias


def test_the_worked_example_validates() -> None:
    trust, _ = example_document()
    assert trust.schema_version == 1
    assert trust.as_of == dt.date(2026, 10, 1)
    assert trust.organisation.name == "Hollinsford and Tarnbridge Hospitals NHS Foundation Trust"
    assert [c.id for c in trust.collaboratives] == ["tarn-acute", "tarn-msk"]
    assert trust.board_oversight is not None
    assert trust.board_oversight.internal_audits[0].assurance == "reasonable"  # from "moderate"


def test_the_worked_example_fills_in_every_field() -> None:
    trust, _ = example_document()
    given = set_paths(trust)
    assert [path for path, _ in field_paths(TrustDescription) if path not in given] == []


def test_the_worked_example_checks_as_the_reference_says() -> None:
    data = check_worked_example()
    assert {c["rating"] for c in data["categories"]} == {"green"}
    statuses = {c["id"]: c["status"] for cat in data["categories"] for c in cat["criteria"]}
    assert statuses["PF09"] == "waived"
    assert [(w["criterion"], w["expired"]) for w in data["waivers"]] == [("PF09", False)]


# --- docs/result-schema.md --------------------------------------------------------------


def _single_file_section() -> str:
    text = RESULT_SCHEMA.read_text(encoding="utf-8")
    return text[text.index("## Single-file result"):text.index("### Example")]


def test_top_level_result_keys_are_documented_in_order() -> None:
    data = check_example("strong-acute-ft.yaml")
    documented = [key for key in table_rows(_single_file_section())
                  if "." not in key and "[]" not in key]
    # `as_of_stated` only where neither the file nor the run states the date; then the keys
    # present only when asked for: --meeting, and --baseline.
    keys = list(data)
    after = keys.index("as_of") + 1
    assert documented == [*keys[:after], "as_of_stated", *keys[after:], "meeting", "movement"]


def test_every_criterion_key_is_documented_in_order() -> None:
    data = check_example("strong-acute-ft.yaml")
    prefix = "categories[].criteria[]."
    documented = [key.removeprefix(prefix) for key in table_rows(_single_file_section())
                  if key.startswith(prefix) and "." not in key.removeprefix(prefix)]
    criteria = [c for cat in data["categories"] for c in cat["criteria"]]
    assert len(criteria) == len(load_questionnaire(None).criteria)
    for criterion in criteria:
        assert list(criterion) == documented, criterion["id"]


def test_every_key_path_of_a_result_is_documented() -> None:
    rows = table_rows(RESULT_SCHEMA.read_text(encoding="utf-8"))
    found = key_paths(check_example("strong-acute-ft.yaml"))
    found |= key_paths(check_worked_example())  # has a waiver, so the waiver keys appear
    assert "categories[].criteria[].waiver.expired" in found
    assert sorted(found - set(rows)) == []


def test_every_key_path_of_the_movement_is_documented() -> None:
    rows = table_rows(RESULT_SCHEMA.read_text(encoding="utf-8"))
    weak, middling = check_example("weak-acute.yaml"), check_example("middling-community-mh.yaml")
    # Both directions, so that every list of changes has an element to walk into.
    weak_r, middling_r = from_dict(weak, "weak.json"), from_dict(middling, "mid.json")
    better = diff_dict(compare(weak_r, middling_r, old_label="weak.json",
                               new_label="mid.yaml"))
    worse = diff_dict(compare(middling_r, weak_r, old_label="mid.json", new_label="weak.yaml"))
    assert better["newly_met"] and worse["newly_not_met"] and better["other_changes"]
    assert better["arrangements_added"] and better["arrangements_removed"]
    found = key_paths(better, "movement") | key_paths(worse, "movement")
    assert sorted(found - set(rows)) == []


def test_every_key_path_of_a_batch_is_documented(tmp_path: Path) -> None:
    rows = table_rows(RESULT_SCHEMA.read_text(encoding="utf-8"))
    # A copy of the strong example makes a duplicate; a bad file makes an error.
    copy = tmp_path / "strong-copy.yaml"
    copy.write_bytes((EXAMPLES / "strong-acute-ft.yaml").read_bytes())
    run = run_cli("check", str(EXAMPLES / "strong-acute-ft.yaml"), str(copy),
                  str(EXAMPLES / "weak-acute.yaml"), str(ROOT / "tests" / "bad" / "name-no.yaml"),
                  "-f", "json", "--as-of", "2026-10-01")
    assert run.exit_code == 2, run.stderr  # one file could not be checked
    data = json.loads(run.stdout)
    assert data["kind"] == "batch"
    assert len(data["results"]) == 3
    assert data["errors"] and data["summary"]["duplicates"] and data["summary"]["common_gaps"]
    found = batch_key_paths(data)
    found |= key_paths(data["summary"]["overall"])  # the distribution table
    assert sorted(found - set(rows)) == []


def test_the_result_example_is_real_output_abridged() -> None:
    text = RESULT_SCHEMA.read_text(encoding="utf-8")
    block = re.search(r"^```json\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    assert block is not None
    example = json.loads(block.group(1))
    real = check_example("middling-community-mh.yaml")
    assert list(example) == list(real)
    assert key_paths(example) <= key_paths(real)
    assert example["overall"] == real["overall"]
    by_id = {cat["id"]: cat for cat in real["categories"]}
    for cat in example["categories"]:
        assert cat["score"] == by_id[cat["id"]]["score"]
        assert cat["capped_by"] == by_id[cat["id"]]["capped_by"]
