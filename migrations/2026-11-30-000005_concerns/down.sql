DROP TABLE concerns;
ALTER TABLE accounts DROP COLUMN safeguarding_lead;
