"""The one settings table: defaults, help text, and the only reader of environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One documented setting with its environment variable."""

    name: str
    default: Any
    env: str
    help: str


#: The kinds of SPARQL server a remote store knows (`--server`, FILMGRAPH_SERVER; see `store.remote`);
#: ``generic`` uses standard SPARQL 1.1 only.
SERVER_KINDS = ("oxigraph", "fuseki", "virtuoso", "graphdb", "generic")

SETTINGS: tuple[Setting, ...] = (
    Setting("store", "./filmgraph-store", "FILMGRAPH_STORE",
            "Where the graph lives: a directory (embedded Oxigraph), 'memory', or an http(s) SPARQL endpoint."),
    Setting("base_iri", "https://w3id.org/filmgraph/id/", "FILMGRAPH_BASE_IRI",
            "Namespace under which filmgraph mints resource IRIs (film/, person/, review/ ...)."),
    Setting("authority_file", "", "FILMGRAPH_AUTHORITY",
            "Extra authority file (Turtle) of Wikidata/IMDb identifiers; the bundled one is always read."),
    Setting("query_timeout_s", 10.0, "FILMGRAPH_QUERY_TIMEOUT",
            "Time limit for one SPARQL query, in seconds."),
    Setting("query_result_limit", 10_000, "FILMGRAPH_QUERY_RESULT_LIMIT",
            "Largest number of result rows a query may return."),
    Setting("server", "", "FILMGRAPH_SERVER",
            "Kind of SPARQL server behind an http(s) store: oxigraph, fuseki, virtuoso, graphdb, or generic "
            "(standard SPARQL 1.1 only); empty: ask the server (its Server header), once."),
    Setting("update_url", "", "FILMGRAPH_UPDATE_URL",
            "SPARQL Update endpoint of a remote store (default: derived from the query URL)."),
    Setting("store_url", "", "FILMGRAPH_STORE_URL",
            "SPARQL Graph Store endpoint of a remote store (default: derived from the query URL)."),
    Setting("sparql_user", "", "FILMGRAPH_SPARQL_USER",
            "User name for a remote store (HTTP basic auth, or digest when the server asks for it)."),
    Setting("sparql_password", "", "FILMGRAPH_SPARQL_PASSWORD",
            "Password for FILMGRAPH_SPARQL_USER."),
    Setting("sparql_token", "", "FILMGRAPH_SPARQL_TOKEN",
            "Bearer token for a remote store (takes precedence over user and password)."),
    Setting("http_timeout_s", 30.0, "FILMGRAPH_HTTP_TIMEOUT",
            "Time limit for one HTTP request to a remote store, in seconds."),
    Setting("shacl_engine", "auto", "FILMGRAPH_SHACL_ENGINE",
            "SHACL engine: 'turbo' (pyshacl-turbo, a Rust engine), 'pyshacl' (the reference), or 'auto' "
            "(turbo when it is installed, else pyshacl). Both give the same reports (tests/test_validate_engines.py)."),
    # the HTTP service (filmgraph serve)
    Setting("allow_update", False, "FILMGRAPH_ALLOW_UPDATE",
            "Accept SPARQL Update on /sparql (also needs update_token and a matching bearer token)."),
    Setting("update_token", "", "FILMGRAPH_UPDATE_TOKEN",
            "Bearer token a SPARQL Update request must carry (Authorization: Bearer <token>)."),
    Setting("cors_origins", "", "FILMGRAPH_CORS_ORIGINS",
            "Origins allowed to call the HTTP service from a browser, comma-separated ('*' for any)."),
    Setting("allow_service", False, "FILMGRAPH_ALLOW_SERVICE",
            "Let /sparql queries use SERVICE (federated queries to other servers)."),
    Setting("allow_remote_from", False, "FILMGRAPH_ALLOW_REMOTE_FROM",
            "Let /sparql queries name FROM / FROM NAMED graphs that the store does not hold."),
    Setting("http_workers", 2, "FILMGRAPH_HTTP_WORKERS",
            "Worker processes for lookups, and again for /sparql queries (embedded on-disk store)."),
    Setting("cache_max_age_s", 60, "FILMGRAPH_CACHE_MAX_AGE",
            "Cache-Control max-age of JSON lookups, in seconds (they also carry an ETag)."),
)


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


_DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with `Settings.from_env()` and override with `with_(...)`.

    Every field's default comes from `SETTINGS`, the one table.
    """

    store: str = _DEFAULTS["store"]
    base_iri: str = _DEFAULTS["base_iri"]
    authority_file: str = _DEFAULTS["authority_file"]
    query_timeout_s: float = _DEFAULTS["query_timeout_s"]
    query_result_limit: int = _DEFAULTS["query_result_limit"]
    server: str = _DEFAULTS["server"]
    update_url: str = _DEFAULTS["update_url"]
    store_url: str = _DEFAULTS["store_url"]
    sparql_user: str = _DEFAULTS["sparql_user"]
    sparql_password: str = _DEFAULTS["sparql_password"]
    sparql_token: str = _DEFAULTS["sparql_token"]
    http_timeout_s: float = _DEFAULTS["http_timeout_s"]
    shacl_engine: str = _DEFAULTS["shacl_engine"]
    allow_update: bool = _DEFAULTS["allow_update"]
    update_token: str = _DEFAULTS["update_token"]
    cors_origins: str = _DEFAULTS["cors_origins"]
    allow_service: bool = _DEFAULTS["allow_service"]
    allow_remote_from: bool = _DEFAULTS["allow_remote_from"]
    http_workers: int = _DEFAULTS["http_workers"]
    cache_max_age_s: int = _DEFAULTS["cache_max_age_s"]
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = env.get(setting.env)
            values[setting.name] = setting.default if raw in (None, "") else _coerce(raw, setting.default)
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


#: Related-film discovery: how much one shared link of each kind counts (before hub damping, which divides
#: it by log(1 + the number of films the connecting node touches)). One table; `filmgraph.discover.related` reads it.
RELATION_WEIGHTS: dict[str, float] = {
    "director": 3.0,            # the same person directed both films
    "author": 2.0,              # the same person wrote both films
    "franchise": 3.0,           # both films belong to the same series
    "lead-actor": 2.0,          # the same person plays a named character in both films
    "actor": 1.0,               # the same person is credited as an actor in both films
    "character-actor": 1.0,     # the same person plays a named character in one and is credited in the other
    "mentioned-together": 1.5,  # one review is about or mentions both films
    "genre": 0.3,               # both films carry the genre (a weak link: never enough for a namesake)
    "keyword": 0.8,             # both films carry the keyword (a weak link, like genre)
    "co-liked": 8.0,            # liked by the same reviewers: times shared / (likers_a ** 0.5 * likers_b ** d)
}
# keyword and co-liked (and CO_LIKED_DAMPING below) were tuned on bench/eval_related.py's leave-one-out split
# (MovieLens x IMDb 5000), which holds directors, actors, genres and keywords only: the other weights keep
# their ratio to director and actor.

#: How much a co-liked film's own popularity damps "liked by the same reviewers": the link counts
#: shared likers / (likers(film) ** 0.5 * likers(candidate) ** CO_LIKED_DAMPING) (0.5: the cosine; higher
#: favours less popular films, so the most popular do not swamp the rest). `filmgraph.discover.related` reads it.
CO_LIKED_DAMPING: float = 0.7
