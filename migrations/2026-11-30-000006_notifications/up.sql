-- Push notifications: the phones people and supporters register, their preferences, and an
-- outbox. A trigger queues a job for each activity in the same transaction; a worker turns
-- each job into one notification per device of everyone who may see the activity (by the
-- feed's own rule), and sends them with retries.

CREATE TABLE push_devices (
    id                  uuid PRIMARY KEY,
    account_id          uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    platform            text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
    -- A keyed fingerprint of the push token: one row per phone, whoever registers it last.
    token_hash          bytea NOT NULL UNIQUE,
    token_sealed        bytea NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_devices_account_idx ON push_devices (account_id);

CREATE TABLE notification_settings (
    account_id   uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- Quiet hours in Europe/London time: nothing is sent from `quiet_from` to `quiet_until`.
    quiet_from   time,
    quiet_until  time,
    CHECK ((quiet_from IS NULL) = (quiet_until IS NULL))
);

CREATE TABLE muted_people (
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, person_id)
);

CREATE TABLE notification_jobs (
    activity_id  uuid PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION queue_notification_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notification_jobs (activity_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER activities_queue_notifications AFTER INSERT ON activities
    FOR EACH ROW EXECUTE FUNCTION queue_notification_job();

CREATE TABLE notifications (
    id               uuid PRIMARY KEY,
    activity_id      uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    device_id        uuid NOT NULL REFERENCES push_devices (id) ON DELETE CASCADE,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    -- Given up (dead-lettered) after too many attempts.
    failed_at        timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (activity_id, device_id)
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
