-- The access policy's SQL form, written once (issue 22), for statements that decide many
-- records at once: the feed, the delta sync, push, and the stories API's filter; the session
-- facts read `circle_grants` too. src/auth/access.rs is the same policy in Rust.
-- tests/api/policy.rs holds both, and the feed and the sync, to one table of expected answers
-- taken from ACCESS-POLICY.md, for every actor of the access matrix's world.

-- A supporter's live circle membership and what it opens, narrowed by the person's consents:
-- once one is withdrawn the circle sees no more of it, from the next statement on.
CREATE VIEW circle_grants AS
SELECT cm.id AS member_id, cm.account_id, cm.person_id,
       cm.can_see_profile AS profile,
       cm.can_see_goals AS goals,
       cm.can_see_stories AND NOT consent_withheld(cm.person_id, 'circle_stories') AS stories,
       NOT consent_withheld(cm.person_id, 'circle_photos') AS photos,
       cm.can_see_reviews AS reviews,
       cm.can_encourage AS encourage,
       cm.can_contribute AS contribute
  FROM circle_members cm
  JOIN accounts ac ON ac.id = cm.account_id AND ac.role = 'supporter'
       AND ac.deactivated_at IS NULL
 WHERE cm.removed_at IS NULL;

-- Everyone an account may follow, and how: the admins and coordinators of the person's
-- organisation, their assigned mentors and the person themself see the whole record
-- (`full_view`); a supporter what their grants open. A deactivated account follows no one;
-- sessions are the caller's to check (`auth::session`, `auth::policy`'s `me`).
CREATE VIEW person_viewers AS
SELECT ac.id AS account_id, p.id AS person_id, p.preferred_name, p.account_id AS person_account,
       NULL::uuid AS member_id, true AS full_view, true AS profile, true AS goals,
       true AS stories, true AS photos, true AS reviews
  FROM accounts ac
  JOIN people p ON p.organisation_id = ac.organisation_id
 WHERE ac.role IN ('admin', 'coordinator') AND ac.deactivated_at IS NULL
UNION ALL
SELECT ac.id, p.id, p.preferred_name, p.account_id, NULL::uuid, true, true, true, true, true, true
  FROM mentor_assignments ma
  JOIN accounts ac ON ac.id = ma.mentor_id AND ac.role = 'mentor' AND ac.deactivated_at IS NULL
  JOIN people p ON p.id = ma.person_id AND p.organisation_id = ac.organisation_id
UNION ALL
SELECT ac.id, p.id, p.preferred_name, p.account_id, NULL::uuid, true, true, true, true, true, true
  FROM people p
  JOIN accounts ac ON ac.id = p.account_id AND ac.role = 'person' AND ac.deactivated_at IS NULL
UNION ALL
SELECT g.account_id, p.id, p.preferred_name, p.account_id, g.member_id, false, g.profile,
       g.goals, g.stories, g.photos, g.reviews
  FROM circle_grants g
  JOIN people p ON p.id = g.person_id;

-- Whether a viewer of `person` (a row of `person_viewers`: account, membership, full view, the
-- stories it opens) sees story `story`. The whole record's viewers see every story of the
-- person; a supporter sees one of the person's that no concern has hidden and that is either
-- theirs, still waiting for the person (`drafts`: the stories API shows these; the feed and
-- sync carry only what is published), or published for the whole circle or for chosen members
-- among whom they are, when their grants open stories. A story of anyone else: never.
CREATE FUNCTION story_seen(story uuid, person uuid, account uuid, member uuid,
                           full_view boolean, stories boolean, drafts boolean) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM stories s
         WHERE s.id = story_seen.story AND s.person_id = story_seen.person
           AND (full_view
                OR (s.hidden_at IS NULL
                    AND ((drafts AND s.status = 'pending'
                          AND s.author_account_id = story_seen.account)
                         OR (story_seen.stories AND s.status = 'published'
                             AND (s.audience = 'circle'
                                  OR (s.audience = 'members' AND EXISTS (
                                        SELECT 1 FROM story_audience sa
                                         WHERE sa.story_id = s.id
                                           AND sa.member_id = story_seen.member))))))));
END $$;

-- Whether the viewer of `person` sees comment `comment`: the whole record's viewers every one
-- of the person's; a supporter one of the person's that no one has hidden, on a story they
-- see or, when their grants open goals, on a goal or action.
CREATE FUNCTION comment_seen(comment uuid, person uuid, account uuid, member uuid,
                             full_view boolean, stories boolean, goals boolean, drafts boolean)
    RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    on_story uuid;
BEGIN
    SELECT c.story_id INTO on_story FROM comments c
     WHERE c.id = comment_seen.comment AND c.person_id = comment_seen.person
       AND (full_view OR c.hidden_at IS NULL);
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF full_view THEN
        RETURN true;
    END IF;
    IF on_story IS NULL THEN
        RETURN comment_seen.goals;
    END IF;
    RETURN story_seen(on_story, person, account, member, false, stories, drafts);
END $$;
