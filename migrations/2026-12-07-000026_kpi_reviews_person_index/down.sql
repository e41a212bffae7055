DROP INDEX CONCURRENTLY IF EXISTS kpi_reviews_person_idx;
