"""The extractors `mkg build` and `mkg ingest` run, in order: to add one, write its file
(see graph.extract.base) and add it here."""

from __future__ import annotations

from graph.extract.base import Extractor
from graph.extract.calendar_events import CalendarEvents
from graph.extract.candidate_orgs import CandidateOrganizations
from graph.extract.citations import Citations
from graph.extract.paragraph_refs import ParagraphRefs, ReportedParagraphs
from graph.extract.prose_events import ProseEvents
from graph.extract.resolution_texts import ResolutionTexts

EXTRACTORS: tuple[Extractor, ...] = (
    CalendarEvents(),
    Citations(),
    ParagraphRefs(),
    ReportedParagraphs(),
    ProseEvents(),
    CandidateOrganizations(),
    ResolutionTexts(),
)
