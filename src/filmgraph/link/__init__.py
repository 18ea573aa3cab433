"""Linking: every name a source gives becomes one canonical node (name keys, spellings, authority, resolve)."""
