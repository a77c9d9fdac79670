# Step 2 of a write: the new version's start record (?version and ?started: bound by the
# caller). A concurrent write's clean-up removes it, which stops this write's switch.
PREFIX meta: <urn:mkg:meta#>

INSERT { GRAPH <urn:mkg:meta> { ?version meta:started ?started } } WHERE { }
