-- Outcome frameworks as data: framework → version (effective dates) → outcome areas →
-- outcome statements, each label in English and, where a Welsh text exists, Welsh. Seeded
-- frameworks (organisation_id NULL) are the service's and read-only; an organisation may
-- add its own. Wording not yet checked against its source carries status 'to_confirm'.
-- Seeded ids are derived from stable keys (md5 of a name, stamped as RFC 9562 version 8,
-- variant 10), so they are the same everywhere and valid to strict UUID validators.

CREATE TABLE frameworks (
    id               uuid PRIMARY KEY,
    organisation_id  uuid REFERENCES organisations (id),
    key              text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
    nation           text CHECK (nation IN ('wales', 'scotland', 'england')),
    name_en          text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
    name_cy          text CHECK (char_length(name_cy) BETWEEN 1 AND 200),
    source           text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 500),
    status           text NOT NULL CHECK (status IN ('verified', 'to_confirm')),
    source_note      text CHECK (char_length(source_note) <= 1000),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX frameworks_key
    ON frameworks (COALESCE(organisation_id, '00000000-0000-0000-0000-000000000000'), key);

CREATE TABLE framework_versions (
    id              uuid PRIMARY KEY,
    framework_id    uuid NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    label           text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
    -- NULL: in force, its start not recorded (said in the framework's source_note).
    effective_from  date,
    effective_to    date,
    CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to > effective_from),
    UNIQUE (framework_id, label)
);

CREATE TABLE outcome_areas (
    id          uuid PRIMARY KEY,
    version_id  uuid NOT NULL REFERENCES framework_versions (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (char_length(code) BETWEEN 1 AND 40),
    label_en    text NOT NULL CHECK (char_length(label_en) BETWEEN 1 AND 500),
    label_cy    text CHECK (char_length(label_cy) BETWEEN 1 AND 500),
    -- Some areas are in law for children only, or adults only.
    applies_to  text NOT NULL DEFAULT 'all' CHECK (applies_to IN ('all', 'children', 'adults')),
    position    integer NOT NULL,
    UNIQUE (version_id, code)
);

CREATE TABLE outcome_statements (
    id        uuid PRIMARY KEY,
    area_id   uuid NOT NULL REFERENCES outcome_areas (id) ON DELETE CASCADE,
    code      text NOT NULL CHECK (char_length(code) BETWEEN 1 AND 40),
    label_en  text NOT NULL CHECK (char_length(label_en) BETWEEN 1 AND 500),
    label_cy  text CHECK (char_length(label_cy) BETWEEN 1 AND 500),
    position  integer NOT NULL,
    UNIQUE (area_id, code)
);

-- Seeding helpers: a framework with one version, its areas, their statements.
CREATE OR REPLACE FUNCTION pg_temp.seed_id(text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
    $$ SELECT overlay(overlay(md5('camau/' || $1) placing '8' from 13 for 1)
                      placing '8' from 17 for 1)::uuid $$;

INSERT INTO frameworks (id, key, nation, name_en, name_cy, source, status, source_note) VALUES
(pg_temp.seed_id('framework/wales-sswba-2014'), 'wales-sswba-2014', 'wales',
 'Well-being areas (Social Services and Well-being (Wales) Act 2014, s.2)', NULL,
 'legislation.gov.uk, anaw/2014/4/section/2 (English and Welsh texts)', 'verified',
 'Area labels verified in English and Welsh. The framework''s own Welsh title and the version''s start date are not recorded.'),
(pg_temp.seed_id('framework/wales-nof'), 'wales-nof', 'wales',
 'National Outcomes Framework: well-being statement ("I" statements)', NULL,
 'Welsh Government well-being statement (2016); framework document WG36877 (2019)', 'to_confirm',
 'Wording of the "I" statements to confirm against the statement; no Welsh wording found, so English is served. Start date not recorded.'),
(pg_temp.seed_id('framework/scotland-nhwo'), 'scotland-nhwo', 'scotland',
 'National Health and Wellbeing Outcomes', NULL,
 'gov.scot', 'verified', 'Effective date not recorded.'),
(pg_temp.seed_id('framework/scotland-shanarri'), 'scotland-shanarri', 'scotland',
 'Getting it right for every child: wellbeing indicators (SHANARRI)', NULL,
 'gov.scot (GIRFEC)', 'to_confirm', 'Effective date not recorded.'),
(pg_temp.seed_id('framework/england-ascof'), 'england-ascof', 'england',
 'Adult Social Care Outcomes Framework', NULL,
 'gov.uk ASCOF handbook (2023 onward: 6 objectives)', 'verified',
 'Objective names verified; the 2023 version''s start date is not recorded.'),
(pg_temp.seed_id('framework/england-csc-national'), 'england-csc-national', 'england',
 'Children''s social care national framework: outcomes', NULL,
 'Department for Education, Children''s social care national framework (2023)', 'to_confirm',
 'Effective date not recorded.');

INSERT INTO framework_versions (id, framework_id, label, effective_from) VALUES
(pg_temp.seed_id('version/wales-sswba-2014'), pg_temp.seed_id('framework/wales-sswba-2014'), '2014 Act', NULL),
(pg_temp.seed_id('version/wales-nof-2016'), pg_temp.seed_id('framework/wales-nof'), '2016 well-being statement', NULL),
(pg_temp.seed_id('version/scotland-nhwo'), pg_temp.seed_id('framework/scotland-nhwo'), '9 outcomes', NULL),
(pg_temp.seed_id('version/scotland-shanarri'), pg_temp.seed_id('framework/scotland-shanarri'), '8 indicators', NULL),
(pg_temp.seed_id('version/england-ascof-2023'), pg_temp.seed_id('framework/england-ascof'), '2023 onward', NULL),
(pg_temp.seed_id('version/england-csc-2023'), pg_temp.seed_id('framework/england-csc-national'), '2023', NULL);

INSERT INTO outcome_areas (id, version_id, code, label_en, label_cy, applies_to, position)
SELECT pg_temp.seed_id('area/' || v || '/' || a.code), pg_temp.seed_id('version/' || v),
       a.code, a.en, a.cy, a.applies_to, a.position
  FROM (VALUES
    ('wales-sswba-2014', 'a', 'physical and mental health and emotional well-being', 'iechyd corfforol, iechyd meddwl a llesiant emosiynol', 'all', 1),
    ('wales-sswba-2014', 'b', 'protection from abuse and neglect', 'amddiffyn rhag camdriniaeth ac esgeulustod', 'all', 2),
    ('wales-sswba-2014', 'c', 'education, training and recreation', 'addysg, hyfforddiant a gweithgareddau hamdden', 'all', 3),
    ('wales-sswba-2014', 'd', 'domestic, family and personal relationships', 'perthnasoedd domestig, teuluol a phersonol', 'all', 4),
    ('wales-sswba-2014', 'e', 'contribution made to society', 'cyfraniad a wneir at y gymdeithas', 'all', 5),
    ('wales-sswba-2014', 'f', 'securing rights and entitlements', 'sicrhau hawliau a hawlogaethau', 'all', 6),
    ('wales-sswba-2014', 'g', 'social and economic well-being', 'llesiant cymdeithasol ac economaidd', 'all', 7),
    ('wales-sswba-2014', 'h', 'suitability of living accommodation', 'addasrwydd llety preswyl', 'all', 8),
    ('wales-sswba-2014', 'child-a', 'physical, intellectual, emotional, social and behavioural development', 'datblygiad corfforol, deallusol, emosiynol, cymdeithasol ac ymddygiadol', 'children', 9),
    ('wales-sswba-2014', 'child-b', 'welfare, as in the Children Act 1989', 'lles', 'children', 10),
    ('wales-sswba-2014', 'adult-a', 'control over day to day life', 'rheolaeth ar fywyd pob dydd', 'adults', 11),
    ('wales-sswba-2014', 'adult-b', 'participation in work', 'cymryd rhan mewn gwaith', 'adults', 12),
    -- The NOF groups its statements by the Act's areas (labels as verified there).
    ('wales-nof-2016', 'f', 'securing rights and entitlements (adults: and control over day-to-day life)', NULL, 'all', 1),
    ('wales-nof-2016', 'a', 'physical and mental health and emotional well-being (children: and development)', NULL, 'all', 2),
    ('wales-nof-2016', 'b', 'protection from abuse and neglect', 'amddiffyn rhag camdriniaeth ac esgeulustod', 'all', 3),
    ('wales-nof-2016', 'c', 'education, training and recreation', 'addysg, hyfforddiant a gweithgareddau hamdden', 'all', 4),
    ('wales-nof-2016', 'd', 'domestic, family and personal relationships', 'perthnasoedd domestig, teuluol a phersonol', 'all', 5),
    ('wales-nof-2016', 'e', 'contribution made to society', 'cyfraniad a wneir at y gymdeithas', 'all', 6),
    ('wales-nof-2016', 'g', 'social and economic well-being (adults: and participation in work)', NULL, 'all', 7),
    ('wales-nof-2016', 'h', 'suitability of living accommodation', 'addasrwydd llety preswyl', 'all', 8),
    ('scotland-nhwo', '1', 'People are able to look after and improve their own health and wellbeing and live in good health for longer.', NULL, 'all', 1),
    ('scotland-nhwo', '2', 'People, including those with disabilities or long term conditions, or who are frail, are able to live, as far as reasonably practicable, independently and at home or in a homely setting in their community.', NULL, 'all', 2),
    ('scotland-nhwo', '3', 'People who use health and social care services have positive experiences of those services, and have their dignity respected.', NULL, 'all', 3),
    ('scotland-nhwo', '4', 'Health and social care services are centred on helping to maintain or improve the quality of life of people who use those services.', NULL, 'all', 4),
    ('scotland-nhwo', '5', 'Health and social care services contribute to reducing health inequalities.', NULL, 'all', 5),
    ('scotland-nhwo', '6', 'People who provide unpaid care are supported to look after their own health and wellbeing, including to reduce any negative impact of their caring role on their own health and well-being.', NULL, 'all', 6),
    ('scotland-nhwo', '7', 'People who use health and social care services are safe from harm.', NULL, 'all', 7),
    ('scotland-nhwo', '8', 'People who work in health and social care services feel engaged with the work they do and are supported to continuously improve the information, support, care and treatment they provide.', NULL, 'all', 8),
    ('scotland-nhwo', '9', 'Resources are used effectively and efficiently in the provision of health and social care services.', NULL, 'all', 9),
    ('scotland-shanarri', 'safe', 'Safe', NULL, 'children', 1),
    ('scotland-shanarri', 'healthy', 'Healthy', NULL, 'children', 2),
    ('scotland-shanarri', 'achieving', 'Achieving', NULL, 'children', 3),
    ('scotland-shanarri', 'nurtured', 'Nurtured', NULL, 'children', 4),
    ('scotland-shanarri', 'active', 'Active', NULL, 'children', 5),
    ('scotland-shanarri', 'respected', 'Respected', NULL, 'children', 6),
    ('scotland-shanarri', 'responsible', 'Responsible', NULL, 'children', 7),
    ('scotland-shanarri', 'included', 'Included', NULL, 'children', 8),
    ('england-ascof-2023', 'quality-of-life', 'Quality of life', NULL, 'adults', 1),
    ('england-ascof-2023', 'independence', 'Independence', NULL, 'adults', 2),
    ('england-ascof-2023', 'empowerment', 'Empowerment – information and advice', NULL, 'adults', 3),
    ('england-ascof-2023', 'safety', 'Safety', NULL, 'adults', 4),
    ('england-ascof-2023', 'social-connections', 'Social connections', NULL, 'adults', 5),
    ('england-ascof-2023', 'continuity-quality', 'Continuity and quality of care', NULL, 'adults', 6),
    ('england-csc-2023', '1', 'Children, young people and families stay together and get the help they need.', NULL, 'children', 1),
    ('england-csc-2023', '2', 'Children and young people are supported by their family network.', NULL, 'children', 2),
    ('england-csc-2023', '3', 'Children and young people are safe in and outside of their homes.', NULL, 'children', 3),
    ('england-csc-2023', '4', 'Children in care and care leavers have stable, loving homes.', NULL, 'children', 4)
  ) AS a (v, code, en, cy, applies_to, position);

INSERT INTO outcome_statements (id, area_id, code, label_en, position)
SELECT pg_temp.seed_id('statement/wales-nof-2016/' || s.area || '/' || s.position),
       pg_temp.seed_id('area/wales-nof-2016/' || s.area), s.area || '.' || s.position, s.en, s.position
  FROM (VALUES
    ('f', 1, 'I know and understand what care, support and opportunities are available and use these to help me achieve my well-being'),
    ('f', 2, 'I can access the right information, when I need it, in the way I want it and use this to manage and improve my well-being'),
    ('f', 3, 'I am treated with dignity and respect and treat others the same'),
    ('f', 4, 'My voice is heard and listened to'),
    ('f', 5, 'My individual circumstances are considered'),
    ('f', 6, 'I speak for myself and contribute to the decisions that affect my life, or have someone who can do it for me'),
    ('a', 1, 'I am healthy and active and do things to keep myself healthy'),
    ('a', 2, 'I am happy and do the things that make me happy'),
    ('a', 3, 'I get the right care and support, as early as possible'),
    ('b', 1, 'I am safe and protected from abuse and neglect'),
    ('b', 2, 'I am supported to protect the people that matter to me from abuse and neglect'),
    ('b', 3, 'I am informed about how to make my concerns known'),
    ('c', 1, 'I can learn and develop to my full potential'),
    ('c', 2, 'I do the things that matter to me'),
    ('d', 1, 'I belong'),
    ('d', 2, 'I contribute to and enjoy safe and healthy relationships'),
    ('e', 1, 'I engage and make a contribution to my community'),
    ('e', 2, 'I feel valued in society'),
    ('g', 1, 'I contribute towards my social life and can be with the people that I choose'),
    ('g', 2, 'I do not live in poverty'),
    ('g', 3, 'I am supported to work'),
    ('g', 4, 'I get the help I need to grow up and be independent'),
    ('g', 5, 'I get care and support through the Welsh language if I want it'),
    ('h', 1, 'I live in a home that best supports me to achieve my well-being')
  ) AS s (area, position, en);

DROP FUNCTION pg_temp.seed_id(text);
