"""upstream logins

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:16:52.042658
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('upstream_login',
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('interaction_uid', sa.String(length=43), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('expires_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('used_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('state')
    )
    with op.batch_alter_table('upstream_login', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upstream_login_expires_at'), ['expires_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('upstream_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upstream_login_expires_at'))

    op.drop_table('upstream_login')
