-- Built concurrently (writers go on): a caseload's or a provider's rollup rows by person
-- (migration 000024). Outside a transaction, so one statement.
CREATE INDEX CONCURRENTLY IF NOT EXISTS kpi_reviews_person_idx ON kpi_reviews (person_id, held_on);
