"""rounds and host features

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    """Server-side round timing: when a pause began, paused seconds so far, minutes added."""
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_seconds", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("extra_minutes", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    """Drop the round timing columns."""
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_column("extra_minutes")
        batch_op.drop_column("paused_seconds")
        batch_op.drop_column("paused_at")
