"""The store: the embedded and remote backends (graph.store.backend is what both
provide), their versions, the SPARQL gate and the .rq queries."""
