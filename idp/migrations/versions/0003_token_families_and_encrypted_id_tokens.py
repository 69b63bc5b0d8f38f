"""token families and encrypted id tokens

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:05:38.923406
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_token_encrypted_response_alg', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('id_token_encrypted_response_enc', sa.String(length=20), nullable=True))

    with op.batch_alter_table('token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('rotated_at', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index(batch_op.f('ix_token_family_id'), ['family_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_token_family_id'))
        batch_op.drop_column('rotated_at')
        batch_op.drop_column('family_id')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('id_token_encrypted_response_enc')
        batch_op.drop_column('id_token_encrypted_response_alg')

