"""Migrations a running old release survives (docs/operations.md, "Migrations without downtime").

A deploy migrates while the previous release still serves: for a while old code runs against the
new schema. ``findings()`` walks every migration of this project's apps in order, with the
schema as it was before each operation, and names the operations that break the old release or
lock a table that may be large while the site writes to it:

* dropping or renaming a column or a table (the old release still reads and writes it);
* a NOT NULL column without a database default (``db_default``): the old release's INSERTs,
  which do not name it, fail; ``default=`` is Python-side only and does not help;
* NULL → NOT NULL, a changed column type, a shorter ``max_length`` (a table scan or rewrite
  under an exclusive lock, and old code may still write what is now refused);
* an index, a unique or foreign-key column, a constraint, a unique_together built on an existing
  table without CONCURRENTLY (writes wait for the whole build);
* raw SQL doing any of the above (DROP, RENAME, SET NOT NULL, ALTER … TYPE, CREATE INDEX without
  CONCURRENTLY, ADD … NOT NULL without DEFAULT).

Tables created in the same migration are new and empty: nothing on them is flagged. RunPython
cannot be read and is not flagged. The way through is two releases (expand, then contract) or
the concurrent operations; a finding that is safe for a reason the rules cannot see goes on the
allow-list in tests/core/test_migration_safety.py with that reason.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED


@dataclass(frozen=True)
class Finding:
    migration: str  # "app_label.0001_name"
    operation: str
    problem: str

    def __str__(self) -> str:
        return f"{self.migration}: {self.operation}: {self.problem}"


_SQL_RULES = [
    (re.compile(r"\bDROP\s+(TABLE|COLUMN)\b", re.I), "drops a table or column"),
    (re.compile(r"\bRENAME\b", re.I), "renames a table or column"),
    (re.compile(r"\bSET\s+NOT\s+NULL\b", re.I), "sets NOT NULL (a scan under lock)"),
    (re.compile(r"\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b", re.I), "changes a type"),
    (re.compile(r"\bCREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)", re.I),
     "builds an index without CONCURRENTLY"),
    (re.compile(r"\bADD\s+(COLUMN\s+)?\S+\s+[^,;]*\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b)", re.I),
     "adds a NOT NULL column without a DEFAULT"),
]  # fmt: skip


def _project_apps() -> set[str]:
    root = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if root in Path(config.path).resolve().parents and ".venv" not in config.path
    }


def _field_problems(field, *, existing_table: bool) -> list[str]:
    problems = []
    if field.many_to_many:
        return problems
    if not field.null and field.db_default is NOT_PROVIDED:
        problems.append(
            "a NOT NULL column without db_default: the old release's INSERTs fail "
            "(add it with db_default=…, or null=True and fill it, then NOT NULL later)"
        )
    if existing_table and (field.db_index or field.unique or field.is_relation):
        problems.append(
            "builds an index or a foreign key on an existing table under a lock that stops writes "
            "(add the column with db_index=False/db_constraint=False, then AddIndexConcurrently)"
        )
    return problems


# The same column either way (a one-to-one is a foreign key with a unique index).
_SAME_COLUMN = {"django.db.models.OneToOneField": "django.db.models.ForeignKey"}


def _alter_problems(old, new) -> list[str]:
    problems = []
    old_path, _, old_kwargs = old.deconstruct()[1:]
    new_path, _, new_kwargs = new.deconstruct()[1:]
    old_path, new_path = _SAME_COLUMN.get(old_path, old_path), _SAME_COLUMN.get(new_path, new_path)
    if (old.db_column or old.name) != (new.db_column or new.name):
        problems.append("renames a column the old release reads")
    if old_path != new_path:
        problems.append("changes the column's type (a table rewrite under an exclusive lock)")
    elif (new_kwargs.get("max_length") or 0) < (old_kwargs.get("max_length") or 0):
        problems.append("shortens the column (a scan under lock; old code may write longer)")
    if old.null and not new.null:
        problems.append("sets NOT NULL: a scan under lock, and the old release may write NULL")
    if (new.db_index and not old.db_index) or (new.unique and not old.unique):
        problems.append("builds an index without CONCURRENTLY (writes wait for it)")
    return problems


def _model_key(app_label: str, name: str) -> tuple[str, str]:
    return app_label, name.lower()


def operation_problems(app_label: str, op, state: ProjectState, created: set) -> list[str]:
    """What in one operation breaks the running old release (``state``: the schema before it;
    ``created``: the models this migration creates)."""
    if isinstance(op, migrations.SeparateDatabaseAndState):
        return [p for inner in op.database_operations
                for p in operation_problems(app_label, inner, state, created)]  # fmt: skip
    if isinstance(op, migrations.RunSQL):
        sql = op.sql if isinstance(op.sql, str) else " ".join(map(str, op.sql))
        return [why for rule, why in _SQL_RULES if rule.search(sql)]
    if isinstance(op, AddIndexConcurrently | RemoveIndexConcurrently | migrations.CreateModel):
        return []
    model = getattr(op, "model_name", None) or getattr(op, "name", "")
    existing = _model_key(app_label, model) not in created
    if isinstance(op, migrations.DeleteModel):
        return ["drops a table the old release reads"] if existing else []
    if isinstance(op, migrations.RenameModel | migrations.AlterModelTable):
        return ["renames a table the old release reads"] if existing else []
    if isinstance(op, migrations.RemoveField):
        return ["drops a column the old release reads"] if existing else []
    if isinstance(op, migrations.RenameField):
        return ["renames a column the old release reads"] if existing else []
    if not existing:
        return []
    if isinstance(op, migrations.AddField):
        return _field_problems(op.field, existing_table=True)
    if isinstance(op, migrations.AlterField):
        old = state.models[_model_key(app_label, op.model_name)].fields[op.name]
        return _alter_problems(old, op.field)
    if isinstance(op, migrations.AddIndex):
        return ["builds an index without CONCURRENTLY (use AddIndexConcurrently)"]
    if isinstance(op, migrations.AddConstraint):
        return ["adds a constraint that checks every row (or builds an index) under lock"]
    if isinstance(op, migrations.AlterUniqueTogether):
        before = state.models[_model_key(app_label, op.name)].options.get("unique_together", ())
        if set(op.unique_together or ()) - set(before or ()):
            return ["builds a unique index without CONCURRENTLY"]
    return []


def _plan(loader: MigrationLoader) -> list[tuple[str, str]]:
    ordered: list[tuple[str, str]] = []
    seen: set = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                ordered.append(key)
    return ordered


def findings() -> list[Finding]:
    """Every unsafe operation in this project's migrations, in the order they apply."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = _project_apps()
    state = ProjectState(real_apps=loader.unmigrated_apps)
    found = []
    for app_label, name in _plan(loader):
        migration = loader.graph.nodes[(app_label, name)]
        created = {
            _model_key(app_label, op.name)
            for op in migration.operations
            if isinstance(op, migrations.CreateModel)
        }
        for op in migration.operations:
            if app_label in ours:
                for problem in operation_problems(app_label, op, state, created):
                    found.append(Finding(f"{app_label}.{name}", op.describe(), problem))
            op.state_forwards(app_label, state)
    return found
