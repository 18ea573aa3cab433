"""filmgraph: film reviews in, a linked, validated schema.org knowledge graph out."""

__version__ = "0.1.0"
