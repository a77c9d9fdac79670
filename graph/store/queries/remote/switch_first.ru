# switch.ru for the first version of a remote store: only if no pointer exists yet
# (?version and ?info: bound by the caller).
PREFIX meta: <urn:mkg:meta#>

INSERT {
  GRAPH <urn:mkg:meta> { <urn:mkg:meta> meta:current ?version . ?version meta:info ?info }
}
WHERE {
  GRAPH <urn:mkg:meta> { ?version meta:started ?started }
  FILTER NOT EXISTS { GRAPH <urn:mkg:meta> { <urn:mkg:meta> meta:current ?any } }
}
