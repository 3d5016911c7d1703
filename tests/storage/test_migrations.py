"""The Alembic migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from cafe.extensions import db
from tests.conftest import make_app


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_migrations_match_the_models_and_downgrade_cleanly(db_url):
    app = make_app(db_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
