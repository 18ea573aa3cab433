"""Reading the graph: named queries, FILM references, a film's neighbourhood and its related films, memos."""
