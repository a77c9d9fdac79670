"""The `mkg` command line: build, load, query, rank, validate and serve the graph."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.errors import MkgError, ValidationFailed
from graph.model.iris import Minter
from graph.model.namespaces import PREFIXES
from graph.pipeline.build import build as run_build
from graph.pipeline.build import load as run_load
from graph.pipeline.build import validate_store
from graph.read import analytics
from graph.read.filters import FIELDS, Filters
from graph.read.trace import trace as trace_instrument
from graph.settings import Settings, get_settings, settings_problem
from graph.store.embedded import StoreLayout, open_store

app = typer.Typer(
    name="mkg",
    help="migration-kg: actors, mandates and events of international migration governance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

TASKS = {
    "extract": "Extracting documents",
    "validate": "Validating (SHACL)",
    "store": "Writing the store",
    "load": "Loading files",
}


class CountChoice(StrEnum):
    """What `mkg top` counts: events, or the source rows they come from."""

    events = "events"
    rows = "rows"


class ResultFormat(StrEnum):
    """How `mkg query` and `mkg top` print results."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"


_state: dict[str, Settings] = {}


def settings() -> Settings:
    """The settings of this invocation (with --store applied)."""
    return _state.get("settings") or get_settings()


@app.callback()
def main(
    store: Annotated[
        str | None,
        typer.Option(
            help="Store path, or a SPARQL endpoint as sparql+http(s)://host:port/path "
            "(default: MKG_STORE or data/store)."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    """migration-kg command line."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        base = get_settings()
    except ValidationError as exc:
        err.print(f"mkg: error: {settings_problem(exc)}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    if store is None:
        _state["settings"] = base
    elif store.startswith(("sparql+http://", "sparql+https://")):
        _state["settings"] = base.model_copy(update={"remote": store})
    else:
        _state["settings"] = base.model_copy(update={"store": Path(store), "remote": None})


@contextmanager
def errors() -> Iterator[None]:
    """Turn the project's errors into one line on stderr and a non-zero exit."""
    try:
        yield
    except ValidationFailed as exc:
        err.print(f"mkg: error: {exc}", markup=False, highlight=False)
        err.print(exc.report, markup=False, highlight=False)
        raise typer.Exit(1) from exc
    except MkgError as exc:
        err.print(f"mkg: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback drawing one rich bar per task, on stderr."""
    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal and not _force_progress(),
    ) as bars:
        tasks: dict[str, object] = {}

        def report(task: str, done: int, total: int) -> None:
            if task not in tasks:
                tasks[task] = bars.add_task(TASKS.get(task, task), total=total)
            bars.update(tasks[task], completed=done, total=total)  # type: ignore[arg-type]

        yield report


def _force_progress() -> bool:
    """MKG_PROGRESS=1 draws the bars even when stderr is not a terminal."""
    return os.environ.get("MKG_PROGRESS") == "1"


@app.command()
def build(
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder with manifest.yaml.")] = None,
    without_curation: Annotated[
        bool,
        typer.Option(
            "--without-curation",
            help="Build from the extractors and the registry alone (no graph/curation/).",
        ),
    ] = False,
) -> None:
    """Extract, validate and load the corpus into the store (atomic swap)."""
    current = settings()
    if corpus:
        current = current.model_copy(update={"corpus": corpus})
    if without_curation:
        current = current.model_copy(update={"curation": False})
    with errors(), progress_bars() as report:
        info, extraction = run_build(current, report)
    for warning in info.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    facts = extraction.facts
    out.print(
        f"built graph {info.version}: {extraction.documents} documents, "
        f"{extraction.events} events, {info.triples} statements "
        f"-> {current.remote or current.store}",
        markup=False,
        highlight=False,
    )
    err.print(
        f"findings: {len(facts.admitted)} in on their own, "
        f"{sum(facts.confirmed.values())} curated facts ("
        f"{sum(v for k, v in facts.confirmed.items() if k.endswith(':extracted'))} also "
        f"found by the extractors), {len(facts.rejected)} rejected, "
        f"{len(facts.candidates)} left for review (confidence under {current.min_confidence})",
        markup=False,
        highlight=False,
    )


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="Turtle, TriG, N-Triples or N-Quads files.")],
) -> None:
    """Bulk-load existing RDF into the store, on top of the current graph (atomic swap)."""
    with errors(), progress_bars() as report:
        info = run_load(settings(), files, report)
    out.print(f"loaded graph {info.version}: {info.triples} statements", highlight=False)


@app.command()
def query(
    query_or_file: Annotated[
        str,
        typer.Argument(metavar="QUERY_OR_FILE", help="SPARQL text, a .rq file, or - for stdin."),
    ],
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
) -> None:
    """Run a SPARQL query against the store (the project's prefixes are predeclared)."""
    with errors():
        text = _query_text(query_or_file)
        store = open_store(settings())
        try:
            result = store.query(text)
            sys.stdout.write(render_result(result, format))
        finally:
            store.close()


def _query_text(arg: str) -> str:
    if arg == "-":
        return sys.stdin.read()
    path = Path(arg)
    if len(arg) < 4096 and "\n" not in arg and path.suffix in {".rq", ".sparql"}:
        if not path.is_file():
            raise MkgError(f"{arg}: query file not found")
        return path.read_text(encoding="utf-8")
    return arg


def render_result(result: object, fmt: ResultFormat) -> str:
    """A query result as table, CSV, TSV, SPARQL JSON or XML (graphs as N-Triples or Turtle)."""
    if isinstance(result, ox.QueryTriples):
        rdf = ox.RdfFormat.TURTLE if fmt == ResultFormat.table else ox.RdfFormat.N_TRIPLES
        data = result.serialize(format=rdf)
        return data.decode("utf-8") if data else ""
    if fmt != ResultFormat.table:
        formats = {
            ResultFormat.csv: ox.QueryResultsFormat.CSV,
            ResultFormat.tsv: ox.QueryResultsFormat.TSV,
            ResultFormat.json: ox.QueryResultsFormat.JSON,
            ResultFormat.xml: ox.QueryResultsFormat.XML,
        }
        data = result.serialize(format=formats[fmt])  # type: ignore[attr-defined]
        text = data.decode("utf-8") if data else ""
        return text if text.endswith("\n") else text + "\n"
    if isinstance(result, ox.QueryBoolean):
        return f"{'true' if bool(result) else 'false'}\n"
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    table = Table(*names, show_lines=False)
    count = 0
    for solution in result:
        table.add_row(*(_compact(solution[name]) for name in names))
        count += 1
    buffer = io.StringIO()
    Console(file=buffer, width=200, soft_wrap=True).print(table)
    return buffer.getvalue() + f"{count} row(s)\n"


def _compact(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _help(name: str) -> str:
    field = FIELDS[name]
    return f"{field.help.rstrip('.')} (e.g. {field.example})."


DocOption = Annotated[str | None, typer.Option(help=_help("doc"))]
StartOption = Annotated[str | None, typer.Option(help=_help("start"))]
EndOption = Annotated[str | None, typer.Option(help=_help("end"))]
ThemeOption = Annotated[str | None, typer.Option(help=_help("theme"))]
TypeOption = Annotated[str | None, typer.Option("--org-type", help=_help("org_type"))]
PlotOption = Annotated[Path | None, typer.Option(help="Also draw the result as a PNG here.")]


@contextmanager
def analysed(
    start: str | None, end: str | None, doc: str | None, theme: str | None, org_type: str | None
) -> Iterator[tuple[Any, Minter, Filters]]:
    """The open store, the minter and the parsed filters of an analytics command."""
    current = settings()
    filters = Filters.parse(start, end, doc, theme, org_type)
    store = open_store(current)
    try:
        yield store, Minter(current.base_iri), filters
    finally:
        store.close()


@app.command()
def top(
    limit: Annotated[int, typer.Option(min=1, help="How many organizations to show.")] = 20,
    joint_only: Annotated[
        bool, typer.Option("--joint-only", help="Rank by events shared with other organizers.")
    ] = False,
    doc: DocOption = None,
    start: StartOption = None,
    end: EndOption = None,
    theme: ThemeOption = None,
    org_type: TypeOption = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    plot: PlotOption = None,
    count: Annotated[
        CountChoice,
        typer.Option("--count", help="Rank by events, or by the source rows they come from."),
    ] = CountChoice.events,
) -> None:
    """The co-sponsor ranking: organizations by events organized (or by source rows)."""
    with errors(), analysed(start, end, doc, theme, org_type) as (store, minter, filters):
        ranking = analytics.cosponsors(
            store, minter, joint_only=joint_only, limit=limit, filters=filters, count=count.value
        )
    if plot:
        from graph.views.plots import cosponsor_chart

        cosponsor_chart(ranking, plot, "Top co-sponsors" + (f" ({doc})" if doc else ""))
    records = [
        {"rank": rank, "id": c.id, "organization": c.label, "acronym": c.acronym or "",
         "events": c.events, "joint_events": c.joint_events,
         "rows": c.rows, "joint_rows": c.joint_rows}
        for rank, c in enumerate(ranking, start=1)
    ]  # fmt: skip
    unit = "rows" if count == CountChoice.rows else "events"
    _print_records(
        records,
        format,
        ["#", "organization", "acronym", unit, f"joint {unit}"],
        ["rank", "organization", "acronym", unit, f"joint_{unit}"],
    )


def _print_records(
    records: list[dict[str, Any]], format: ResultFormat, headers: list[str], keys: list[str]
) -> None:
    if format == ResultFormat.json:
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif format in (ResultFormat.csv, ResultFormat.tsv):
        writer = csv.DictWriter(
            sys.stdout, fieldnames=keys, delimiter="," if format == ResultFormat.csv else "\t",
            extrasaction="ignore",
        )  # fmt: skip
        writer.writeheader()
        writer.writerows(records)
    else:
        table = Table(*headers)
        for r in records:
            table.add_row(*(escape(str(r[k])) for k in keys))
        out.print(table)


AnalyticsMeasure = StrEnum(  # type: ignore[misc]
    "AnalyticsMeasure", [(name, name) for name in analytics.MEASURES]
)
"""What `mkg analytics` computes: every registered measure."""


def _measures_help() -> str:
    lines = [
        f"{m.name}: {m.description}" + (f" (API: /api/analytics/{m.route})" if m.route else "")
        for m in analytics.MEASURES.values()
    ]
    return "Who works with whom: a measure of the co-sponsorship network, as a table.\n\n" + (
        "\n\n".join(lines)
    )


@app.command("analytics", help=_measures_help())
def analytics_command(
    measure: Annotated[AnalyticsMeasure, typer.Argument(help="What to compute.")],
    limit: Annotated[int, typer.Option(min=1, help="How many rows to show.")] = 20,
    doc: DocOption = None,
    start: StartOption = None,
    end: EndOption = None,
    theme: ThemeOption = None,
    org_type: TypeOption = None,
    source: Annotated[str | None, typer.Option(help="For path: from this organization.")] = None,
    target: Annotated[str | None, typer.Option(help="For path: to this organization.")] = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    plot: PlotOption = None,
) -> None:
    """Who works with whom: a measure of the co-sponsorship network, as a table."""
    chosen = analytics.MEASURES[str(measure.value)]
    with errors(), analysed(start, end, doc, theme, org_type) as (store, minter, filters):
        ask = analytics.Ask(filters=filters, limit=limit, source=source, target=target)
        items = chosen.compute(store, minter, ask)
        if chosen.limited:
            items = items[:limit]
        if plot:
            from graph.views.plots import draw  # matplotlib only when a plot is asked for

            draw(chosen.name, items, plot)
        records = chosen.records(items, ask)
    _print_records(
        records, format, [f.heading for f in chosen.fields], [f.key for f in chosen.fields]
    )


@app.command()
def trace(
    symbol: Annotated[str, typer.Argument(help="Instrument symbol, e.g. A/RES/60/227.")],
    paragraph: Annotated[
        str | None, typer.Argument(help="Paragraph number, e.g. 17 or OP17.")
    ] = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
) -> None:
    """Paragraph -> addressees, activities and implementing events, with basis and evidence."""
    with errors():
        store = open_store(settings())
        try:
            traced = trace_instrument(store, symbol, paragraph)
        finally:
            store.close()
    if format == ResultFormat.json:
        sys.stdout.write(json.dumps(asdict(traced), indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{escape(traced.symbol)}[/bold]  {escape(traced.label)}", highlight=False)
    for link in traced.implementations:
        _print_link(link, indent="  ")
    for par in traced.paragraphs:
        verb = f" ({par.verb})" if par.verb else ""
        out.print(f"\n[bold]{escape(par.label)}[/bold]{verb}", highlight=False)
        for source in par.sources:
            _print_source(source, "  ")
        if par.addressees:
            names = ", ".join(a.label for a in par.addressees)
            out.print(f"  addressees: {escape(names)}", highlight=False)
        for activity in par.activities:
            assigned = f" [dim](assigned to {', '.join(activity.assigned_to)})[/dim]"
            out.print(
                f"  mandates: {escape(activity.label)}"
                + (assigned if activity.assigned_to else ""),
                highlight=False,
            )
        if not par.implementations:
            out.print("  implemented by: nothing in the graph", highlight=False)
        else:
            out.print(f"  implemented by ({len(par.implementations)}):", highlight=False)
        for link in par.implementations:
            _print_link(link, indent="    ")


def _print_link(link: Any, indent: str) -> None:
    score = f" {link.score:.2f}" if link.score is not None else ""
    when = f"{link.start}  " if link.start else ""
    out.print(
        f"{indent}- {when}{escape(link.label)}  [cyan]{link.basis}{score}[/cyan]",
        highlight=False,
    )
    if link.rationale:
        out.print(f"{indent}    [dim]{escape(link.rationale)}[/dim]", highlight=False)
    for source in link.sources:
        _print_source(source, indent + "    ")


def _print_source(source: Any, indent: str) -> None:
    quote = " ".join(source.evidence.split())
    if len(quote) > 160:
        quote = quote[:157] + "..."
    out.print(
        f"{indent}[dim]{source.document} [{source.char_start}:{source.char_end}][/dim] "
        f"\u201c{escape(quote)}\u201d",
        highlight=False,
    )


class MandateFormat(StrEnum):
    """How `mkg mandates` prints the register."""

    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def mandates(
    instrument: Annotated[
        str | None, typer.Option(help="Only this instrument (symbol or spelling).")
    ] = None,
    addressee: Annotated[
        str | None, typer.Option(help="Only paragraphs addressed to it (id, acronym, label).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="implemented, inferred or untraced.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many paragraphs to show.")] = 1000,
    offset: Annotated[int, typer.Option(min=0, help="How many to skip.")] = 0,
    coverage: Annotated[
        bool,
        typer.Option("--coverage", help="Per instrument: untraced paragraphs, what implements "
                     "no paragraph, shared mandates, deliverables asked more than once."),
    ] = False,
    review: Annotated[
        Path | None,
        typer.Option(help="Write the review sheet here (.csv or .json): one row per "
                     "paragraph, decision (retain, update, remove) and comment left empty."),
    ] = None,
    format: Annotated[MandateFormat, typer.Option("--format", "-f")] = MandateFormat.table,
) -> None:  # fmt: skip
    """The mandate register: each paragraph, its verb, addressees, deliverables, and whether
    anything carries it out (implemented, inferred, untraced), as the trace shows it."""
    from graph.read import mandates as register

    with errors():
        store = open_store(settings())
        try:
            if coverage:
                _print_coverage(store, instrument, format)
                return
            found = register.register(store, instrument, addressee, status)
            if review is not None:
                if review.suffix.lower() == ".json":
                    text = json.dumps(register.review_json(found.items), indent=2,
                                      ensure_ascii=False) + "\n"  # fmt: skip
                else:
                    text = register.review_csv(found.items)
                review.write_text(text, encoding="utf-8")
                err.print(f"wrote {len(found.items)} rows to {review}", markup=False)
                return
            answer = register.page(found, limit, offset)
        finally:
            store.close()
    if format == MandateFormat.json:
        sys.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
        return
    records = [
        {
            "instrument": m.symbol,
            "paragraph": m.id,
            "verb": m.verb or "",
            "addressees": "; ".join(a.label for a in m.addressees),
            "deliverables": "; ".join(
                d.kind + (f" (due {d.due})" if d.due else "") for d in m.deliverables
            ),
            "status": m.status,
            "implementers": "; ".join(f"{p.label} ({p.basis})" for p in m.implementers),
        }
        for m in found.items[offset : offset + limit]
    ]
    keys = ["instrument", "paragraph", "verb", "addressees", "deliverables", "status",
            "implementers"]  # fmt: skip
    _print_records(records, ResultFormat(format.value), keys, keys)
    if format == MandateFormat.table:
        summary = found.summary
        out.print(
            f"{len(found.items)} paragraph(s): {summary['implemented']} implemented, "
            f"{summary['inferred']} inferred, {summary['untraced']} untraced",
            highlight=False,
        )


def _print_coverage(store: Any, instrument: str | None, format: MandateFormat) -> None:
    """Coverage per instrument, and deliverables several instruments ask for."""
    from graph.read import mandates as register

    found = register.coverage(store, instrument)
    across = register.shared_across(store)
    if format == MandateFormat.json:
        answer = {
            "items": [register.coverage_dict(c) for c in found],
            "across": [register.shared_dict(s) for s in across],
        }
        sys.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
        return
    records = [
        {
            "instrument": c.symbol,
            "paragraphs": c.paragraphs,
            "implemented": c.summary["implemented"],
            "inferred": c.summary["inferred"],
            "untraced": c.summary["untraced"],
            "untraced_paragraphs": " ".join(m.id for m in c.untraced),
            "implements_no_paragraph": "; ".join(link.label for link in c.unlinked),
            "several_addressees": " ".join(m.id for m in c.shared),
            "asked_more_than_once": "; ".join(
                f"{s.kind} ({len(s.paragraphs)})" for s in c.duplicates
            ),
        }
        for c in found
    ]
    keys = list(records[0]) if records else ["instrument"]
    _print_records(records, ResultFormat(format.value), keys, keys)
    if format == MandateFormat.table and across:
        out.print("asked by several instruments:", highlight=False)
        for s in across:
            out.print(
                f"  {s.kind}: " + ", ".join(f"{m.symbol} {m.id}" for m in s.paragraphs),
                markup=False,
                highlight=False,
            )


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Plain-text documents to examine.")],
    review: Annotated[
        Path | None, typer.Option(help="Write the candidate facts here as JSON.")
    ] = None,
    accept: Annotated[
        bool, typer.Option("--accept", help="Add the documents to the corpus and rebuild.")
    ] = False,
) -> None:
    """Run the automatic extractors on new documents; --accept adds them to the corpus."""
    from graph.pipeline import ingest as ingesting

    current = settings()
    with errors():
        candidates = ingesting.review(files, current)
        text = json.dumps(candidates, indent=2, ensure_ascii=False) + "\n"
        if review:
            review.write_text(text, encoding="utf-8")
        elif not accept:
            sys.stdout.write(text)
        for doc in candidates["documents"]:
            err.print(
                f"{doc['file']}: {len(doc['organizations'])} organizations, "
                f"{len(doc['instruments'])} instruments, {len(doc['events'])} events",
                markup=False,
                highlight=False,
            )
        if accept:
            with progress_bars():
                info, added = ingesting.accept(files, current)
            out.print(
                f"added {', '.join(added)} to {current.corpus}; built graph {info.version}",
                markup=False,
                highlight=False,
            )


@app.command("export")
def export_command(
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="turtle, trig, nquads, jsonld, graphml, gexf or csv."),
    ],
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here (default: stdout).")
    ] = None,
    doc: DocOption = None,
    start: Annotated[
        str | None, typer.Option(help="Window start (graphml, gexf, csv): YYYY[-MM[-DD]].")
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="Window end (graphml, gexf, csv): YYYY[-MM[-DD]].")
    ] = None,
) -> None:
    """Export the graph (RDF), the co-sponsorship network (Gephi) or the events (CSV)."""
    from graph.read.export import export as run_export

    current = settings()
    with errors():
        store = open_store(current)
        try:
            found = run_export(
                store, Minter(current.base_iri), format, doc=doc, start=start, end=end
            )
        finally:
            store.close()
        if out_file is None:
            try:
                sys.stdout.buffer.write(found.data)
                sys.stdout.flush()
            except BrokenPipeError:
                # The reader (`| head`) left: stop quietly, as cat does.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(1) from None
            return
        try:
            out_file.write_bytes(found.data)
        except OSError as exc:
            raise MkgError(f"{out_file}: cannot write: {exc.strerror or exc}") from exc
    out.print(
        f"exported {found.format.name} ({len(found.data):,} bytes) -> {out_file}",
        markup=False,
        highlight=False,
    )


@app.command()
def validate() -> None:
    """SHACL report of the graph in the store."""
    with errors():
        report = validate_store(settings())
    out.print(report, markup=False, highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API with uvicorn (builds the graph first if the embedded store is empty)."""
    import uvicorn

    from api.connections import protocol
    from api.logs import address, log_config
    from api.main import create_app

    class Server(uvicorn.Server):
        """uvicorn's server, which says where to point a browser once it listens."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                url = address(host, port)
                logging.getLogger("mkg.serve").info(
                    "migration-kg is ready: open %s in a browser (the query page is %s/sparql, "
                    "the API %s/docs, OpenRefine reconciliation %s/reconcile); Ctrl+C stops it",
                    url, url, url, url,
                )  # fmt: skip

    current = settings()
    with errors():
        if current.remote:
            # Serve what the remote holds; building is `mkg build`'s job there. Opening it
            # once says clearly (one line) if it is unreachable or holds no graph yet.
            open_store(current).close()
        elif StoreLayout(current.store).current() is None:
            with progress_bars() as report:
                run_build(current, report)
        application = create_app(current)
    # request heads up to 1 MiB reach the application, which answers an over-long URL
    # with a JSON 414 (h11's own limit, 16 KiB, would answer in plain text). Forwarded
    # headers are the application's to trust or not (MKG_TRUSTED_PROXIES): uvicorn's
    # own default believes them from loopback, where any local client can forge them.
    config = uvicorn.Config(
        application,
        host=host,
        port=port,
        log_config=log_config(current.log_format),
        h11_max_incomplete_event_size=1 << 20,
        http=protocol(current.client_timeout),
        proxy_headers=False,
        timeout_keep_alive=5,
    )
    Server(config).run()


if __name__ == "__main__":
    app()
