"""Two gaps a new user's trial of the batch outputs found (issue 12):

- the HTML page's region, ICB and sector filters offer the group of trusts that record none
  ("Region not recorded"...), last as the breakdown tables put it, selecting exactly those
  trusts and never a real group of the same words (an ICB called "ICB not recorded");
- each JSON result's `organisation` carries `icbs` as the file states them (empty when it
  records none), and saved results with or without the key still read for `diff` and
  `--baseline`.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest

from boardcheck.summary import BatchResult, Summariser
from tests.conftest import EXAMPLES, run_cli
from tests.htmlcheck import BROWSER_MISSING, HAVE_BROWSER, check_html, chromium
from tests.test_html_batch import THIN, between, render, summarise

MIDDLING = EXAMPLES / "middling-community-mh.yaml"
needs_browser = pytest.mark.skipif(not HAVE_BROWSER, reason=BROWSER_MISSING)

# Twelve trusts. Region: none for 0, 4, 8; London for the odd; Midlands for 2, 6, 10.
# ICB: none for 0, 3, 6, 9, and for 2 (whose only ICB is blank, so it records none); a real
# ICB called "ICB not recorded" for 1, 4, 7, 10; NHS Fen ICB for 5, 8, 11.
# Sector: none for 7; acute for the rest.
NO_REGION = {0, 4, 8}
NO_ICB = {0, 2, 3, 6, 9}
ICB_CALLED_NOT_RECORDED = {1, 4, 7, 10}
NO_SECTOR = {7}


def mixed() -> BatchResult:
    base = summarise([*sorted(EXAMPLES.glob("*.yaml")), THIN])
    assert base.catalogue is not None
    summariser = Summariser(base.catalogue)
    for i in range(12):
        row = base.rows[i % len(base.rows)]
        region = None if i in NO_REGION else "london" if i % 2 else "midlands"
        icbs: tuple[str, ...] = (() if i % 3 == 0 else ("ICB not recorded",) if i % 3 == 1
                                 else ("NHS Fen ICB",))
        if i == 2:
            icbs = ("   ",)
        summariser.add(dataclasses.replace(
            row, index=i, file=f"t{i:02d}.yaml", organisation=f"Trust {i:02d}",
            ods_code=f"R{i:02d}", region=region, icbs=icbs, arrangement_facts=b"",
            sectors=() if i in NO_SECTOR else ("acute",)))
    return summariser.finish(sort="name")


def options(page: str, name: str) -> list[tuple[str, str]]:
    select = between(page, f'<select id="f-{name}"', "</select>")
    return [(html.unescape(v), html.unescape(label))
            for v, label in re.findall(r'<option value="([^"]*)">([^<]*)</option>', select)]


def test_each_filter_ends_with_its_not_recorded_group_as_json_null() -> None:
    page = render(mixed())
    check_html(page)
    assert options(page, "region") == [
        ("", "All"), ('"london"', "London"), ('"midlands"', "Midlands"),
        ("null", "Region not recorded")]
    # The real ICB of that name is a string; the trusts recording none are null, last.
    assert options(page, "icb") == [
        ("", "All"), ('"ICB not recorded"', "ICB not recorded"), ('"NHS Fen ICB"', "NHS Fen ICB"),
        ("null", "ICB not recorded")]
    assert options(page, "sector") == [("", "All"), ('"acute"', "Acute"),
                                       ("null", "Sector not recorded")]
    # The rating filter is no breakdown: every trust has a rating.
    assert "null" not in [v for v, _ in options(page, "rating")]
    # What the script matches null against: the trusts whose list is empty.
    rows = dict(re.findall(r'<tr id="t(\d+)" [^>]*data-icb="([^"]*)"', page))
    assert sorted(int(i) for i, icbs in rows.items() if icbs == "[]") == sorted(NO_ICB)
    assert rows["1"] == "[&quot;ICB not recorded&quot;]"


def test_a_batch_where_every_trust_records_everything_offers_no_not_recorded_option() -> None:
    batch = summarise([MIDDLING])
    page = render(batch)
    for name in ("region", "icb", "sector"):
        assert "null" not in [v for v, _ in options(page, name)], name


def test_the_cli_page_offers_them_for_files_without_region_or_icb(tmp_path: Path) -> None:
    text = MIDDLING.read_text(encoding="utf-8")
    bare = text.replace("  icbs:\n    - NHS Marrowdene and Fellbridge ICB\n", "", 1)
    bare = bare.replace("  region: north_west\n", "", 1).replace("ods_code: ZZB", "ods_code: ZZX")
    assert bare.count("region: north_west") == 0 and "NHS Marrowdene and Fellbridge ICB" \
        not in bare.split("oversight:")[0]
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(bare, encoding="utf-8")
    out = tmp_path / "batch.html"
    run = run_cli("check", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-f", "html",
                  "-o", str(out))
    assert run.exit_code in (0, 1), run.stderr
    page = out.read_text(encoding="utf-8")
    assert options(page, "region")[-1] == ("null", "Region not recorded")
    assert options(page, "icb")[-1] == ("null", "ICB not recorded")
    assert len(options(page, "region")) == 3 and len(options(page, "icb")) == 3


SCRIPT = """<script>
var f = document.getElementById("trust-filter");
var counted = document.getElementById("trust-status");
function pick(region, icb, sector) {
  f.elements.region.value = region;
  f.elements.icb.value = icb;
  f.elements.sector.value = sector;
  f.dispatchEvent(new Event("change"));
  var shown = Array.prototype.filter.call(document.querySelectorAll("#trust-table tbody tr"),
    function (row) { return !row.hidden; }).map(function (row) { return row.id; });
  return counted.textContent + " " + shown.join(",");
}
var seen = [
  pick("null", "", ""), pick("", "null", ""), pick("", '"ICB not recorded"', ""),
  pick("", "", "null"), pick("null", "null", ""), pick('"london"', "null", ""),
  pick("", "", "")];
document.body.setAttribute("data-seen", JSON.stringify(seen));
</script></body>"""


@needs_browser
def test_not_recorded_options_select_exactly_those_trusts_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "batch.html"
    page.write_text(render(mixed()).replace("</body>", SCRIPT), encoding="utf-8")
    run = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--window-size=1024,800",
                   "--dump-dom", page.as_uri())
    found = re.search(r'data-seen="([^"]*)"', run.stdout)
    assert found is not None, run.stdout[-2000:]
    seen = json.loads(html.unescape(found.group(1)))

    def shown(ids: set[int]) -> str:
        ordered = ",".join(f"t{i}" for i in sorted(ids))
        return f"Showing {len(ids)} of 12 trusts. {ordered}"

    assert seen == [
        shown(NO_REGION),                       # Region not recorded: 3
        shown(NO_ICB),                          # ICB not recorded: 5, the blank one too
        shown(ICB_CALLED_NOT_RECORDED),         # the real ICB of those words: 4, no others
        shown(NO_SECTOR),                       # Sector not recorded: 1
        shown(NO_REGION & NO_ICB),              # both: trust 0 alone
        shown({3, 9}),                          # London with no ICB
        shown(set(range(12)))]
    noisy = [line for line in run.stderr.splitlines()
             if ("Uncaught" in line or "CONSOLE" in line) and "batch.html" in line]
    assert not noisy, noisy


# --- organisation.icbs in JSON ---------------------------------------------------------------


def test_a_single_result_carries_the_icbs_as_the_file_states_them(tmp_path: Path) -> None:
    run = run_cli("check", str(MIDDLING), "-f", "json")
    assert run.exit_code in (0, 1)
    organisation = json.loads(run.stdout)["organisation"]
    assert list(organisation) == ["name", "ods_code", "legal_form", "sectors", "region", "icbs"]
    assert organisation["icbs"] == ["NHS Marrowdene and Fellbridge ICB"]
    two = MIDDLING.read_text(encoding="utf-8").replace(
        "    - NHS Marrowdene and Fellbridge ICB\n",
        "    - NHS Marrowdene and Fellbridge ICB\n    - NHS  Wyvern ICB\n", 1)
    none = MIDDLING.read_text(encoding="utf-8").replace(
        "  icbs:\n    - NHS Marrowdene and Fellbridge ICB\n", "", 1)
    for name, text, expected in (("two.yaml", two, ["NHS Marrowdene and Fellbridge ICB",
                                                    "NHS  Wyvern ICB"]),
                                 ("none.yaml", none, [])):
        (tmp_path / name).write_text(text, encoding="utf-8")
        run = run_cli("check", str(tmp_path / name), "-f", "json")
        assert run.exit_code in (0, 1), run.stderr
        assert json.loads(run.stdout)["organisation"]["icbs"] == expected, name


def test_each_batch_result_carries_its_icbs(tmp_path: Path) -> None:
    none = MIDDLING.read_text(encoding="utf-8").replace(
        "  icbs:\n    - NHS Marrowdene and Fellbridge ICB\n", "", 1).replace(
        "ods_code: ZZB", "ods_code: ZZX")
    (tmp_path / "none.yaml").write_text(none, encoding="utf-8")
    run = run_cli("check", str(MIDDLING), str(tmp_path / "none.yaml"), "-f", "json")
    assert run.exit_code in (0, 1), run.stderr
    data = json.loads(run.stdout)
    assert [r["organisation"]["icbs"] for r in data["results"]] == [
        ["NHS Marrowdene and Fellbridge ICB"], []]
    icb = next(b for b in data["summary"]["breakdowns"] if b["key"] == "icb")
    assert [g["name"] for g in icb["groups"]] == ["NHS Marrowdene and Fellbridge ICB", None]


@pytest.mark.parametrize("with_icbs", [True, False])
def test_saved_results_with_or_without_icbs_still_compare(tmp_path: Path,
                                                          with_icbs: bool) -> None:
    saved = tmp_path / "saved.json"
    assert run_cli("check", str(MIDDLING), "-f", "json", "-o", str(saved)).exit_code in (0, 1)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert "icbs" in data["organisation"]
    if not with_icbs:  # as a result written before the key was added
        del data["organisation"]["icbs"]
    saved.write_text(json.dumps(data, indent=2), encoding="utf-8")
    run = run_cli("diff", str(saved), str(MIDDLING), "-f", "json")
    assert run.exit_code == 0, run.stderr
    compared = json.loads(run.stdout)
    assert (compared["overall"]["change"], compared["newly_met"]) == (0.0, [])
    run = run_cli("check", str(MIDDLING), "--baseline", str(saved), "-f", "json")
    assert run.exit_code in (0, 1), run.stderr
    assert json.loads(run.stdout)["movement"]["overall"]["change"] == 0.0
