-- The audit trail of person-scoped data: every read and write, attributable to one person
-- (DSPT standard 4), kept append-only.

-- Audit rows outlive what they describe: an erased person's account and records go, the
-- record of who saw and changed them stays (ids only, no personal data). So no foreign key to
-- accounts or people from the trail, and nothing may cascade into it.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_account_id_fkey;
ALTER TABLE audit_events
    ADD COLUMN person_id uuid,
    ADD COLUMN actor_role text,
    ADD COLUMN request_id text;

-- A person's access log, an organisation's log by period, one actor's doings.
CREATE INDEX audit_events_person_idx ON audit_events (person_id, id) WHERE person_id IS NOT NULL;
CREATE INDEX audit_events_actor_idx ON audit_events (actor_account_id, id);

-- Append-only, for the application's own role too (it owns the table, so grants alone cannot
-- stop it): no UPDATE, DELETE or TRUNCATE. Only a migration that drops this trigger could.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;

-- No change to a person's record commits without its audit event: `audit::model` sets
-- `camau.audited` in the statement that writes the event, and this check runs at commit for
-- every changed row of every table about a person. A handler that forgets is refused by the
-- database, not discovered by an auditor.
CREATE FUNCTION audit_required() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('camau.audited', true), '') <> 'on' THEN
        RAISE EXCEPTION 'a change to % without its audit event', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOR t IN
        SELECT 'people' UNION
        SELECT c.table_name FROM information_schema.columns c
          JOIN information_schema.tables r
            ON r.table_schema = c.table_schema AND r.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND c.column_name = 'person_id'
           AND r.table_type = 'BASE TABLE' AND c.table_name <> 'audit_events'
    LOOP
        EXECUTE format(
            'CREATE CONSTRAINT TRIGGER audit_required AFTER INSERT OR UPDATE OR DELETE ON %I '
            'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_required()', t);
    END LOOP;
END $$;
