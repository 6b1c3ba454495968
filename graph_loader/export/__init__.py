"""`imr-graph export`: flat tables from the graph or from parse output."""
