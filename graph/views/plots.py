"""PNG plots of analytics results (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from graph.read.analytics import CENTRALITIES, Cosponsor, Pair, Score


def draw(measure: str, items: Sequence[Any], out: Path) -> Path | None:
    """A registered measure's items as a PNG, for the measures that have a chart (None
    for the others): every centrality, the co-sponsor ranking and the pairs."""
    if measure in CENTRALITIES:
        return score_chart(items, measure, out)
    if measure == "cosponsors":
        return cosponsor_chart(items, out, "Top co-sponsors")
    if measure == "pairs":
        return pair_heatmap(items, out, "Strongest co-sponsorship pairs")
    return None


def bar_chart(
    names: Sequence[str], values: Sequence[float], title: str, xlabel: str, out: Path
) -> Path:
    """A horizontal bar chart, largest at the top."""
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(names) + 1)))
    ax.barh(list(reversed(names)), list(reversed(values)), color="#2b6c8f")
    return _finish(fig, ax, title, xlabel, out)


def _finish(fig: Any, ax: Any, title: str, xlabel: str, out: Path) -> Path:
    """Title, axis label and grid of a bar chart, then save it as PNG."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def cosponsor_chart(ranking: Sequence[Cosponsor], out: Path, title: str) -> Path:
    """Events organized per organization (joint events shaded darker)."""
    names = list(reversed([c.acronym or c.label for c in ranking]))
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(names) + 1)))
    ax.barh(names, [c.events for c in reversed(ranking)], color="#9cc3d5", label="all events")
    ax.barh(names, [c.joint_events for c in reversed(ranking)], color="#2b6c8f",
            label="with other organizers")  # fmt: skip
    ax.legend(loc="lower right")
    return _finish(fig, ax, title, "events organized", out)


def score_chart(scores: Sequence[Score], measure: str, out: Path) -> Path:
    """A centrality measure per organization."""
    return bar_chart(
        [s.org.acronym or s.org.label for s in scores],
        [s.score for s in scores],
        f"{measure} centrality in the co-sponsorship network",
        measure,
        out,
    )


def pair_heatmap(pairs: Sequence[Pair], out: Path, title: str) -> Path:
    """A heat map of shared events among the organizations of the strongest pairs."""
    names: list[str] = []
    for pair in pairs:
        for org in pair.orgs:
            label = org.acronym or org.label
            if label not in names:
                names.append(label)
    index = {n: i for i, n in enumerate(names)}
    grid = [[0] * len(names) for _ in names]
    for pair in pairs:
        a, b = (index[o.acronym or o.label] for o in pair.orgs)
        grid[a][b] = grid[b][a] = pair.shared_events
    size = max(4.0, 0.45 * len(names) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    image = ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=60, ha="right")
    ax.set_yticks(range(len(names)), names)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="events organized together")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def timeline(
    points: Sequence[tuple[str, str, str]], out: Path, title: str, max_label: int = 60
) -> Path:
    """Events over time, one row per group (paragraph), coloured by group.

    `points` are (ISO date, group, event label) triples.
    """
    import datetime as dt

    groups = sorted({g for _, g, _ in points}, key=lambda g: (len(g), g))
    colours = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(10, max(3.0, 0.6 * len(groups) + 1.5)))
    for index, group in enumerate(groups):
        dates = [
            matplotlib.dates.date2num(dt.date.fromisoformat(d[:10]))  # type: ignore[no-untyped-call]
            for d, g, _ in points
            if g == group
        ]
        ax.scatter(dates, [index] * len(dates), s=60, color=colours(index % 10), label=group,
                   zorder=3)  # fmt: skip
    ax.set_yticks(range(len(groups)), groups)
    ax.xaxis_date()
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


STATUS_COLOURS = {"implemented": "#2f9e55", "inferred": "#e8a317", "untraced": "#c9d1d9"}


def status_chart(counts: Sequence[tuple[str, dict[str, int]]], out: Path, title: str) -> Path:
    """Paragraphs per instrument, stacked by status (implemented, inferred, untraced)."""
    names = [name for name, _ in counts]
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(names) + 1)))
    left = [0] * len(names)
    for status, colour in STATUS_COLOURS.items():
        values = [c.get(status, 0) for _, c in counts]
        ax.barh(names, values, left=left, color=colour, label=status)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.legend(loc="lower right")
    return _finish(fig, ax, title, "paragraphs", out)
