"""The calendar table of seed 000: numbered rows of date, venue, initiative and responsible bodies.

The text is a table flattened to lines: a row opens with a line "<TAB>17. ", each cell
is a line that starts with a tab, and a cell may run on over lines without a tab (item 17
lists two side events that way). Offsets are kept for every cell so that each event
carries its row verbatim as evidence; a cell's text is the document's own, and spacing
is evened out only where a value is made of it (a venue, a title, a name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph.errors import CorpusError, ParseError
from graph.extract.dates import find_as_of_date, parse_date_range
from graph.extract.records import EventRecord, Mention
from graph.model.statements import Span

_HEADER = re.compile(r"^[^\n]*\bcalendar of events\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
_FOOTER = re.compile(r"^Note:", re.MULTILINE)
_ROW_START = re.compile(r"^\t(?P<number>\d+)\.[ \t]*$")
_ANY_ROW = re.compile(r"^\t\d+\.[ \t]*$", re.MULTILINE)
_ROW_DIGITS = 6
"""A row number longer than this is damage, not a row (and int() refuses 4300 digits)."""
_SUPPORT = re.compile(r"\s+with the support of\s+", re.IGNORECASE)
_COMMA = re.compile(r"\s*[,;]\s*")
_AND = re.compile(r"\s+(?:and|&)\s+")
_SIDE_EVENTS = re.compile(r"^(?P<parent>.+?)\s+Side Events\s*:?\s*$", re.IGNORECASE)
_SIDE_EVENT = re.compile(r"^(?P<parent>.+?)\s+Side Events?\b", re.IGNORECASE)

CELLS = ("date", "venue", "initiative", "responsible")


@dataclass(frozen=True)
class Cell:
    """One cell of a row: its text as the document prints it (trimmed), and where it stands."""

    text: str
    span: Span


@dataclass(frozen=True)
class Row:
    """One numbered calendar row with its cells; `initiative` may hold several lines."""

    number: int
    date: Cell
    venue: Cell
    initiative: tuple[Cell, ...]
    responsible: Cell
    span: Span


def has_calendar(text: str) -> bool:
    """Whether a document holds a calendar table this parser reads."""
    header = _HEADER.search(text)
    return bool(header and _ANY_ROW.search(text, header.end()))


def parse_rows(text: str, source: str) -> list[Row]:
    """Every row of the calendar table, in document order."""
    header = _HEADER.search(text)
    if header is None:
        raise CorpusError(source, "no calendar table found")
    footer = _FOOTER.search(text, header.end())
    end = footer.start() if footer else len(text)
    rows: list[Row] = []
    current: tuple[int, int, list[Cell], list[tuple[int, Cell]]] | None = None
    for line, start in _lines(text, header.end(), end):
        opening = _ROW_START.match(line)
        if opening:
            if current:
                rows.append(_close_row(current, source))
            number = opening["number"]
            if len(number) > _ROW_DIGITS:
                raise CorpusError(source, f"a row numbered with {len(number)} digits")
            current = (int(number), start + line.index(number), [], [])
            continue
        if current is None or not line.strip():
            continue
        cell = _cell(line, start)
        if line.startswith("\t"):
            current[2].append(cell)
        else:
            current[3].append((len(current[2]), cell))
    if current:
        rows.append(_close_row(current, source))
    _check_numbering(rows, source)
    return rows


def calendar_year(text: str, fallback: int) -> int:
    """The calendar's year: from its "(as of ...)" note, else the document's year."""
    as_of = find_as_of_date(text)
    return as_of.year if as_of else fallback


def extract_events(
    text: str,
    doc_id: str,
    source: str,
    year: int,
    is_known: Callable[[str], bool],
) -> list[EventRecord]:
    """Events of a calendar document; `is_known` says whether a name is one organization."""
    events: list[EventRecord] = []
    for row in parse_rows(text, source):
        try:
            start, end = parse_date_range(row.date.text, year)
        except ParseError as exc:
            raise CorpusError(source, str(exc), row=row.number) from exc
        mentions = tuple(split_responsible(row.responsible, is_known))
        if not mentions:
            raise CorpusError(source, "no responsible organization", row=row.number)
        for label, parent in _titles(row):
            events.append(
                EventRecord(
                    doc_id=doc_id,
                    label=label,
                    start=start,
                    end=end,
                    venue=_spaced(row.venue.text),
                    mentions=mentions,
                    evidence=row.span,
                    position=row.number,
                    parent_hint=parent,
                    source_row=row.number,
                )
            )
    return events


def split_responsible(cell: Cell, is_known: Callable[[str], bool]) -> Iterator[Mention]:
    """Organizations of a "Responsible" cell with their roles.

    "A, B with the support of C" makes A and B organizers and C a supporter. Pieces are
    split on commas, and on "and" only when the whole piece is not one known name (so
    "Department of Economic and Social Affairs" stays whole). A name comes with its
    spacing evened out; its span covers it as the document prints it.
    """
    support = _SUPPORT.search(cell.text)
    parts = [(0, support.start() if support else len(cell.text), "organizer")]
    if support:
        parts.append((support.end(), len(cell.text), "supporter"))
    seen: set[str] = set()
    for part_start, part_end, role in parts:
        for piece_start, piece_end in _split(cell.text, part_start, part_end, _COMMA):
            piece = _spaced(cell.text[piece_start:piece_end])
            pieces = [(piece_start, piece_end)]
            if not is_known(piece) and _AND.search(piece):
                pieces = list(_split(cell.text, piece_start, piece_end, _AND))
            for s, e in pieces:
                name = _spaced(cell.text[s:e])  # the span keeps the document's own spacing
                if name and name not in seen:
                    seen.add(name)
                    span = Span(cell.span.start + s, cell.span.start + e)
                    yield Mention(text=name, span=span, role=role)


def _split(text: str, start: int, end: int, sep: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    cursor = start
    for match in sep.finditer(text, start, end):
        yield from _trimmed(text, cursor, match.start())
        cursor = match.end()
    yield from _trimmed(text, cursor, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        yield offset, offset + len(stripped)


def _titles(row: Row) -> list[tuple[str, str | None]]:
    """One title per event in the row: a "Side Events:" heading lists one event per line."""
    first, *more = (_spaced(cell.text) for cell in row.initiative)
    plural = _SIDE_EVENTS.match(first)
    if plural and more:
        parent = plural["parent"]
        return [(f"{parent} Side Event: {line}", parent) for line in more]
    label = first
    for line in more:
        label = f"{label} {line}" if label.endswith(":") else f"{label}: {line}"
    single = _SIDE_EVENT.match(label)
    return [(label, single["parent"] if single else None)]


def _lines(text: str, start: int, end: int) -> Iterator[tuple[str, int]]:
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        stop = end if newline == -1 else newline
        yield text[pos:stop], pos
        pos = stop + 1


def _cell(line: str, start: int) -> Cell:
    stripped = line.strip()
    offset = start + line.index(stripped)
    return Cell(text=stripped, span=Span(offset, offset + len(stripped)))


def _spaced(text: str) -> str:
    """Text with every run of spaces, tabs and the like made one space."""
    return " ".join(text.split())


def _close_row(current: tuple[int, int, list[Cell], list[tuple[int, Cell]]], source: str) -> Row:
    number, start, cells, continuations = current
    if len(cells) != len(CELLS):
        found = ", ".join(repr(c.text) for c in cells) or "nothing"
        raise CorpusError(
            source,
            f"expected {len(CELLS)} cells (date, venue, initiative, responsible), found {found}",
            row=number,
        )
    date, venue, initiative, responsible = cells
    lines = [initiative]
    for index, cell in continuations:
        if index != CELLS.index("initiative") + 1:
            raise CorpusError(source, f"unexpected text {cell.text!r} outside a cell", row=number)
        lines.append(cell)
    return Row(
        number=number,
        date=date,
        venue=venue,
        initiative=tuple(lines),
        responsible=responsible,
        span=Span(start, responsible.span.end),
    )


def _check_numbering(rows: list[Row], source: str) -> None:
    for expected, row in enumerate(rows, start=1):
        if row.number != expected:
            raise CorpusError(
                source, f"row numbered {row.number}, expected {expected}", row=row.number
            )
