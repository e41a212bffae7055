DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT DISTINCT event_object_table FROM information_schema.triggers
              WHERE trigger_name = 'audit_required' AND trigger_schema = current_schema()
    LOOP
        EXECUTE format('DROP TRIGGER audit_required ON %I', t);
    END LOOP;
END $$;
DROP FUNCTION audit_required();
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_no_update ON audit_events;
DROP FUNCTION audit_events_append_only();
DROP INDEX audit_events_actor_idx;
DROP INDEX audit_events_person_idx;
ALTER TABLE audit_events DROP COLUMN request_id, DROP COLUMN actor_role, DROP COLUMN person_id;
ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_actor_account_id_fkey FOREIGN KEY (actor_account_id) REFERENCES accounts (id);
