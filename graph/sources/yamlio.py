"""YAML reading shared by the manifest, registry and curation files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class TextDatesLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so pydantic validates them with their context."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely, dates left as strings."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=TextDatesLoader)
