"""The README's Layout map matches the folders: every module and folder of `src/filmgraph/` is in it, and it
names nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGE = CHECKOUT / "src" / "filmgraph"


def mapped() -> list[str]:
    """The paths the map lists, each as `src/filmgraph/...` (folders end in `/`), from its indentation."""
    text = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    paths: list[str] = []
    stack: list[str] = []
    for line in block.splitlines():
        m = re.match(r"^( *)(\S+?(?:\.py|/))(?:\s|$)", line)
        if not m:
            continue
        depth = (len(m.group(1)) - 2) // 2
        stack = [*stack[:depth], m.group(2)]
        paths.append("".join(stack))
    return paths


def on_disk() -> set[str]:
    found = {f"src/filmgraph/{p.relative_to(PACKAGE)}" for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    found |= {f"src/filmgraph/{p.relative_to(PACKAGE)}/" for p in PACKAGE.rglob("*")
              if p.is_dir() and p.name != "__pycache__"}
    return found | {"src/filmgraph/"}


@pytest.mark.skipif(not PACKAGE.is_dir(), reason="needs the checkout's src/")
def test_the_readme_map_matches_the_folders() -> None:
    listed = mapped()
    assert len(listed) == len(set(listed)), "a path listed twice"
    missing, extra = sorted(on_disk() - set(listed)), sorted(set(listed) - on_disk())
    assert not missing and not extra, f"not in the README's map: {missing}; in the map but not on disk: {extra}"
