"""Synthetic corpora for benchmarks: N-Quads shaped like the real graph, at any size.

    python benchmarks/synth.py --events 100000 --seed 1 --out /tmp/synth.nq \\
        [--orgs M] [--instruments K]

Organizations get a heavy-tailed popularity (a few organize most events, as IOM does
here); each event has one to four organizers, a date between 2000 and 2025, a venue and
a theme; instruments have paragraphs that some events implement. Deterministic per seed.
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

BASE = "https://w3id.org/migration-kg/id/"
MKG = "https://w3id.org/migration-kg/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
SUBJECT = "<http://purl.org/dc/terms/subject>"
DATE = "<http://www.w3.org/2001/XMLSchema#date>"
TYPES = ("UNEntity", "Government", "NGO", "IntergovernmentalOrganization", "Foundation")
THEMES = ("labour-migration", "remittances", "diasporas", "gender", "health", "human-rights")
CITIES = ("new-york", "geneva", "brussels", "bangkok", "dakar", "lima", "rabat", "beirut")


def generate(events: int, orgs: int, instruments: int, seed: int, out: Path) -> int:
    """Write the corpus; returns the number of quads written."""
    rng = random.Random(seed)
    # cumulative weights: each draw is a bisection, not a pass over every organization
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(orgs)))
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        registry = f"<{BASE}graph/registry>"
        for i in range(orgs):
            org = f"<{BASE}org/SYN-{i}>"
            sink.write(f"{org} {RDF_TYPE} <{MKG}Organization> {registry} .\n")
            sink.write(f"{org} {RDF_TYPE} <{MKG}{TYPES[i % len(TYPES)]}> {registry} .\n")
            sink.write(f'{org} {PREF} "Synthetic organization {i}" {registry} .\n')
            count += 3
        for k in range(instruments):
            instrument = f"<{BASE}instrument/SYN-RES-{k}>"
            sink.write(f"{instrument} {RDF_TYPE} <{MKG}Instrument> {registry} .\n")
            for p in range(1, 11):
                paragraph = f"<{BASE}instrument/SYN-RES-{k}/op/{p}>"
                sink.write(f"{instrument} <{MKG}paragraph> {paragraph} {registry} .\n")
                sink.write(f'{paragraph} <{MKG}number> "{p}" {registry} .\n')
                count += 2
            count += 1
        docs = max(1, events // 1000)
        for e in range(events):
            graph = f"<{BASE}graph/doc/synthetic-{e % docs}>"
            event = f"<{BASE}event/syn-{e}>"
            day = f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            sink.write(f"{event} {RDF_TYPE} <{MKG}Event> {graph} .\n")
            sink.write(f'{event} {LABEL} "Synthetic meeting {e}" {graph} .\n')
            sink.write(f'{event} <https://schema.org/startDate> "{day}"^^{DATE} {graph} .\n')
            place = f"<{BASE}place/{rng.choice(CITIES)}>"
            theme = f"<https://w3id.org/migration-kg/theme/{rng.choice(THEMES)}>"
            sink.write(f"{event} <https://schema.org/location> {place} {graph} .\n")
            sink.write(f"{event} {SUBJECT} {theme} {graph} .\n")
            count += 5
            for org in set(rng.choices(range(orgs), cum_weights=cumulative, k=rng.randint(1, 4))):
                sink.write(f"{event} <{MKG}organizer> <{BASE}org/SYN-{org}> {graph} .\n")
                count += 1
            if instruments and rng.random() < 0.05:
                number = rng.randint(1, 10)
                target = f"<{BASE}instrument/SYN-RES-{rng.randrange(instruments)}/op/{number}>"
                sink.write(f"{event} <{MKG}implements> {target} {graph} .\n")
                count += 1
    return count


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--orgs", type=int, default=None, help="default: events / 20, at least 50")
    parser.add_argument("--instruments", type=int, default=20)
    args = parser.parse_args()
    orgs = args.orgs or max(50, args.events // 20)
    quads = generate(args.events, orgs, args.instruments, args.seed, args.out)
    print(f"{args.out}: {args.events} events, {orgs} organizations, {quads} quads")


if __name__ == "__main__":
    main()
