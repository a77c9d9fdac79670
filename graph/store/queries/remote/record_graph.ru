# One of a version's graphs, recorded before any of its data is written, so that a write
# killed midway leaves records that let the next write find and drop it (?version and
# ?graph: bound by the caller).
PREFIX meta: <urn:mkg:meta#>

INSERT { GRAPH <urn:mkg:meta> { ?version meta:graph ?graph } } WHERE { }
