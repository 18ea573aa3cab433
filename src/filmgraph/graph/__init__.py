"""The graph: records and their resolution become triples (build: the only writer), checked against the shapes
(validate), with the SPARQL Update texts that keep the union view exact (union)."""
