"""action items

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    """A timestamp column as UTCDateTime stores it."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("point", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("forum", sa.String(length=30), nullable=True),
        sa.Column("subgoal_indicator", sa.Text(), nullable=False),
        sa.Column("subgoal_target", sa.String(length=200), nullable=False),
        sa.Column("subgoal_current", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _when("created_at"), _when("updated_at"), _when("status_changed_at"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_items_event_unit", "action_items", ["event_id", "unit_id"])
    op.create_table(
        "action_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        _when("changed_at"),
        sa.ForeignKeyConstraint(["action_id"], ["action_items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_history_action_id", "action_history", ["action_id"])
    op.create_table(
        "action_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(["action_id"], ["action_items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_comments_action_id", "action_comments", ["action_id"])
    op.create_table(
        "action_notes",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action_items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "note_id"),
    )
    op.create_table(
        "action_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action_items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_themes_action_id", "action_themes", ["action_id"])
    op.create_index("ix_action_themes_theme_id", "action_themes", ["theme_id"])
    op.create_table(
        "feedback_links",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id"),
        sa.UniqueConstraint("token"),
    )
    op.create_table(
        "pending_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )


def downgrade():
    op.drop_table("pending_imports")
    op.drop_table("feedback_links")
    op.drop_index("ix_action_themes_theme_id", table_name="action_themes")
    op.drop_index("ix_action_themes_action_id", table_name="action_themes")
    op.drop_table("action_themes")
    op.drop_table("action_notes")
    op.drop_index("ix_action_comments_action_id", table_name="action_comments")
    op.drop_table("action_comments")
    op.drop_index("ix_action_history_action_id", table_name="action_history")
    op.drop_table("action_history")
    op.drop_index("ix_action_items_event_unit", table_name="action_items")
    op.drop_table("action_items")
