//! The access policy's SQL form, for the statements that decide many records at once (the
//! feed, the delta sync, push) and for the stories API's filter. Its rules live once, in
//! migration 000028: the views `person_viewers` (who may follow whom, and with which grants)
//! and `circle_grants` (a supporter's membership narrowed by consent, which the session facts
//! read too), and the functions `story_seen` and `comment_seen`. `auth::access` is the same
//! policy in Rust; `tests/api/policy.rs` asserts the two agree for every actor of the access
//! matrix's world on every person, story, comment and photo.

/// The caller in SQL, through their session: `$1` account, `$2` its session (as
/// `auth::session`'s `live_session!`: not revoked, not expired, the account not deactivated).
/// No row when the session has ended, so nothing joined to it is read.
macro_rules! me {
    () => {
        "WITH me AS (
    SELECT ac.id, ac.role, ac.organisation_id,
           ac.safeguarding_lead AND ac.role IN ('admin', 'coordinator') AS concerns_lead
      FROM sessions se JOIN accounts ac ON ac.id = se.account_id
     WHERE se.id = $2 AND se.account_id = $1 AND se.revoked_at IS NULL
       AND se.expires_at > now() AND ac.deactivated_at IS NULL
)"
    };
}

/// Background work (push): `$1` account, not deactivated, without a session.
macro_rules! me_background {
    () => {
        "WITH me AS (
    SELECT ac.id, ac.role, ac.organisation_id,
           ac.safeguarding_lead AND ac.role IN ('admin', 'coordinator') AS concerns_lead
      FROM accounts ac
     WHERE ac.id = $1 AND ac.deactivated_at IS NULL
)"
    };
}

/// `viewer`: the one person `$person`, if `me` may follow them, as `person_viewers` says
/// (`$1` is the account: a constant, so PostgreSQL takes each branch of the view by index).
macro_rules! viewer_person {
    ($person:literal) => {
        concat!(
            ",
viewer AS (
    SELECT v.person_id, v.preferred_name, v.person_account, v.member_id, v.full_view,
           v.profile, v.goals, v.stories, v.reviews, v.photos
      FROM me CROSS JOIN person_viewers v
     WHERE v.account_id = $1 AND v.person_id = ",
            $person,
            "
)"
        )
    };
}

/// `viewer`: everyone `me` may follow, as `person_viewers` says.
macro_rules! viewer_mine {
    () => {
        ",
viewer AS (
    SELECT v.person_id, v.preferred_name, v.person_account, v.member_id, v.full_view,
           v.profile, v.goals, v.stories, v.reviews, v.photos
      FROM me CROSS JOIN person_viewers v
     WHERE v.account_id = $1
)"
    };
}

pub(crate) use {me, me_background, viewer_mine, viewer_person};

diesel::define_sql_function! {
    /// Whether a viewer of `person` sees `story` (migration 000028): `account` and `member`
    /// are theirs, `full_view` and `stories` what `person_viewers` gives them, `drafts` whether
    /// their own stories still waiting for the person count (the stories API: yes).
    fn story_seen(
        story: diesel::sql_types::Uuid,
        person: diesel::sql_types::Uuid,
        account: diesel::sql_types::Uuid,
        member: diesel::sql_types::Nullable<diesel::sql_types::Uuid>,
        full_view: diesel::sql_types::Bool,
        stories: diesel::sql_types::Bool,
        drafts: diesel::sql_types::Bool,
    ) -> diesel::sql_types::Bool;
}
