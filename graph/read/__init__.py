"""The read side: what the API, the CLI and the pages ask of a built graph (catalog,
describe, trace, analytics, mandates, reconciliation, export), through one filters
object and one cache of derived results per graph version."""
