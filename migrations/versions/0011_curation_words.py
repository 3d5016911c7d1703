"""curations keep their summary as a key and its values, so the undo list is written in each reader's language

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("curations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("words", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("curations", schema=None) as batch_op:
        batch_op.drop_column("words")
