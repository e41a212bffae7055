DROP TRIGGER sync_erased ON people;
DROP FUNCTION sync_erased();
DROP TABLE sync_erasures;
DROP TRIGGER sync_consent ON consents;
DROP FUNCTION sync_consent();
ALTER TABLE sync_log DROP COLUMN withdrawn;
