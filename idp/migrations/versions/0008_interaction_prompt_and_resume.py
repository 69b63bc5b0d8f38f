"""interaction prompt, return_to and denied: the screens resume the protocol by a route

An interaction stored before this revision has none of them and reads as expired: a citizen in
the middle of a login during the upgrade starts again at the service (interactions live 15
minutes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prompt', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('return_to', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('denied', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_column('denied')
        batch_op.drop_column('return_to')
        batch_op.drop_column('prompt')
