"""Turning a corpus into a published graph: build, validation, ingest and the
measurement of extraction quality."""
