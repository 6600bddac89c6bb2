"""The questionnaire as readable text, for `questions` and `explain`."""

from __future__ import annotations

import json
import textwrap

from boardcheck.questionnaire import Criterion, Questionnaire


def _wrap(label: str, text: str, indent: int = 2) -> str:
    pad = " " * indent
    return textwrap.fill(" ".join(text.split()), width=96, initial_indent=f"{pad}{label}",
                         subsequent_indent=pad + " " * len(label))


def render_questions(questionnaire: Questionnaire, category: str | None = None) -> str:
    """Every board question and its criteria, one line each with severity and weight."""
    src = questionnaire.source
    lines = [f"{src.title} ({src.id} {src.version})", ""]
    for cat in src.categories:
        if category is not None and cat.id != category:
            continue
        lines.append(f"{cat.title} [{cat.id}]")
        lines.append(_wrap("", f"Board question: {cat.board_question} ({cat.question_source})"))
        for c in cat.criteria:
            lines.append(f"  {c.id}  {c.severity:<8} w{c.weight:<3g} {c.title}")
        lines.append("")
    lines.append("Run `boardcheck explain ID` for a criterion in full.")
    return "\n".join(lines) + "\n"


def render_criterion(questionnaire: Questionnaire, criterion: Criterion) -> str:
    """One criterion in full: its check, weight, severity and all its text."""
    spec = criterion.spec
    cat = next(c for c in questionnaire.source.categories if c.id == criterion.category)
    params = {k: v for k, v in criterion.params.model_dump(mode="json").items() if v is not None}
    lines = [
        f"{spec.id}: {spec.title}",
        f"  Board question: {cat.title} ({cat.id}): {cat.board_question}",
        f"  Severity: {spec.severity}    Weight: {spec.weight:g}",
        f"  Check: {criterion.kind.name} {json.dumps(params, sort_keys=True)}",
        _wrap("What it checks: ", criterion.kind.doc),
        _wrap("Ask: ", spec.challenge),
        _wrap("Why it matters: ", spec.rationale),
        _wrap("How to close it: ", spec.remediation),
    ]
    return "\n".join(lines) + "\n"
