"""Views of the read side: the network, timeline and trace layouts, plots and
notebooks."""
