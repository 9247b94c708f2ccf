"""The squashed migrations of documents and records make what their chains make.

A new database runs each app's one squashed migration; a database that has applied part of a
chain finishes it with the original files. Both must end with the same tables, so the state
the chain leaves and the state the squash leaves must not differ by a single field, index,
constraint or label."""

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

SQUASHED = {
    "documents": "0001_squashed_0011",
    "records": "0001_squashed_0009",
}


def _state(replace: bool):
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=replace)
    return loader, loader.project_state()


def test_a_new_database_runs_the_squashed_migrations_only():
    loader, _ = _state(replace=True)
    for app, name in SQUASHED.items():
        assert (app, name) in loader.graph.nodes
        chain = loader.disk_migrations[(app, name)].replaces
        assert not any(node in loader.graph.nodes for node in chain), app


@pytest.mark.parametrize("app", sorted(SQUASHED))
def test_the_squash_replaces_the_whole_chain(app):
    """Every migration up to the squash's last is in it; those written after it (0012 on)
    follow it, on a new database and an old one alike."""
    loader, _ = _state(replace=False)
    last = SQUASHED[app].rsplit("_", 1)[1]  # "0011"
    chain = sorted(name for (label, name) in loader.disk_migrations if label == app)
    replaced = [name for (_, name) in loader.disk_migrations[(app, SQUASHED[app])].replaces]
    assert sorted(replaced) == [
        name for name in chain if name != SQUASHED[app] and name[:4] <= last
    ]


def test_the_chain_and_the_squash_leave_the_same_tables():
    _, by_chain = _state(replace=False)
    _, by_squash = _state(replace=True)
    for app in SQUASHED:
        chain = {key: model for key, model in by_chain.models.items() if key[0] == app}
        squash = {key: model for key, model in by_squash.models.items() if key[0] == app}
        assert chain.keys() == squash.keys()
        assert len(chain) == len(list(apps.get_app_config(app).get_models()))
        for key, model in chain.items():
            # ModelState compares every field as it deconstructs, the options (labels,
            # indexes, constraints), the bases and the managers; indexes and constraints in
            # any order, as the chain added them over time.
            assert _in_order(model) == _in_order(squash[key]), key


def _in_order(model):
    model = model.clone()
    for option in ("indexes", "constraints"):
        model.options[option] = sorted(model.options.get(option, []), key=lambda o: o.name)
    return model
