# A graph of a version added, on the server, to the version's merged graph (placeholders:
# see drop_graph.ru).
ADD SILENT <urn:mkg:param:source> TO <urn:mkg:param:target>
