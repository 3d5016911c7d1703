"""audit entries belong to an administration, so an organizer reads only their own

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("administration_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_entries_administration_id"), ["administration_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_audit_entries_administration_id_administrations"),
                                    "administrations", ["administration_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_audit_entries_administration_id_administrations"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_audit_entries_administration_id"))
        batch_op.drop_column("administration_id")
