-- Resumable photo uploads (issue 11, tus 1.0): a photo sent in parts over a weak signal. The
-- parts are sealed (they are the unstripped photo, location and all) and go when the photo is
-- stored, when the client ends the upload, or when it expires unfinished.
CREATE TABLE photo_uploads (
    id          uuid PRIMARY KEY,
    story_id    uuid NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    length      integer NOT NULL CHECK (length > 0),
    received    integer NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
    -- Set once the photo is stored: a retried last part is answered from here.
    photo_id    uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX photo_uploads_expiry_idx ON photo_uploads (expires_at);
CREATE INDEX photo_uploads_story_idx ON photo_uploads (story_id);

CREATE TABLE photo_upload_parts (
    upload_id    uuid NOT NULL REFERENCES photo_uploads (id) ON DELETE CASCADE,
    starts_at    integer NOT NULL,
    sealed       bytea NOT NULL,
    PRIMARY KEY (upload_id, starts_at)
);
