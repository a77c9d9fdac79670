# Steps 4 and 5 of a write, in one update: the new version's GraphInfo, and the pointer
# moved to it, only if the pointer still names the version the write started from and
# the new version's start record is still there (?version, ?info and ?old: bound by the
# caller). Virtuoso ignores FILTER(!BOUND(?x)) after an OPTIONAL in an update's WHERE
# (it inserts nothing); FILTER (NOT) EXISTS works everywhere.
PREFIX meta: <urn:mkg:meta#>

DELETE { GRAPH <urn:mkg:meta> { <urn:mkg:meta> meta:current ?old } }
INSERT {
  GRAPH <urn:mkg:meta> { <urn:mkg:meta> meta:current ?version . ?version meta:info ?info }
}
WHERE {
  GRAPH <urn:mkg:meta> { ?version meta:started ?started }
  FILTER EXISTS { GRAPH <urn:mkg:meta> { <urn:mkg:meta> meta:current ?old } }
}
