"""signed userinfo

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:17:02.719344
"""

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('userinfo_signed_response_alg', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('userinfo_encrypted_response_alg', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('userinfo_encrypted_response_enc', sa.String(length=20), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('userinfo_encrypted_response_enc')
        batch_op.drop_column('userinfo_encrypted_response_alg')
        batch_op.drop_column('userinfo_signed_response_alg')

