-- The web console's sign-ins. Each is a row of `sessions` (so sign-out everywhere, a password
-- change, deactivation and expiry end it as they end the app's) with the hash of the cookie
-- that carries it and when it was last used (the console's idle timeout). No refresh token:
-- the cookie is the only credential, and it never leaves the browser's cookie jar.
CREATE TABLE console_sessions (
    session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
