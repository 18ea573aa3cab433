"""Pages for a person with a browser: offline API docs, a film explorer and a SPARQL query page.

`routes.install(app, service)` mounts them on the service's app; `jobs.JOBS` are the worker jobs they need
beyond the JSON lookups' (the service registers them). Kept free of imports so the service can import
`pages.jobs` at start-up without a cycle.
"""
