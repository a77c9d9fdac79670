"""How good the automatic parts are, measured against the curated facts."""

from __future__ import annotations

from dataclasses import dataclass

from graph.build import Extraction
from graph.linker import precision_recall


@dataclass(frozen=True)
class Quality:
    """Extractor recall per kind of fact, and the linker's precision and recall."""

    recall: dict[str, float]
    counts: dict[str, tuple[int, int]]
    linker_precision: float
    linker_recall: float
    linker_links: int
    reviewed_links: int
    candidates: int

    def table(self) -> str:
        """A plain-text report."""
        lines = [f"{'facts':<14}{'found':>8}{'curated':>9}{'recall':>9}"]
        for kind, (found, total) in sorted(self.counts.items()):
            lines.append(f"{kind:<14}{found:>8}{total:>9}{self.recall[kind]:>9.2f}")
        lines.append(
            f"linker: {self.linker_links} inferred event links, {self.reviewed_links} reviewed; "
            f"precision {self.linker_precision:.2f}, recall {self.linker_recall:.2f}"
        )
        lines.append(f"unreviewed meeting candidates: {self.candidates}")
        return "\n".join(lines)


def measure(extraction: Extraction) -> Quality:
    """Recall of the extractors (curated facts they also found) and the linker's P/R."""
    kinds = {key.split(":")[0] for key in extraction.facts.confirmed}
    counts: dict[str, tuple[int, int]] = {}
    for kind in kinds:
        found = extraction.facts.confirmed.get(f"{kind}:extracted", 0)
        total = found + extraction.facts.confirmed.get(f"{kind}:curated", 0)
        counts[kind] = (found, total)
    reviewed = {(e, p) for e, p in extraction.facts.curated_links if "/event/" in str(e)}
    inferred = {(link.event, link.paragraph) for link in extraction.inferred}
    precision, recall = precision_recall(inferred, reviewed)
    return Quality(
        recall={k: (f / t if t else 0.0) for k, (f, t) in counts.items()},
        counts=counts,
        linker_precision=precision,
        linker_recall=recall,
        linker_links=len(inferred),
        reviewed_links=len(reviewed),
        candidates=len(extraction.facts.candidates),
    )
