"""Writes the notebooks of this folder from their cells (run, then execute them with nbclient).

The notebooks are stored with their outputs; `tests/test_notebooks.py` executes them
again on every `make test` so they cannot rot.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

SETUP = """\
import os
from pathlib import Path
from IPython.display import Image, display

from graph.read import analytics
from graph.pipeline.build import build
from graph.model.iris import Minter
from graph.settings import PROJECT_ROOT, get_settings
from graph.store.embedded import StoreLayout

os.chdir(PROJECT_ROOT)  # paths (MKG_STORE, default data/store) mean what they mean for `mkg`
settings = get_settings()
layout = StoreLayout(settings.store)
if layout.current() is None:  # a fresh checkout: build the graph first
    build(settings)
store = layout.open()
minter = Minter(settings.base_iri)
plots = PROJECT_ROOT / "notebooks" / "plots"
plots.mkdir(exist_ok=True)
print(f"graph {store.info.version}: {store.info.triples} statements")"""

WHO = [
    new_markdown_cell(
        "# Who works with whom\n\n"
        "Co-sponsorship in the migration-kg graph: which organizations organized the most "
        "events, which pairs work together most, who bridges groups. Every number is "
        "computed from the graph by `graph.read.analytics`."
    ),
    new_code_cell(SETUP),
    new_markdown_cell(
        "## Top co-sponsors\n\nAll events, and joint events (two or more organizers)."
    ),
    new_code_cell(
        "ranking = analytics.cosponsors(store, minter, limit=15)\n"
        "for rank, c in enumerate(ranking, 1):\n"
        "    print(f'{rank:>2}. {c.label:<60} {c.events:>3} events, {c.joint_events:>3} joint')"
    ),
    new_code_cell(
        "from graph.views.plots import cosponsor_chart\n"
        "display(Image(cosponsor_chart(ranking, plots / 'cosponsors.png', 'Top co-sponsors')))"
    ),
    new_markdown_cell(
        "## The 2006 calendar alone\n\nThe same ranking according to seed 000 only "
        "(`doc` filter): the preparations of the first High-Level Dialogue."
    ),
    new_code_cell(
        "from graph.read.filters import Filters\n"
        "calendar = Filters(doc='000_14d2ce0a342a483c')\n"
        "for c in analytics.cosponsors(store, minter, filters=calendar, limit=5):\n"
        "    print(f'{c.label:<60} {c.events:>3} events')"
    ),
    new_markdown_cell("## Strongest pairs"),
    new_code_cell(
        "from graph.views.plots import pair_heatmap\n"
        "strongest = analytics.pairs(store, minter)[:15]\n"
        "for p in strongest[:8]:\n"
        "    print(f'{p.orgs[0].acronym or p.orgs[0].label} + {p.orgs[1].acronym or p.orgs[1].label}: '\n"
        "          f'{p.shared_events} shared events')\n"
        "display(Image(pair_heatmap(strongest, plots / 'pairs.png', 'Strongest pairs')))"
    ),
    new_markdown_cell("## Who bridges groups: centrality"),
    new_code_cell(
        "for measure in ('betweenness', 'pagerank', 'eigenvector'):\n"
        "    top = analytics.centrality(store, minter, measure)[:5]\n"
        "    print(measure + ': ' + ', '.join(f'{s.org.acronym or s.org.label} {s.score:.3f}' for s in top))"
    ),
    new_markdown_cell("## Communities (Louvain), named after their most central member"),
    new_code_cell(
        "for group in analytics.communities(store, minter)[:8]:\n"
        "    names = ', '.join(m.acronym or m.label for m in group.members[:8])\n"
        "    print(f'{group.label} ({len(group.members)}): {names}')"
    ),
    new_markdown_cell("## Over time: who rose and who fell, year by year"),
    new_code_cell(
        "for year, (rose, fell) in analytics.risers_and_fallers(store, minter, limit=3).items():\n"
        "    up = ', '.join(f'{c.org.acronym or c.org.label} +{c.delta}' for c in rose)\n"
        "    down = ', '.join(f'{c.org.acronym or c.org.label} {c.delta}' for c in fell)\n"
        '    print(f\'{year}: rose {up or "-"}; fell {down or "-"}\')'
    ),
]

TRACE = [
    new_markdown_cell(
        "# Tracing mandates\n\n"
        "From the operative paragraphs of General Assembly resolution A/RES/60/227 to the "
        "events of the 2006 calendar that carry them out, each link with its basis and the "
        "sentence that supports it (`graph.read.trace`)."
    ),
    new_code_cell(SETUP + "\nfrom graph.read.trace import trace"),
    new_code_cell(
        "traced = trace(store, 'A/RES/60/227')\n"
        "for p in traced.paragraphs:\n"
        "    reviewed = [i for i in p.implementations if i.basis != 'inferred']\n"
        "    who = ', '.join(a.label for a in p.addressees) or '-'\n"
        "    print(f'{p.label:<20} {p.verb or \"\":<10} {len(reviewed):>2} events   addressed to {who}')"
    ),
    new_markdown_cell("## One paragraph in full: OP17, the regional commissions"),
    new_code_cell(
        "op17 = trace(store, 'A/RES/60/227', '17').paragraphs[0]\n"
        "print(op17.sources[0].evidence)\n"
        "for link in op17.implementations:\n"
        "    print(f'  {link.start}  {link.label}  [{link.basis}]')"
    ),
    new_markdown_cell("## The 2006 preparations on a timeline, coloured by paragraph"),
    new_code_cell(
        "from graph.views.plots import timeline\n"
        "points = [\n"
        "    (link.start, p.label.replace('A/RES/60/227 ', ''), link.label)\n"
        "    for p in traced.paragraphs for link in p.implementations\n"
        "    if link.start and link.kind == 'event' and link.basis != 'inferred'\n"
        "]\n"
        "print(len(points), 'implementing events')\n"
        "display(Image(timeline(points, plots / 'timeline.png', "
        "'A/RES/60/227: the 2006 preparations by paragraph')))"
    ),
    new_markdown_cell("## What the automatic linker proposes beyond the reviewed links"),
    new_code_cell(
        "for p in traced.paragraphs:\n"
        "    for link in p.implementations:\n"
        "        if link.basis == 'inferred':\n"
        "            print(f'{p.label}: {link.label} (score {link.score:.2f}; {link.rationale})')"
    ),
]

REGISTER = [
    new_markdown_cell(
        "# The mandate register\n\n"
        "Every paragraph that can mandate something, who it addresses, what it asks for, "
        "and whether anything in the graph carries it out (`graph.read.mandates`): "
        "`implemented` when a document states the link or a curator made it, `inferred` "
        "when only the automatic linker proposes one, `untraced` when nothing does. The "
        "status is the one the trace gives."
    ),
    new_code_cell(SETUP + "\nfrom graph.read import mandates"),
    new_code_cell(
        "everything = mandates.register(store)\n"
        "print(len(everything.items), 'paragraphs:', everything.summary)\n"
        "for m in mandates.register(store, instrument='A/RES/60/227').items:\n"
        "    who = ', '.join(a.label for a in m.addressees) or '-'\n"
        "    print(f'{m.symbol} {m.id:<20} {m.verb or \"\":<10} {m.status:<12} {who}')"
    ),
    new_markdown_cell("## Coverage per instrument"),
    new_code_cell(
        "from graph.views.plots import status_chart\n"
        "found = mandates.coverage(store)\n"
        "for c in found:\n"
        "    print(f'{c.symbol:<22} {c.paragraphs:>2} paragraphs  {c.summary}')\n"
        "    if c.untraced:\n"
        "        print('   untraced:', ' '.join(m.id for m in c.untraced))\n"
        "    for link in c.unlinked:\n"
        "        print('   implements the instrument but no paragraph:', link.label)\n"
        "display(Image(status_chart([(c.symbol, c.summary) for c in found], "
        "plots / 'mandate_status.png', 'Paragraphs by status')))"
    ),
    new_markdown_cell(
        "## Shared mandates\n\nParagraphs addressed to several entities, and kinds of "
        "deliverable asked by several paragraphs or instruments (candidates for duplication)."
    ),
    new_code_cell(
        "for c in found:\n"
        "    for m in c.shared:\n"
        "        print(f'{m.symbol} {m.id}: ' + ', '.join(a.label for a in m.addressees))\n"
        "    for s in c.duplicates:\n"
        "        print(f'{c.symbol}: {s.kind} asked by ' + ', '.join(m.id for m in s.paragraphs))\n"
        "across = mandates.shared_across(store)\n"
        "print(len(across), 'kinds of deliverable asked by several instruments')\n"
        "for s in across:\n"
        "    print(f'  {s.kind}: ' + ', '.join(s.instruments))"
    ),
    new_markdown_cell("## IOM's mandates across instruments, and what each asks for"),
    new_code_cell(
        "for m in mandates.register(store, addressee='IOM').items:\n"
        "    asks = '; '.join(f'{d.kind} ({d.due or \"no date\"})' for d in m.deliverables)\n"
        "    print(f'{m.symbol:<22} {m.id:<22} {m.status:<12} {asks}')"
    ),
]


def write(name: str, cells: list[nbformat.NotebookNode]) -> Path:
    """Write one notebook (without outputs)."""
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    path = HERE / name
    nbformat.write(notebook, path)
    return path


if __name__ == "__main__":
    write("01_who_works_with_whom.ipynb", WHO)
    write("02_tracing_mandates.ipynb", TRACE)
    write("03_mandate_register.ipynb", REGISTER)
