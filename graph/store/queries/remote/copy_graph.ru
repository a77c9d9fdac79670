# A graph of the current version copied, on the server, into the version a load writes
# (placeholders: see drop_graph.ru).
COPY SILENT <urn:mkg:param:source> TO <urn:mkg:param:target>
