DROP FUNCTION consent_withheld(uuid, text);
DROP TABLE consents;
