"""What the search tests share."""

from __future__ import annotations

import pytest

from search import indexing


@pytest.fixture
def indexed(demo_content, made_once):
    """The demo, indexed afresh (made once: tests/conftest.py ``made_once``)."""

    def rebuilt():
        indexing.rebuild()
        return demo_content

    return made_once("demo indexed", rebuilt)
