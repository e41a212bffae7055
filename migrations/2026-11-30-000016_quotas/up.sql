-- Quotas (issue 11): how much of a limited thing (invitations, device codes, photo uploads,
-- comments) an organisation or a user has used in the current window, kept in PostgreSQL so
-- that every instance counts against the same number.
CREATE TABLE quotas (
    key             text PRIMARY KEY,
    used            integer NOT NULL,
    window_ends_at  timestamptz NOT NULL
);
CREATE INDEX quotas_window_idx ON quotas (window_ends_at);
