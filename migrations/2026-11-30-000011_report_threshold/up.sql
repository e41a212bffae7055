-- The smallest count an organisation's outcome reports show (NULL: the rules' default, 8, or 10
-- with children's services). A multiple of 5 from 10 to 100: coarse steps, so changing it and
-- asking again narrows no count below what the rounding already shows.
ALTER TABLE organisations ADD COLUMN report_threshold integer
    CHECK (report_threshold BETWEEN 10 AND 100 AND report_threshold % 5 = 0);
