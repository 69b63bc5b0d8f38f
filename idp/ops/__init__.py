"""Operations: serving, workers, metrics, logs, request ids, health, database migrations."""
