"""Where facts come from: the corpus, the registry of organizations, the curation
overlay and the linker. The extractors sit beside it, in graph.extract."""
