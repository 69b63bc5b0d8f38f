"""back-channel logout

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:31:23.518097
"""

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('logout_delivery',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('client_id', sa.String(length=100), nullable=False),
    sa.Column('session_sid', sa.String(length=43), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('attempts', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('next_attempt_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('delivered_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('logout_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logout_delivery_next_attempt_at'), ['next_attempt_at'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backchannel_logout_uri', sa.String(length=500), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('backchannel_logout_uri')

    with op.batch_alter_table('logout_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logout_delivery_next_attempt_at'))

    op.drop_table('logout_delivery')
