# One graph of a version dropped. SPARQL has no variables in graph management
# operations: the caller puts the graph's name in place of the placeholder
# (graph.querytext.fill).
DROP SILENT GRAPH <urn:mkg:param:graph>
