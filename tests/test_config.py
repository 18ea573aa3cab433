"""The one settings table: every setting is a field, read from its environment variable and coerced."""

from __future__ import annotations

from dataclasses import fields

from filmgraph.config import SETTINGS, Settings


def test_every_setting_is_a_field_with_the_table_default() -> None:
    names = {f.name for f in fields(Settings)}
    defaults = Settings()
    for setting in SETTINGS:
        assert setting.name in names
        assert getattr(defaults, setting.name) == setting.default
        assert setting.env.startswith("FILMGRAPH_") and setting.help


def test_environment_values_are_coerced_to_the_type_of_the_default() -> None:
    settings = Settings.from_env({"FILMGRAPH_STORE": "memory", "FILMGRAPH_QUERY_TIMEOUT": "2.5",
                                  "FILMGRAPH_HTTP_WORKERS": "4", "FILMGRAPH_ALLOW_UPDATE": "yes",
                                  "FILMGRAPH_BASE_IRI": ""})
    assert settings.store == "memory"
    assert settings.query_timeout_s == 2.5
    assert settings.http_workers == 4
    assert settings.allow_update is True
    assert settings.base_iri == "https://w3id.org/filmgraph/id/"  # an empty variable keeps the default


def test_overrides_ignore_unknown_and_unset_values() -> None:
    settings = Settings().with_(store="memory", base_iri=None, no_such_setting=1)
    assert settings.store == "memory"
    assert settings.base_iri == Settings().base_iri
