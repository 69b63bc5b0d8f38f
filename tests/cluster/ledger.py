"""After a storm: the database against what the services received, fact by fact."""

from __future__ import annotations

import sqlalchemy as sa

from idp.hashing import digest
from tests.cluster.citizen import Result
from tests.support import cluster as topology


def rows(connection, statement: str, **params) -> list:
    return connection.execute(sa.text(statement), params).all()


def check_nothing_lost_or_duplicated(cluster: topology.Cluster, results: list[Result]) -> None:
    completed = [r for r in results if r.completed]
    engine = cluster.engine()
    with engine.connect() as db:
        for result in completed:
            # The code the service redeemed exists once and is spent; the access token it holds
            # exists once, is live, and came from that code.
            codes = rows(
                db,
                "SELECT id, used_at FROM authorization_code WHERE code_hash = :h",
                h=digest(result.code),
            )
            assert len(codes) == 1 and codes[0].used_at is not None, result
            tokens = rows(
                db,
                "SELECT code_id, consent_id, revoked_at, person_id FROM token "
                "WHERE access_token_hash = :h",
                h=digest(result.tokens["access_token"]),
            )
            assert len(tokens) == 1, result
            token = tokens[0]
            assert token.code_id == codes[0].id and token.revoked_at is None, result
            # Its consent is stored, and is the person's one live consent for the service.
            grants = rows(
                db,
                "SELECT id FROM consent_grant WHERE person_id = :p AND client_id = :c "
                "AND revoked_at IS NULL",
                p=token.person_id,
                c=topology.CLIENT_ID,
            )
            assert [g.id for g in grants] == [token.consent_id], result
        # No code was redeemed twice, and no person holds two live consents for one service.
        assert rows(db, "SELECT code_id FROM token GROUP BY code_id HAVING COUNT(*) > 1") == []
        assert (
            rows(
                db,
                "SELECT person_id FROM consent_grant WHERE revoked_at IS NULL "
                "GROUP BY person_id, client_id HAVING COUNT(*) > 1",
            )
            == []
        )
        # Each token issued released its ID token's claims exactly once in the person's log,
        # in the same transaction: no release without a token, no token without its release.
        (issued,) = rows(db, "SELECT COUNT(*) FROM token")[0]
        (released,) = rows(db, "SELECT COUNT(*) FROM release_log_entry WHERE channel = 'id_token'")[
            0
        ]
        assert issued == released >= len(completed)
        (userinfo,) = rows(db, "SELECT COUNT(*) FROM release_log_entry WHERE channel = 'userinfo'")[
            0
        ]
        assert userinfo >= len(completed)
    engine.dispose()
    verified = cluster.silta("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert " 0 broken." in verified.stdout
