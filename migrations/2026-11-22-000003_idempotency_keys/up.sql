-- Idempotency-Key: the first response to a create, replayed when a client retries it.
CREATE TABLE idempotency_keys (
    account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash  bytea NOT NULL,
    -- NULL while the first request is still being handled.
    status        integer,
    headers       jsonb,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
