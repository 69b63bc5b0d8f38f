"""Exit 0 if PostgreSQL answers at the given SQLAlchemy URL, else 1 (for the Makefile)."""

import sys

import sqlalchemy as sa


def main(url: str) -> int:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure means "no usable server"
        print(f"PostgreSQL check failed: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
