"""Generate N realistic synthetic trust submissions (10–40 KB each) for benchmarks.

A mix of sectors, arrangement types and governance models, regions and their ICBs; some
files complete, some sparse. Every four consecutive files are also members of one shared
collaborative (see `shared_collaborative`): some quote a shared code and agree, some quote
it and disagree (notice period, host, terms of reference date, dispute stages), some are
matched only by name and partners, and some name a member that does not submit.
Trusts differ in how well they govern, not only in how much they record (`govern`): about
three in ten well, four adequately and the rest poorly or sparsely, so that a batch shows
the spread a sector view is for rather than a page of reds. Every name is invented.
Deterministic for a given seed.

    python benchmarks/generate.py OUT_DIR --count 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

PLACES = ["Harrow", "Wend", "Kestrel", "Marrow", "Sallow", "Thorn", "Black", "Ash", "Elm",
          "Fen", "Moor", "Brook", "Oak", "Ridge", "Vale", "Holt", "Stan", "Lark"]
SUFFIXES = ["field", "moor", "dene", "mere", "wick", "ton", "by", "ford", "ley", "well"]
SECTORS = [["acute"], ["mental_health"], ["community"], ["ambulance"], ["specialist"],
           ["community", "mental_health"], ["acute", "community"]]
TYPES = ["provider_collaborative", "specialised_mhlda_collaborative", "place_based_partnership",
         "joint_committee", "committees_in_common", "lead_provider_contract",
         "delegated_icb_function", "joint_venture", "group_model", "network_or_alliance"]
MODELS = ["lead_provider", "shared_leadership", "provider_leadership_board", "joint_committee",
          "committees_in_common", "advisory_forum"]
REGIONS = ["north_east_and_yorkshire", "north_west", "midlands", "east_of_england", "london",
           "south_east", "south_west"]
FOOTPRINTS = ["neighbourhood", "place", "system", "multi_system", "regional"]
# Each region's ICBs (invented names), so that breakdowns by region and ICB have groups.
ICBS = {region: [f"NHS {a} and {b} ICB" for a, b in pairs] for region, pairs in {
    "north_east_and_yorkshire": [("Tyne", "Wear"), ("Humber", "Dales"), ("Calder", "Aire")],
    "north_west": [("Mersey", "Wirral"), ("Pennine", "Lune")],
    "midlands": [("Kestrel", "Vale"), ("Trent", "Soar"), ("Severn", "Teme")],
    "east_of_england": [("Fen", "Brook"), ("Ouse", "Cam")],
    "london": [("North Thames", "Lea"), ("South Thames", "Wandle")],
    "south_east": [("Downs", "Weald"), ("Solent", "Test")],
    "south_west": [("Tamar", "Exe"), ("Avon", "Mendip")],
}.items()}
# Every GROUP consecutive files are the members of one shared collaborative.
GROUP = 4
SHARED_KINDS = [("CANCER", "Cancer Alliance"), ("MHLDA", "Mental Health Collaborative"),
                ("ELECTIVE", "Elective Recovery Collaborative"), ("UEC", "Urgent Care Network"),
                ("DIAG", "Diagnostics Network")]
TEXT = ("Improve access and outcomes for the local population by working across organisational "
        "boundaries, sharing clinical expertise and reducing unwarranted variation in care")


def place(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(SUFFIXES)


def sentence(rng: random.Random, words: int) -> str:
    parts = TEXT.split()
    start = rng.randrange(0, len(parts) - words) if words < len(parts) else 0
    return " ".join(parts[start:start + words]).capitalize()


def day(rng: random.Random, base: dt.date, lo: int, hi: int) -> dt.date:
    return base + dt.timedelta(days=rng.randint(lo, hi))


def maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def prune(value: Any) -> Any:
    """Drop None values so sparse submissions simply leave keys out."""
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


def organisation_name(seed: int, n: int) -> str:
    """File n's trust, decided by n alone, so that other members can name it as a partner; a
    foundation trust is named as one."""
    rng = random.Random(f"{seed}-organisation-{n}")
    name = f"{place(rng)} {rng.choice(['Hospitals', 'Healthcare', 'Community Health'])}"
    foundation = legal_form(seed, n) == "nhs_foundation_trust"
    return f"{name} NHS {'Foundation ' if foundation else ''}Trust"


def legal_form(seed: int, n: int) -> str:
    """File n's legal form, decided by n alone like its name (from its own stream, so the
    other draws of the file are as they were)."""
    return random.Random(f"{seed}-legal-form-{n}").choice(["nhs_trust", "nhs_foundation_trust"])


def ods(n: int) -> str:
    return f"Z{n:05d}"


def shared_collaborative(seed: int, n: int, count: int, as_of: dt.date) -> dict[str, Any]:
    """File n's description of the collaborative it shares with the files of its group.

    The group's style (its number modulo 4): 0 all quote the code and agree; 1 they quote
    it, and the second member differs on the notice period, the third on the host, the
    fourth on the terms of reference date; 2 no code, matched only on name and partners;
    3 they quote it, name a member that does not submit, and the second member orders the
    dispute stages differently."""
    group = n // GROUP
    members = list(range(group * GROUP, min(count, (group + 1) * GROUP)))
    position = members.index(n)
    rng = random.Random(f"{seed}-shared-{group}")
    short, kind = rng.choice(SHARED_KINDS)
    name = f"{place(rng)} {kind}"
    style = group % 4
    host = organisation_name(seed, members[0])
    partners: list[dict[str, Any]] = [{"name": organisation_name(seed, m), "ods_code": ods(m),
                                       "kind": "nhs_trust"} for m in members if m != n]
    if style == 3:
        partners.append({"name": f"{place(rng)} Specialist NHS Trust", "ods_code": f"Y{group:05d}",
                         "kind": "nhs_trust"})
    boards = [organisation_name(seed, m) for m in members]
    stages = ["Programme directors", "Chief executives", "Chairs", "Independent mediation"]
    notice = 12
    approved = day(rng, as_of, -400, -30)
    if style == 1 and position == 1:
        notice = 6
    if style == 1 and position == 2:
        host = organisation_name(seed, n)
    if style == 1 and position == 3:
        approved = approved + dt.timedelta(days=30)
    if style == 3 and position == 1:
        stages = [stages[1], stages[0], *stages[2:]]
    return {
        "id": f"shared-{group}", "name": name,
        "collaborative_code": None if style == 2 else f"{ods(members[0])}-{short}",
        "type": "provider_collaborative", "governance_model": "joint_committee",
        "trust_role": "lead" if position == 0 else "member",
        "icbs": [rng.choice(ICBS[rng.choice(REGIONS)])],
        "partners": partners,
        "objectives": [{"id": "SC1", "title": sentence(rng, 8)}],
        "terms_of_reference": {"approved": approved, "approved_by": boards,
                               "review_due": approved + dt.timedelta(days=365)},
        "decision_making": {"forum": f"{name} Joint Committee", "takes_binding_decisions": True,
                            "legal_basis": "Joint committee under s65Z5 NHS Act 2006",
                            "reports_to": "Strategy Committee"},
        "resourcing": {"host": host, "budget": {"amount_gbp": 250_000 * (1 + group % 7),
                                                "year": "2026/27"}},
        "liability": {"position": "Each member carries liability for its own decisions"},
        "exit": {"notice_months": notice},
        "dispute_resolution": {"stages": stages},
    }


def collaborative(rng: random.Random, i: int, org: str, as_of: dt.date, full: float,
                  objective_ids: list[str], n: int = 0) -> dict[str, Any]:
    partners = [f"{place(rng)} NHS Trust" for _ in range(rng.randint(1, 6))]
    objectives = [{
        "id": f"CO{j}", "title": sentence(rng, 8),
        "trust_objectives": rng.sample(objective_ids, k=min(len(objective_ids), 2)),
        "agreed_with_icb": maybe(rng, full, True), "in_joint_forward_plan": maybe(rng, full, True),
        "measure": maybe(rng, full, sentence(rng, 5)), "baseline": maybe(rng, full, "42%"),
        "target": maybe(rng, full, "60% by March 2027"),
    } for j in range(rng.randint(1, 6))]
    return {
        # The file's own arrangements carry its number: a name shared by chance with another
        # file's arrangement would be a probable match the collaborative view reports.
        "id": f"collab-{i}", "name": f"{place(rng)} {rng.choice(['Acute', 'Mental Health', 'Place', 'Specialised'])} Collaborative {n}-{i}",  # noqa: E501
        "type": rng.choice(TYPES), "governance_model": maybe(rng, full, rng.choice(MODELS)),
        "trust_role": rng.choice(["lead", "host", "member"]),
        "established": day(rng, as_of, -2000, -200), "footprint": rng.choice(FOOTPRINTS),
        "icbs": [f"NHS {place(rng)} ICB" for _ in range(rng.randint(1, 3))],
        "regions": rng.sample(REGIONS, k=rng.randint(1, 2)),
        "partners": [{"name": p, "kind": "nhs_trust",
                      "oversight": maybe(rng, full, {"segment": rng.randint(1, 5),
                                                     "framework": "nof_2025"})}
                     for p in partners],
        "objectives": objectives if rng.random() < full + 0.2 else [],
        "terms_of_reference": maybe(rng, full, {
            "approved": day(rng, as_of, -700, -30),
            "approved_by": [org, *partners[: rng.randint(0, len(partners))]],
            "review_due": day(rng, as_of, -200, 400)}),
        "decision_making": maybe(rng, full, {
            "forum": f"{place(rng)} Board", "takes_binding_decisions": rng.random() < 0.5,
            "legal_basis": maybe(rng, full, "Joint committee under s65Z5 NHS Act 2006"),
            "trust_committee_formed": maybe(rng, full, True), "quorum": rng.randint(2, 5),
            "voting_members": rng.randint(3, 8), "subgroups": rng.randint(0, 10),
            "reports_to": maybe(rng, full, "Strategy Committee"),
            "reporting_frequency": maybe(rng, full, "quarterly"), "ned_member": True,
            "conflicts_priorities_process": maybe(rng, full, sentence(rng, 10))}),
        "delegation": maybe(rng, full, {
            "reserved_matters": [sentence(rng, 4) for _ in range(rng.randint(1, 5))],
            "delegated_limits": [sentence(rng, 6)], "financial_limit_gbp": 500000}),
        "collaboration_agreement": maybe(rng, full, {
            "kind": "collaboration_agreement", "signed": day(rng, as_of, -900, -100),
            "covers": rng.sample(["objectives", "duration", "governance", "finance", "staff",
                                  "exit", "data", "liability", "disputes"], k=rng.randint(3, 9))}),
        "conflicts_of_interest": maybe(rng, full, {"register_kept": True,
                                                   "last_reviewed": day(rng, as_of, -400, -10)}),
        "delegated_functions": [{
            "function": sentence(rng, 4), "from_icb": f"NHS {place(rng)} ICB",
            "agreement": maybe(rng, full, {"signed": day(rng, as_of, -500, -30),
                                           "reporting": "Quarterly to the ICB board",
                                           "termination_notice_months": 12,
                                           "retained_accountability": sentence(rng, 8)}),
            "budget_transferred_gbp": maybe(rng, full, rng.randint(10**5, 10**8)),
            "commissioning_expertise": maybe(rng, full, True),
            "step_in_route": maybe(rng, full, sentence(rng, 8))}
            for _ in range(rng.randint(0, 2))],
        "resourcing": maybe(rng, full + 0.1, {
            "budget": maybe(rng, full, {"amount_gbp": rng.randint(10**5, 10**7),
                                        "year": "2026/27",
                                        "funding_sources": ["member_contributions", "icb"],
                                        "risk_share": maybe(rng, full, sentence(rng, 8))}),
            "executive_lead": maybe(rng, full, {"name": f"Exec {rng.randint(1, 9)}",
                                                "role": "Chief Strategy Officer"}),
            "programme_lead": maybe(rng, full, {"name": f"Lead {i}",
                                                "wte": round(rng.random(), 2)}),
            "host": maybe(rng, full, org), "pmo_wte": maybe(rng, 0.3, 2.5),
            "milestones": [{"title": sentence(rng, 6), "owner": maybe(rng, full, "Director"),
                            "due": day(rng, as_of, -200, 400),
                            "status": rng.choice(["not_started", "on_track", "at_risk",
                                                  "complete"])}
                           for _ in range(rng.randint(0, 8))]}),
        "risk_register": maybe(rng, full, {"kept": True, "last_reviewed": day(rng, as_of, -200, 0),
                                           "escalation_threshold": rng.randint(8, 20)}),
        "liability": maybe(rng, full, {"position": sentence(rng, 12)}),
        "performance": maybe(rng, full + 0.1, {
            "kpis": [{"name": sentence(rng, 4), "target": "95%",
                      "trigger": maybe(rng, full, "Below 90% for two months"),
                      "reporting_frequency": maybe(rng, full, "monthly")}
                     for _ in range(rng.randint(0, 8))],
            "assessment_agreed_with_oversight_body": maybe(rng, full, True)}),
        "exit": maybe(rng, full, {"notice_months": rng.choice([3, 6, 12]), "staff": True,
                                  "assets": True, "data": rng.random() < 0.8}),
        "dispute_resolution": maybe(rng, full, {"stages": ["Executives", "Chairs", "Mediation"]
                                                [: rng.randint(1, 3)]}),
        "contingency": maybe(rng, full, {"mutual_aid": True, "plan": sentence(rng, 10)}),
    }


# How well a trust governs its arrangements, drawn apart from what it records: "well"
# meets the critical criteria and most others, "adequately" meets the critical ones and
# leaves other gaps, "poorly" is left as drawn (random facts fail critical criteria).
GOVERNANCE = [("well", 0.30), ("adequately", 0.40), ("poorly", 0.30)]


def governance(seed: int, n: int) -> str:
    """File n's tier, from its own stream so that the rest of the file is drawn as before."""
    rng = random.Random(f"{seed}-governance-{n}")
    roll, total = rng.random(), 0.0
    for tier, share in GOVERNANCE:
        total += share
        if roll < total:
            return tier
    return GOVERNANCE[-1][0]


def govern(doc: dict[str, Any], tier: str, as_of: dt.date) -> None:
    """Make a drawn submission state what a trust governing at `tier` would: the facts the
    critical criteria ask for (and, done well, the rest), consistent with one another."""
    if tier == "poorly":
        return
    org = doc["organisation"]["name"]
    well = tier == "well"
    ids = []
    for c in doc["collaboratives"]:
        ids.append(c["id"])
        shared = c["id"].startswith("shared-")
        c.setdefault("governance_model", "joint_committee")
        dm = c.setdefault("decision_making", {"forum": f"{c['name']} Board",
                                              "takes_binding_decisions": False})
        dm.setdefault("takes_binding_decisions", c["governance_model"] != "advisory_forum")
        if dm["takes_binding_decisions"] and c["governance_model"] == "advisory_forum":
            c["governance_model"] = "joint_committee"
        if c["type"] == "joint_committee":
            dm["takes_binding_decisions"] = True
        if c["type"] == "committees_in_common" or c["governance_model"] == "committees_in_common":
            dm["trust_committee_formed"] = True
        dm.setdefault("legal_basis", "Joint committee under s65Z5 NHS Act 2006")
        dm.setdefault("reports_to", "Strategy Committee")
        dm.setdefault("reporting_frequency", "quarterly")
        if "quorum" in dm and "voting_members" in dm:
            dm["quorum"] = min(dm["quorum"], dm["voting_members"])
        if not c.get("objectives"):
            c["objectives"] = [{"id": "CO1", "title": "Reduce waiting times across the partners",
                                "trust_objectives": [doc["strategy"]["objectives"][0]["id"]]}]
        if well:
            dm["subgroups"] = min(dm.get("subgroups", 0), len(c["objectives"]))
            dm["voting_members"] = dm.get("voting_members", 6)
            dm["quorum"] = min(dm.get("quorum", 3), dm["voting_members"])
            dm.setdefault("conflicts_priorities_process", "Settled by the joint committee chair")
            if not shared:
                c["dispute_resolution"] = {"stages": ["Executives", "Chairs", "Mediation"]}
            for o in c["objectives"]:
                o["trust_objectives"] = o.get("trust_objectives") or [
                    doc["strategy"]["objectives"][0]["id"]]
            c.setdefault("resourcing", {})
            c["resourcing"]["milestones"] = c["resourcing"].get("milestones") or [
                {"title": "Joint plan agreed", "owner": "Director",
                 "due": as_of + dt.timedelta(days=90), "status": "on_track"}]
            for o in c["objectives"]:
                o.update({"agreed_with_icb": True, "in_joint_forward_plan": True,
                          "measure": "Patients waiting over 18 weeks", "baseline": "42%",
                          "target": "60% by March 2027"})
        resourcing = c.setdefault("resourcing", {})
        budget = resourcing.setdefault("budget", {"amount_gbp": 400_000, "year": "2026/27"})
        budget.setdefault("funding_sources", ["member_contributions", "icb"])
        resourcing.setdefault("executive_lead", {"name": "Exec 1",
                                                 "role": "Chief Strategy Officer"})
        if well:
            for m in resourcing.get("milestones", []):
                m["owner"] = m.get("owner") or "Director"
                if m["status"] == "at_risk" or (m["status"] != "complete"
                                                and dt.date.fromisoformat(str(m["due"])) < as_of):
                    m["status"], m["due"] = "on_track", as_of + dt.timedelta(days=120)
        c["exit"] = {**c.get("exit", {}), "notice_months": max(6, c.get("exit", {}).get(
            "notice_months", 12)), "staff": True, "assets": True, "data": True}
        for f in c.get("delegated_functions", []):
            f.setdefault("agreement", {"signed": as_of - dt.timedelta(days=200),
                                       "reporting": "Quarterly to the ICB board",
                                       "termination_notice_months": 12,
                                       "retained_accountability": "The ICB remains accountable"})
        for p in c.get("partners", []):
            segment = p.get("oversight", {}).get("segment", 2)
            p["oversight"] = {"segment": min(segment, 3), "framework": "nof_2025"}
        if well:
            c["collaboration_agreement"] = {
                **c.get("collaboration_agreement", {"kind": "collaboration_agreement",
                                                    "signed": as_of - dt.timedelta(days=300)}),
                "covers": ["objectives", "duration", "governance", "finance", "staff", "exit",
                           "data", "liability", "disputes"]}
            c.setdefault("liability", {"position": "Each member carries its own liability"})
            c.setdefault("dispute_resolution", {"stages": ["Executives", "Chairs", "Mediation"]})
            c.setdefault("risk_register", {"kept": True,
                                           "last_reviewed": as_of - dt.timedelta(days=40),
                                           "escalation_threshold": 12})
            c["contingency"] = {**c.get("contingency", {"mutual_aid": True,
                                                        "plan": "Mutual aid across members"}),
                                "last_tested": as_of - dt.timedelta(days=200)}
            c["conflicts_of_interest"] = {"register_kept": True,
                                          "last_reviewed": as_of - dt.timedelta(days=60)}
            c.setdefault("delegation", {"reserved_matters": ["Approval of the annual plan"]})
            # What members of a shared collaborative state about it is left as drawn, so that
            # their agreements and disagreements stay as `shared_collaborative` made them.
            tor = c.setdefault("terms_of_reference", {}) if not shared else {}
            tor["approved"] = min(dt.date.fromisoformat(str(tor.get("approved", as_of))),
                                  as_of - dt.timedelta(days=60))
            tor["approved"] = max(tor["approved"], as_of - dt.timedelta(days=300))
            tor["approved_by"] = [org, *[p["name"] for p in c.get("partners", [])]]
            tor["review_due"] = as_of + dt.timedelta(days=200)
            resourcing.setdefault("host", org)
            resourcing["programme_lead"] = {"name": "Programme lead", "wte": 0.6}
            budget.setdefault("risk_share", "Shared in proportion to contributions")
            perf = c.setdefault("performance", {})
            perf["kpis"] = [{**k, "trigger": k.get("trigger", "Below target for two months"),
                             "reporting_frequency": "monthly"}
                            for k in perf.get("kpis", [])] or [
                {"name": "Patients waiting over 18 weeks", "target": "60%",
                 "trigger": "Below target for two months", "reporting_frequency": "monthly"}]
            perf["assessment_agreed_with_oversight_body"] = True
            for f in c.get("delegated_functions", []):
                f["commissions_own_services"] = False
                f.setdefault("step_in_route", "The ICB may step in on 3 months' notice")
                f.setdefault("budget_transferred_gbp", 2_000_000)
                f["commissioning_expertise"] = True
    baf = doc["board_assurance_framework"]
    baf["risks"].append({
        "id": "BAF-90", "title": "Partnership delivery across our collaboratives",
        "owner": "Director of Strategy", "objective": doc["strategy"]["objectives"][0]["id"],
        "collaboratives": ids, "likelihood": 3, "consequence": 4, "target_likelihood": 2,
        "target_consequence": 3, "appetite": "cautious",
        "controls": ["Quarterly assurance report to the Strategy Committee"],
        "assurances": ["Internal audit of partnership governance"],
        "last_reviewed": as_of - dt.timedelta(days=20)})
    oversight = doc.setdefault("board_oversight", {})
    oversight["internal_audits"] = [{"title": "Partnership governance",
                                     "date": as_of - dt.timedelta(days=300),
                                     "assurance": "substantial" if well else "reasonable"}]
    if well:
        for risk in baf["risks"]:
            risk.update({"owner": risk.get("owner", "Chief Officer"), "target_likelihood": 1,
                         "target_consequence": 1, "gaps": risk.get("gaps") or ["None open"],
                         "appetite": risk.get("appetite", "cautious"),
                         "last_reviewed": as_of - dt.timedelta(days=30)})
            risk["controls"] = risk.get("controls") or ["Monthly performance review"]
            risk["assurances"] = risk.get("assurances") or ["Quarterly committee report"]
        doc["organisation"]["oversight"] = {"segment": 2, "framework": "nof_2025"}
        doc["strategy"]["icb_conflicts_process"] = "Escalated to the joint ICB forum"
        oversight["collaboration_reports_per_year"] = 4
        baf["last_reviewed"] = as_of - dt.timedelta(days=30)
        oversight["scheme_of_delegation_updated"] = as_of - dt.timedelta(days=60)
        oversight["ned_lead_for_collaboration"] = "Senior Independent Director"
        oversight["internal_audits"][0]["overdue_actions"] = 0
        oversight.setdefault("collaboration_committee", "Strategy Committee")
        oversight["committee_includes_neds"] = True
        doc["strategy"]["alignment_last_reviewed"] = as_of - dt.timedelta(days=90)
        if doc["organisation"].get("legal_form") == "nhs_foundation_trust":
            doc["organisation"]["council_of_governors"] = {
                "briefed_on_collaboration": as_of - dt.timedelta(days=100)}
    del org


def submission(rng: random.Random, n: int, *, seed: int = 1, count: int = 1) -> dict[str, Any]:
    as_of = dt.date(2026, 10, 1)
    full = rng.choice([0.95, 0.8, 0.6, 0.35])  # complete ... sparse
    org = organisation_name(seed, n)
    objective_ids = [f"SO{j}" for j in range(1, rng.randint(3, 7))]
    collabs = [collaborative(rng, i, org, as_of, full, objective_ids, n)
               for i in range(rng.randint(2, 5))]
    collabs.append(shared_collaborative(seed, n, count, as_of))
    region = rng.choice(REGIONS)
    risks = [{
        "id": f"BAF-{j:02d}", "title": sentence(rng, 9), "owner": maybe(rng, full, "Chief Officer"),
        "objective": rng.choice(objective_ids),
        "collaboratives": [c["id"] for c in rng.sample(collabs, k=rng.randint(0, 2))],
        "likelihood": rng.randint(1, 5), "consequence": rng.randint(1, 5),
        "target_likelihood": maybe(rng, full, rng.randint(1, 3)),
        "target_consequence": maybe(rng, full, rng.randint(1, 3)),
        "appetite": maybe(rng, full, rng.choice(["averse", "minimal", "cautious", "open"])),
        "controls": [sentence(rng, 7) for _ in range(rng.randint(0, 4))],
        "assurances": [sentence(rng, 7) for _ in range(rng.randint(0, 3))],
        "gaps": [sentence(rng, 7) for _ in range(rng.randint(0, 3))],
        "last_reviewed": day(rng, as_of, -300, 0)} for j in range(rng.randint(2, 12))]
    rng.random()  # the draw the legal form once took: the file's later draws stay as they were
    form = legal_form(seed, n)
    doc = {
        "schema_version": 1, "as_of": as_of,
        "organisation": {
            "name": org, "ods_code": ods(n), "legal_form": form,
            "sectors": rng.choice(SECTORS),
            "icbs": rng.sample(ICBS[region], k=1 if rng.random() < 0.8 else 2),
            "region": region,
            "oversight": maybe(rng, full, {"segment": rng.randint(1, 4), "framework": "nof_2025"}),
            "council_of_governors": ({"briefed_on_collaboration": day(rng, as_of, -500, 0)}
                                     if form == "nhs_foundation_trust" else None)},
        "strategy": {"objectives": [{"id": o, "title": sentence(rng, 8)} for o in objective_ids],
                     "alignment_last_reviewed": maybe(rng, full, day(rng, as_of, -500, 0)),
                     "joint_forward_plan_referenced": maybe(rng, full, True)},
        "board_oversight": {
            "collaboration_committee": maybe(rng, full, "Strategy Committee"),
            "committee_includes_neds": maybe(rng, full, True),
            "scheme_of_delegation_updated": maybe(rng, full, day(rng, as_of, -900, 0)),
            "internal_audits": [{"title": "Partnership governance", "date": day(rng, as_of,
                                                                                -1500, -10),
                                 "assurance": rng.choice(["substantial", "reasonable",
                                                          "limited", "moderate"])}],
            "maturity_assessment": maybe(rng, full, {"assessed": day(rng, as_of, -800, 0),
                                                     "current_level": 2, "target_level": 4})},
        "board_assurance_framework": {"last_reviewed": day(rng, as_of, -100, 0), "risks": risks},
        "collaboratives": collabs,
    }
    doc = prune(doc)
    govern(doc, governance(seed, n), as_of)
    return doc  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    sizes = []
    for n in range(args.count):
        text = yaml.dump(submission(rng, n, seed=args.seed, count=args.count), Dumper=dumper,
                         sort_keys=False, width=100, allow_unicode=True)
        path = args.out / f"trust-{n:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        sizes.append(len(text))
    sizes.sort()
    print(f"wrote {args.count} files to {args.out}: {sum(sizes) / 1e6:.1f} MB, "
          f"min {sizes[0] / 1024:.1f} KB, median {sizes[len(sizes) // 2] / 1024:.1f} KB, "
          f"max {sizes[-1] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
