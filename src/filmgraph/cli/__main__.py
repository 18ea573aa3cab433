"""`python -m filmgraph.cli`: the `filmgraph` command."""

from . import main

main()
