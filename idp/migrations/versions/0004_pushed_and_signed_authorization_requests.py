"""pushed and signed authorization requests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:11:02.485629
"""

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pushed_request',
    sa.Column('uri_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=100), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('used_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('uri_hash')
    )
    with op.batch_alter_table('pushed_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pushed_request_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_signed_request_object', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('require_pushed_authorization_requests', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('require_pushed_authorization_requests')
        batch_op.drop_column('require_signed_request_object')

    with op.batch_alter_table('pushed_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pushed_request_expires_at'))

    op.drop_table('pushed_request')
