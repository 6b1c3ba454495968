"""parse_letter: normalized letter text -> `Letter`. Pure: no I/O beyond what the caller passes in."""

from __future__ import annotations

from pathlib import Path

from graph_loader.extract import decisions as dec
from graph_loader.extract import fields, notice
from graph_loader.extract import professional_review as mpr
from graph_loader.extract.layout import Block, analyze
from graph_loader.extract.source import LetterReadError, content_hash, normalize_text, read_letter_text
from graph_loader.models import Letter
from graph_loader.normalize import years


class NotALetter(LetterReadError):
    """Readable text that holds no IMR determination."""


def _slice(text: str, block: Block | None) -> tuple[str, int]:
    if block is None:
        return "", 0
    return text[block.start : block.end], block.start


def preload() -> None:
    """Load every dictionary, index and table of contents the parser uses, now rather than at the
    letters that first need them (a second or two, once per process): benchmarks call it to keep
    first-use costs out of the per-letter figures; parsing never needs it."""
    from graph_loader.normalize import body_regions, specialties
    from graph_loader.normalize.citations import resolve as citations
    from graph_loader.normalize.citations import toc
    from graph_loader.normalize.diagnoses import icd_index
    from graph_loader.normalize.treatments import classify as treatments

    treatments._loaded()
    icd_index.index()
    specialties.vocabulary()
    body_regions.pattern_set()
    for entry in citations.catalog():
        toc.toc(entry.key)


def parse_text(raw: str, source: str) -> Letter:
    text = normalize_text(raw)
    warnings: list[str] = []
    structure = analyze(text)
    layout = structure.layout
    if layout == "unknown" and "medically necessary" not in text.lower():
        raise NotALetter(f"{source}: not an IMR determination letter (no IMR sections or decisions found)")
    header = fields.header_fields(text, warnings)
    # The professional-review layout's own sections, when the letter has them (else the degraded
    # reading below, from the shared section headings and its item statements).
    mpr_sections = mpr.sections(text) if layout == "professional-review" else {}
    sections = mpr_sections or structure.sections
    how_text, how_offset = _slice(text, sections.get("how") or sections.get("qualifications"))
    if not how_text:
        how_text, how_offset = text[: (sections["summary"].start if "summary" in sections else len(text))], 0
    summary_text, summary_offset = _slice(text, sections.get("summary"))
    if not summary_text:
        summary_text, summary_offset = text, 0
        warnings.append("no CLINICAL CASE SUMMARY section; patient facts read from the whole letter")

    if layout in ("notice-2013", "documents-reviewed"):
        # Each date from its own label ("Utilization Review Denial dated X"), never one event's date as
        # another's: the older layouts print no decision date, and their year is then estimated.
        decision_block, _ = _slice(text, sections.get("decision"))
        for field, found in fields.notice_dates(decision_block or text, warnings).items():
            header[field] = header[field] or found
    injury = header["injury_date"] or fields.injury_date(summary_text, warnings)
    ur = header["ur_decision_date"] or fields.ur_date(summary_text, warnings)

    if mpr_sections:
        decisions = mpr.read_decisions(text, mpr_sections, warnings)
    else:
        issues = sections.get("issues")
        begin, end = (issues.start, issues.end) if issues else (summary_offset + len(summary_text), len(text))
        blocks = dec.find_blocks(text, begin, end)
        decisions = [dec.decision_from_block(text, b, i + 1, warnings) for i, b in enumerate(blocks)]
    if not decisions and not mpr_sections:
        # A letter of no known layout states its items in sentences anywhere ("After review, the request
        # for X is not medically necessary"); the older layouts at the start of a line.
        fallback = mpr.fallback_decisions(text, warnings) if layout == "unknown" else []
        decisions = fallback or dec.notice_decisions(text, 0, len(text), warnings)
    if layout == "unknown":
        # No layout recognized: loaded with what can be read, never rejected for its form alone.
        layout = "unrecognized"
        warnings.append(
            "layout not recognized: items and outcomes read from its 'request for X is [not] medically "
            "necessary' statements; check this letter"
        )
    if not decisions:
        raise NotALetter(f"{source}: no decision blocks found (truncated or not an IMR letter)")
    if layout == "notice-2013":
        mismatch = notice.final_determination_mismatch(
            text, [d.outcome.value for d in decisions if d.outcome]
        )
        if mismatch:
            warnings.append(mismatch)

    reviewer = fields.reviewer(how_text, how_offset, warnings)
    patient = fields.patient(summary_text)
    for name, value in (
        ("case_number", header["case_number"]),
        ("injury_date", injury),
        ("patient age", patient.age),
        ("patient sex", patient.sex),
        ("reviewer specialty", reviewer.specialties or None),
        ("reviewer licensure", reviewer.licensure_states or None),
    ):
        if value is None:
            warnings.append(f"{name} not found")
    year, year_source = years.decision_year(
        header["decision_date"], ur, summary_text, header["application_received"], header["date_assigned"]
    )
    if year_source == "estimated":
        warnings.append(f"no decision date: year {year} estimated from the latest dated event")
    digest = content_hash(text)
    return Letter(
        source=source,
        letter_id=header["case_number"] or f"sha256:{digest[:16]}",
        content_hash=digest,
        layout=layout,
        case_number=header["case_number"],
        patient=patient,
        injury_date=injury,
        decision_date=header["decision_date"],
        year=year,
        year_source=year_source,
        date_assigned=header["date_assigned"],
        ur_decision_date=ur,
        application_received=header["application_received"],
        priority=header["priority"],
        reviewer=reviewer,
        diagnoses=fields.diagnoses(summary_text, summary_offset),
        decisions=decisions,
        warnings=warnings,
        text=text,
    )


def parse_file(path: Path, source: str | None = None) -> Letter:
    """Read and parse one letter file; raises LetterReadError with a one-line reason."""
    return parse_text(read_letter_text(path), source or str(path))
