"""card challenges, DPoP binding, client_secret_jwt secrets

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:56:40.303372
"""

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('card_challenge',
    sa.Column('challenge', sa.String(length=64), nullable=False),
    sa.Column('interaction_uid', sa.String(length=43), nullable=False),
    sa.Column('created_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('expires_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('used_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('challenge')
    )
    with op.batch_alter_table('card_challenge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_challenge_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_challenge_interaction_uid'), ['interaction_uid'], unique=False)

    with op.batch_alter_table('authorization_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dpop_jkt', sa.String(length=43), nullable=True))

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_secret_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('dpop_bound_access_tokens', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dpop_jkt', sa.String(length=43), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('token', schema=None) as batch_op:
        batch_op.drop_column('dpop_jkt')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('dpop_bound_access_tokens')
        batch_op.drop_column('client_secret_encrypted')

    with op.batch_alter_table('authorization_code', schema=None) as batch_op:
        batch_op.drop_column('dpop_jkt')

    with op.batch_alter_table('card_challenge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_challenge_interaction_uid'))
        batch_op.drop_index(batch_op.f('ix_card_challenge_expires_at'))

    op.drop_table('card_challenge')
