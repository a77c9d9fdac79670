# Every record of a version, removed once its graphs are dropped (?version: bound by the
# caller).
DELETE { GRAPH <urn:mkg:meta> { ?version ?p ?o } }
WHERE { GRAPH <urn:mkg:meta> { ?version ?p ?o } }
