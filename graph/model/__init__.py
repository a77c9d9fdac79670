"""The model: namespaces, the one IRI minter, the statement record and its one writer,
and the controlled values read from the ontology. Imports nothing above it."""
