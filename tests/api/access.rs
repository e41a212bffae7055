//! The authorization matrix: every endpoint × every kind of actor, with the exact status each
//! must get (ACCESS-POLICY.md). An endpoint of the API without a row fails the test, and a
//! refused request must not leak the data it asked for.

use std::collections::BTreeSet;

use camau::auth::roles::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Actor, Org, PASSWORD, Person, Res, TestApp};

/// The actors, relative to a person P of provider organisation O.
const ACTORS: [&str; 13] = [
    "anon",
    "platform",
    "admin",
    "coord",
    "mentor",
    "mentor_other",
    "self",
    "person_other",
    "sup",
    "sup_nogrant",
    "sup_removed",
    "commissioner",
    "stranger",
];

pub(crate) struct World {
    pub(crate) o: Org,
    pub(crate) body: Org,
    pub(crate) p: Person,
    /// A member of staff of O (the target of staff endpoints).
    pub(crate) staff: Actor,
    pub(crate) mentor: Actor,
    pub(crate) actors: Vec<Option<Actor>>,
}

/// Records made fresh before each request, so one actor's change does not affect the next.
pub(crate) struct Targets {
    /// An open staff invitation of O.
    pub(crate) invitation: Uuid,
    /// An open device code and circle invitation of P.
    pub(crate) device_code: Uuid,
    pub(crate) circle_invitation: Uuid,
    pub(crate) member: Uuid,
    /// An achieved goal and a done action (open to encouragement).
    pub(crate) goal: Uuid,
    pub(crate) action: Uuid,
    pub(crate) review: Uuid,
    /// A published story of P's, written by P, for the circle, with one stored photo.
    pub(crate) story: Uuid,
    pub(crate) photo: Uuid,
    /// A comment on the story.
    pub(crate) comment: Uuid,
    /// An open concern about the story.
    pub(crate) concern: Uuid,
    /// A push device of the staff member `:M`.
    pub(crate) device: Uuid,
    /// An outcome code on the goal (the NOF's area b).
    pub(crate) goal_code: Uuid,
    /// A consent P gave (the circle seeing photos).
    pub(crate) consent: Uuid,
    /// A lifted hold on P (a standing one would refuse the erasure row) and an export of P's.
    pub(crate) hold: Uuid,
    pub(crate) export: Uuid,
    /// A resumable upload of P's to the story, 1000 bytes announced, none sent.
    pub(crate) upload: Uuid,
}

pub(crate) async fn world(app: &TestApp) -> World {
    let o = app.provider().await;
    let body = app.commissioning_body().await;
    let other = app.provider().await;
    app.sql(&format!(
        "INSERT INTO contracts (id, commissioning_body_id, provider_id, starts_on) \
         VALUES ('{}', '{}', '{}', '2026-04-01')",
        Uuid::now_v7(),
        body.id,
        o.id
    ))
    .await;
    let p = app.person(&o).await;
    let p2 = app.person(&o).await;
    let mentor = app.account(Some(&o), Role::Mentor).await;
    app.assign(&p, &mentor, &o).await;
    let (_, sup) = app.supporter(&p, &o, true).await;
    let (_, nogrant) = app.supporter(&p, &o, false).await;
    let (removed_member, removed) = app.supporter(&p, &o, true).await;
    app.sql(&format!(
        "UPDATE circle_members SET removed_at = now() WHERE id = '{removed_member}'"
    ))
    .await;
    let admin = app.admin(&o).await;
    app.sql(&format!(
        "UPDATE accounts SET safeguarding_lead = true WHERE id = '{}'",
        admin.id
    ))
    .await;
    let actors = vec![
        None,
        Some(app.platform_admin().await),
        Some(admin),
        Some(app.account(Some(&o), Role::Coordinator).await),
        Some(mentor.clone()),
        Some(app.account(Some(&o), Role::Mentor).await),
        Some(p.account.clone()),
        Some(p2.account.clone()),
        Some(sup),
        Some(nogrant),
        Some(removed),
        Some(app.account(Some(&body), Role::Commissioner).await),
        Some(app.admin(&other).await),
    ];
    World {
        staff: app.account(Some(&o), Role::Mentor).await,
        o,
        body,
        p,
        mentor,
        actors,
    }
}

pub(crate) async fn targets(app: &TestApp, w: &World) -> Targets {
    let (member, goal, action, review) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let (p, o, author) = (w.p.id, w.o.id, w.mentor.id);
    let (invitation, device_code, circle_invitation) =
        (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    app.sql(&format!(
        "INSERT INTO circle_members (id, person_id, organisation_id, name, relationship, email) \
           VALUES ('{member}', '{p}', '{o}', 'Member Secret-Name', 'friend', 'member-secret@example.org');
         INSERT INTO goals (id, person_id, organisation_id, title, lang, status, scale_id, author_account_id) \
           VALUES ('{goal}', '{p}', '{o}', 'Goal secret title', 'en', 'achieved', '01937a00-0000-7000-8000-000000000001', '{author}');
         INSERT INTO goal_actions (id, goal_id, person_id, organisation_id, description, owner, state, author_account_id, done_at) \
           VALUES ('{action}', '{goal}', '{p}', '{o}', 'Action secret words', 'person', 'accepted', '{author}', now());
         INSERT INTO reviews (id, person_id, organisation_id, held_on, person_took_part, lang, author_account_id, staff_notes, next_review_on) \
           VALUES ('{review}', '{p}', '{o}', '2026-06-01', true, 'en', '{author}', 'Staff-only secret note', '2026-07-01');
         INSERT INTO review_ratings (review_id, goal_id, person_id, organisation_id, value) \
           VALUES ('{review}', '{goal}', '{p}', '{o}', 3);
         INSERT INTO invitations (id, organisation_id, email, role, code_hash, expires_at) \
           VALUES ('{invitation}', '{o}', '{invitation}@example.org', 'mentor', '\\x{invitation_hex}', now() + interval '1 hour');
         INSERT INTO device_codes (id, person_id, organisation_id, code_hash, issued_by, expires_at) \
           VALUES ('{device_code}', '{p}', '{o}', '\\x{device_hex}', '{author}', now() + interval '10 minutes');
         INSERT INTO circle_invitations (id, member_id, person_id, organisation_id, code_hash, issued_by, expires_at) \
           VALUES ('{circle_invitation}', '{member}', '{p}', '{o}', '\\x{circle_hex}', '{author}', now() + interval '1 hour');",
        invitation_hex = invitation.simple(),
        device_hex = device_code.simple(),
        circle_hex = circle_invitation.simple(),
    ))
    .await;
    let (hold, export, upload) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (story, photo, comment, concern, device, goal_code, consent) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let person_account = w.p.account.id;
    app.sql(&format!(
        "INSERT INTO stories (id, person_id, organisation_id, body, lang, audience, author_account_id, author_kind, status) \
           VALUES ('{story}', '{p}', '{o}', 'Story secret words', 'en', 'circle', '{person_account}', 'person', 'published');
         INSERT INTO photos (id, story_id, person_id, organisation_id, width, height, uploaded_by, body_hash, stored_at) \
           VALUES ('{photo}', '{story}', '{p}', '{o}', 640, 480, '{person_account}', '\\x00', now());
         INSERT INTO comments (id, person_id, organisation_id, story_id, author_account_id, body, lang) \
           VALUES ('{comment}', '{p}', '{o}', '{story}', '{author}', 'Comment secret words', 'en');
         INSERT INTO activities (id, person_id, organisation_id, kind, actor_account_id, goal_id) \
           VALUES ('{}', '{p}', '{o}', 'goal_set', '{author}', '{goal}');
         INSERT INTO activities (id, person_id, organisation_id, kind, actor_account_id, review_id) \
           VALUES ('{}', '{p}', '{o}', 'review_held', '{author}', '{review}');
         INSERT INTO activities (id, person_id, organisation_id, kind, actor_account_id, story_id) \
           VALUES ('{}', '{p}', '{o}', 'story_posted', '{person_account}', '{story}');
         INSERT INTO push_devices (id, account_id, platform, token_hash, token_sealed) \
           VALUES ('{device}', '{staff}', 'ios', '\\x{device_hex}', '\\x00');
         INSERT INTO concerns (id, person_id, organisation_id, comment_id, raised_by, reason, hid_item) \
           VALUES ('{concern}', '{p}', '{o}', '{comment}', '{person_account}', 'Concern secret reason', false);
         INSERT INTO goal_codes (id, goal_id, person_id, organisation_id, area_id, coded_by) \
           VALUES ('{goal_code}', '{goal}', '{p}', '{o}', '0d86aa86-58d8-8e76-8621-43b18a8eb180', '{author}');
         UPDATE consents SET current = false WHERE person_id = '{p}' AND purpose = 'circle_photos';
         INSERT INTO consents (id, person_id, organisation_id, purpose, audience, decision, given_by, wording_version, recorded_by) \
           VALUES ('{consent}', '{p}', '{o}', 'circle_photos', 'circle', 'given', 'person', 'v1', '{person_account}');
         INSERT INTO legal_holds (id, person_id, organisation_id, reason, placed_by, lifted_at, lifted_by) \
           VALUES ('{hold}', '{p}', '{o}', 'complaint', '{person_account}', now(), '{person_account}');
         INSERT INTO exports (id, person_id, organisation_id, requested_by, status, ready_at, size_bytes, expires_at) \
           VALUES ('{export}', '{p}', '{o}', '{person_account}', 'ready', now(), 1, now() + interval '1 day');
         INSERT INTO photo_uploads (id, story_id, account_id, length, expires_at) \
           VALUES ('{upload}', '{story}', '{person_account}', 1000, now() + interval '1 day');",
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        device_hex = device.simple(),
        staff = w.staff.id,
    ))
    .await;
    for size in ["thumb", "display", "original"] {
        app.shared
            .state
            .storage
            .put_jpeg(
                &format!("photos/{photo}/{size}.jpg"),
                vec![0xFF, 0xD8, 0xFF, 0xD9],
            )
            .await
            .unwrap();
    }
    Targets {
        upload,
        hold,
        export,
        consent,
        goal_code,
        story,
        photo,
        comment,
        concern,
        device,
        invitation,
        device_code,
        circle_invitation,
        member,
        goal,
        action,
        review,
    }
}

type Body = fn(&World, &Targets) -> Option<Value>;

/// Row bodies that stand for a resumable upload's announcement and a part of it.
const TUS_CREATE: &str = "tus: announce 1000 bytes";
const TUS_PART: &str = "tus: 4 bytes at offset 0";

/// A row body naming this file is sent as the raw image.
const PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/images/clean.jpg"
);

struct Row {
    method: &'static str,
    /// The path as in the OpenAPI document.
    template: &'static str,
    /// The path requested: `:O` provider, `:B` commissioning body, `:M` staff member, `:P`
    /// person, `:C` circle member, `:G` goal, `:A` action, `:R` review.
    path: &'static str,
    body: Body,
    /// `If-Match` from this query's `version` (placeholders as in `path`).
    version_of: Option<&'static str>,
    expect: [u16; 13],
}

fn none(_: &World, _: &Targets) -> Option<Value> {
    None
}

/// The same status for every actor.
const fn all(status: u16) -> [u16; 13] {
    [status; 13]
}

/// Everyone signed in gets `status`; anonymous callers 401.
const fn signed_in(status: u16) -> [u16; 13] {
    let mut e = [status; 13];
    e[0] = 401;
    e
}

/// Person-scoped: statuses for admin, coord, assigned mentor, the person, a supporter with the
/// grant and one without; every other actor may not know the person exists (404).
const fn person(admin: u16, coord: u16, mentor: u16, me: u16, sup: u16, nogrant: u16) -> [u16; 13] {
    [
        401, 404, admin, coord, mentor, 404, me, 404, sup, nogrant, 404, 404, 404,
    ]
}

/// Staff reads: admin, coordinator and assigned mentor alike.
const fn staff_person(staff: u16, me: u16, sup: u16, nogrant: u16) -> [u16; 13] {
    person(staff, staff, staff, me, sup, nogrant)
}

macro_rules! row {
    ($method:literal, $template:literal, $path:literal, $expect:expr) => {
        Row {
            method: $method,
            template: $template,
            path: $path,
            body: none,
            version_of: None,
            expect: $expect,
        }
    };
    ($method:literal, $template:literal, $path:literal, $expect:expr, $body:expr) => {
        Row {
            method: $method,
            template: $template,
            path: $path,
            body: $body,
            version_of: None,
            expect: $expect,
        }
    };
    ($method:literal, $template:literal, $path:literal, $expect:expr, $body:expr, $version:literal) => {
        Row {
            method: $method,
            template: $template,
            path: $path,
            body: $body,
            version_of: Some($version),
            expect: $expect,
        }
    };
}

fn rows() -> Vec<Row> {
    vec![
        // --- operations and sign-in ---------------------------------------------------------
        row!("GET", "/health/live", "/health/live", all(200)),
        row!("GET", "/health/ready", "/health/ready", all(200)),
        // Only the scraper's own token sees metrics (tests/api/health.rs).
        row!("GET", "/metrics", "/metrics", all(404)),
        row!(
            "POST",
            "/v1/auth/login",
            "/v1/auth/login",
            all(401),
            |_, _| Some(
                json!({ "email": format!("{}@example.org", Uuid::now_v7()), "password": "Wrong-password-here-1" })
            )
        ),
        row!(
            "POST",
            "/v1/auth/refresh",
            "/v1/auth/refresh",
            all(401),
            |_, _| Some(json!({ "refresh_token": "unknown" }))
        ),
        row!(
            "POST",
            "/v1/auth/person-login",
            "/v1/auth/person-login",
            all(401),
            |_, _| Some(json!({ "device_key": "unknown", "secret": "480137" }))
        ),
        row!(
            "POST",
            "/v1/device-codes/redeem",
            "/v1/device-codes/redeem",
            all(409),
            |_, _| Some(json!({ "code": "AAAA-AAAA", "secret": "480137" }))
        ),
        row!(
            "POST",
            "/v1/invitations/accept",
            "/v1/invitations/accept",
            all(409),
            |_, _| Some(
                json!({ "code": "AAAA-AAAA-AAAA-AAAA", "name": "X", "password": "Some-long-passphrase-1" })
            )
        ),
        row!(
            "POST",
            "/v1/circle-invitations/accept",
            "/v1/circle-invitations/accept",
            all(401),
            |_, _| Some(
                json!({ "code": "AAAA-AAAA-AAAA-AAAA", "email": format!("{}@example.org", Uuid::now_v7()), "name": "X", "password": "Some-long-passphrase-1" })
            )
        ),
        row!("POST", "/v1/auth/logout", "/v1/auth/logout", signed_in(204)),
        row!(
            "POST",
            "/v1/auth/logout-all",
            "/v1/auth/logout-all",
            signed_in(204)
        ),
        row!(
            "POST",
            "/v1/auth/password",
            "/v1/auth/password",
            signed_in(204),
            |_, _| Some(
                json!({ "current_password": PASSWORD, "new_password": "Brand-new-passphrase-77" })
            )
        ),
        row!(
            "POST",
            "/v1/auth/password-reset",
            "/v1/auth/password-reset",
            all(202),
            |_, _| Some(json!({ "email": format!("{}@example.org", Uuid::now_v7()) }))
        ),
        row!(
            "POST",
            "/v1/auth/password-reset/confirm",
            "/v1/auth/password-reset/confirm",
            all(409),
            // A different wrong code each time: one code's attempts are limited.
            |_, _| Some(
                json!({ "code": Uuid::now_v7().simple().to_string()[16..].to_uppercase(), "new_password": "Some-long-passphrase-1" })
            )
        ),
        // A person's own login has no email.
        row!(
            "POST",
            "/v1/me/email/verification",
            "/v1/me/email/verification",
            [
                401, 202, 202, 202, 202, 202, 409, 409, 202, 202, 202, 202, 202
            ]
        ),
        row!(
            "POST",
            "/v1/me/email/verification/confirm",
            "/v1/me/email/verification/confirm",
            signed_in(409),
            |_, _| Some(json!({ "code": "AAAA-AAAA-AAAA-AAAA" }))
        ),
        row!("GET", "/v1/me", "/v1/me", signed_in(200)),
        row!("GET", "/v1/me/circles", "/v1/me/circles", signed_in(200)),
        // A membership that is nobody's login: nobody can leave it for them (tests/api/me.rs).
        row!(
            "DELETE",
            "/v1/me/circles/{member_id}",
            "/v1/me/circles/:C",
            signed_in(404)
        ),
        // People only; a wrong current PIN is a 400 (tests/api/me.rs).
        row!(
            "PUT",
            "/v1/me/pin",
            "/v1/me/pin",
            [
                401, 403, 403, 403, 403, 403, 400, 400, 403, 403, 403, 403, 403
            ],
            |_, _| Some(json!({ "current_pin": "000000", "new_pin": "725904" }))
        ),
        row!("GET", "/v1/scales", "/v1/scales", signed_in(200)),
        // Reference data: the seeded frameworks (here the NOF) are everyone's.
        row!("GET", "/v1/frameworks", "/v1/frameworks", signed_in(200)),
        row!("GET", "/v1/kpis", "/v1/kpis", signed_in(200)),
        row!(
            "GET",
            "/v1/frameworks/{framework_id}",
            "/v1/frameworks/06468675-38cb-89e4-8616-2682fa6348ff",
            signed_in(200)
        ),
        // --- organisations, contracts, staff -------------------------------------------------
        row!(
            "POST",
            "/v1/organisations",
            "/v1/organisations",
            [
                401, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403
            ],
            |_, _| Some(
                json!({ "name": "New", "kind": "provider", "first_admin_email": format!("{}@example.org", Uuid::now_v7()) })
            )
        ),
        row!(
            "GET",
            "/v1/organisations",
            "/v1/organisations",
            [
                401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403
            ]
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}",
            "/v1/organisations/:O",
            [
                401, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "POST",
            "/v1/organisations/{organisation_id}/contracts",
            "/v1/organisations/:B/contracts",
            [
                401, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403
            ],
            |w, _| Some(json!({ "provider_id": w.o.id, "starts_on": "2027-04-01" }))
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/contracts",
            "/v1/organisations/:O/contracts",
            [
                401, 200, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "PATCH",
            "/v1/organisations/{organisation_id}",
            "/v1/organisations/:O",
            [
                401, 404, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ],
            |_, _| Some(json!({ "default_framework_id": "06468675-38cb-89e4-8616-2682fa6348ff" }))
        ),
        row!(
            "POST",
            "/v1/organisations/{organisation_id}/frameworks",
            "/v1/organisations/:O/frameworks",
            [
                401, 404, 201, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ],
            |_, _| Some(json!({
                "key": format!("k-{}", Uuid::now_v7().simple()),
                "name_en": "Contract outcomes",
                "source": "Contract schedule",
                "version": { "label": "2026" },
                "areas": [{ "code": "1", "label_en": "Living well" }]
            }))
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/dashboard",
            "/v1/organisations/:O/dashboard",
            [
                401, 404, 200, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        // Aggregate reports: a provider's admins for their own; a commissioning body's
        // commissioners for theirs; nobody's about people for the platform operator.
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/reports/outcomes",
            "/v1/organisations/:O/reports/outcomes?from=2025-01-01&to=2025-12-31&breakdown=gender",
            [
                401, 404, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        // The audit trail: the organisation's admins; a person's access log also the person
        // and coordinators (ACCESS-POLICY.md), not mentors or supporters.
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/audit",
            "/v1/organisations/:O/audit",
            [
                401, 404, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "GET",
            "/v1/people/{person_id}/access-log",
            "/v1/people/:P/access-log",
            person(200, 200, 403, 200, 403, 403)
        ),
        // Consents: staff who work with the person read them; the person, admins and
        // coordinators record and withdraw them.
        row!(
            "GET",
            "/v1/people/{person_id}/consents",
            "/v1/people/:P/consents",
            staff_person(200, 200, 403, 403)
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/consents",
            "/v1/people/:P/consents",
            person(201, 201, 403, 201, 403, 403),
            |_, _| Some(
                json!({ "purpose": "contact", "decision": "given", "given_by": "person", "wording_version": "contact/1" })
            )
        ),
        row!(
            "POST",
            "/v1/consents/{consent_id}/withdraw",
            "/v1/consents/:N/withdraw",
            person(200, 200, 403, 200, 403, 403)
        ),
        // Data rights: holds and erasure are an admin's; exports an admin's and the
        // person's own.
        row!(
            "GET",
            "/v1/people/{person_id}/holds",
            "/v1/people/:P/holds",
            person(200, 403, 403, 403, 403, 403)
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/holds",
            "/v1/people/:P/holds",
            person(201, 403, 403, 403, 403, 403),
            |_, _| Some(json!({ "reason": "complaint" }))
        ),
        row!(
            "DELETE",
            "/v1/people/{person_id}/holds/{hold_id}",
            "/v1/people/:P/holds/:L",
            person(200, 403, 403, 403, 403, 403)
        ),
        // Step one only: it changes nothing but a request to confirm.
        row!(
            "DELETE",
            "/v1/people/{person_id}",
            "/v1/people/:P",
            person(202, 403, 403, 403, 403, 403)
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/exports",
            "/v1/people/:P/exports",
            person(202, 403, 403, 202, 403, 403)
        ),
        row!(
            "GET",
            "/v1/exports/{export_id}",
            "/v1/exports/:Y",
            person(200, 403, 403, 200, 403, 403)
        ),
        row!(
            "GET",
            "/v1/commissioners/{commissioner_id}/reports/outcomes",
            "/v1/commissioners/:B/reports/outcomes?from=2025-01-01&to=2025-12-31&breakdown=provider",
            [
                401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404
            ]
        ),
        row!(
            "POST",
            "/v1/organisations/{organisation_id}/invitations",
            "/v1/organisations/:O/invitations",
            [
                401, 201, 201, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ],
            |_, _| Some(
                json!({ "email": format!("{}@example.org", Uuid::now_v7()), "role": "mentor" })
            )
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/invitations",
            "/v1/organisations/:O/invitations",
            [
                401, 200, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "DELETE",
            "/v1/invitations/{invitation_id}",
            "/v1/invitations/:I",
            [
                401, 204, 204, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/staff",
            "/v1/organisations/:O/staff",
            [
                401, 200, 200, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "GET",
            "/v1/staff/{account_id}",
            "/v1/staff/:M",
            [
                401, 200, 200, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "PATCH",
            "/v1/staff/{account_id}",
            "/v1/staff/:M",
            [
                401, 200, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ],
            |_, _| Some(json!({ "role": "coordinator" })),
            "SELECT version FROM accounts WHERE id = ':M'"
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/overdue-reviews",
            "/v1/organisations/:O/overdue-reviews",
            [
                401, 404, 200, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        // --- people ------------------------------------------------------------------------------
        row!(
            "POST",
            "/v1/people",
            "/v1/people",
            [
                401, 403, 201, 201, 403, 403, 403, 403, 403, 403, 403, 404, 201
            ],
            |_, _| Some(
                json!({ "preferred_name": "Newydd", "service_type": "work_support", "support_started_on": "2026-02-01" })
            )
        ),
        row!(
            "GET",
            "/v1/people",
            "/v1/people",
            [
                401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403, 404, 200
            ]
        ),
        row!(
            "GET",
            "/v1/me/caseload",
            "/v1/me/caseload",
            [
                401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403, 404, 200
            ]
        ),
        row!(
            "GET",
            "/v1/people/{person_id}",
            "/v1/people/:P",
            staff_person(200, 200, 200, 200)
        ),
        row!(
            "PATCH",
            "/v1/people/{person_id}",
            "/v1/people/:P",
            staff_person(200, 200, 403, 403),
            |_, _| Some(json!({ "pronouns": "they/them" })),
            "SELECT version FROM people WHERE id = ':P'"
        ),
        row!(
            "GET",
            "/v1/people/{person_id}/mentors",
            "/v1/people/:P/mentors",
            staff_person(200, 200, 403, 403)
        ),
        row!(
            "PUT",
            "/v1/people/{person_id}/mentors",
            "/v1/people/:P/mentors",
            person(200, 200, 403, 403, 403, 403),
            |w, _| Some(json!({ "mentor_ids": [w.mentor.id] }))
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/device-codes",
            "/v1/people/:P/device-codes",
            staff_person(201, 403, 403, 403)
        ),
        row!(
            "GET",
            "/v1/people/{person_id}/device-codes",
            "/v1/people/:P/device-codes",
            staff_person(200, 403, 403, 403)
        ),
        row!(
            "DELETE",
            "/v1/people/{person_id}/device-codes/{device_code_id}",
            "/v1/people/:P/device-codes/:D",
            staff_person(204, 403, 403, 403)
        ),
        // --- strengths profile -------------------------------------------------------------------
        row!(
            "GET",
            "/v1/people/{person_id}/profile",
            "/v1/people/:P/profile",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "PUT",
            "/v1/people/{person_id}/profile",
            "/v1/people/:P/profile",
            staff_person(200, 200, 403, 403),
            |_, _| Some(json!({ "sections": { "important_to_me": { "text": "Fy nghi, Mot" } } })),
            "SELECT count(*)::int AS version FROM profile_entries WHERE person_id = ':P'"
        ),
        row!(
            "GET",
            "/v1/people/{person_id}/profile/history",
            "/v1/people/:P/profile/history",
            staff_person(200, 200, 403, 403)
        ),
        // --- circle of support -------------------------------------------------------------------
        row!(
            "GET",
            "/v1/people/{person_id}/circle",
            "/v1/people/:P/circle",
            staff_person(200, 200, 200, 200)
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/circle",
            "/v1/people/:P/circle",
            staff_person(201, 201, 403, 403),
            |_, _| Some(json!({ "name": "Nain", "relationship": "family" }))
        ),
        row!(
            "PATCH",
            "/v1/circle-members/{member_id}",
            "/v1/circle-members/:C",
            staff_person(200, 200, 403, 403),
            |_, _| Some(json!({ "grants": { "goals": true } })),
            "SELECT version FROM circle_members WHERE id = ':C'"
        ),
        row!(
            "DELETE",
            "/v1/circle-members/{member_id}",
            "/v1/circle-members/:C",
            staff_person(204, 204, 403, 403)
        ),
        row!(
            "POST",
            "/v1/circle-members/{member_id}/invitations",
            "/v1/circle-members/:C/invitations",
            staff_person(201, 201, 403, 403)
        ),
        row!(
            "GET",
            "/v1/people/{person_id}/circle-invitations",
            "/v1/people/:P/circle-invitations",
            staff_person(200, 200, 403, 403)
        ),
        row!(
            "DELETE",
            "/v1/people/{person_id}/circle-invitations/{invitation_id}",
            "/v1/people/:P/circle-invitations/:V",
            staff_person(204, 204, 403, 403)
        ),
        // --- goals and actions -------------------------------------------------------------------
        row!(
            "GET",
            "/v1/people/{person_id}/goals",
            "/v1/people/:P/goals",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/goals",
            "/v1/people/:P/goals",
            staff_person(201, 201, 403, 403),
            |_, _| Some(json!({ "title": "Dysgu nofio", "lang": "cy" }))
        ),
        row!(
            "GET",
            "/v1/goals/{goal_id}",
            "/v1/goals/:G",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "PATCH",
            "/v1/goals/{goal_id}",
            "/v1/goals/:G",
            staff_person(200, 200, 403, 403),
            |_, _| Some(json!({ "status": "paused" })),
            "SELECT version FROM goals WHERE id = ':G'"
        ),
        row!(
            "GET",
            "/v1/goals/{goal_id}/actions",
            "/v1/goals/:G/actions",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/goals/{goal_id}/actions",
            "/v1/goals/:G/actions",
            staff_person(201, 201, 201, 403),
            |_, _| Some(json!({ "description": "Go to the pool on Saturday", "owner": "person" }))
        ),
        row!(
            "PATCH",
            "/v1/actions/{action_id}",
            "/v1/actions/:A",
            staff_person(200, 200, 403, 403),
            |_, _| Some(json!({ "done": true })),
            "SELECT version FROM goal_actions WHERE id = ':A'"
        ),
        // Outcome codes: staff code, the person reads, supporters see none.
        row!(
            "GET",
            "/v1/goals/{goal_id}/codes",
            "/v1/goals/:G/codes",
            staff_person(200, 200, 403, 403)
        ),
        row!(
            "POST",
            "/v1/goals/{goal_id}/codes",
            "/v1/goals/:G/codes",
            staff_person(201, 403, 403, 403),
            |_, _| Some(json!({ "area_id": "59a06546-5baf-8857-8cd7-a447628c5ddf" }))
        ),
        row!(
            "DELETE",
            "/v1/goals/{goal_id}/codes/{code_id}",
            "/v1/goals/:G/codes/:X",
            staff_person(204, 403, 403, 403)
        ),
        row!(
            "GET",
            "/v1/goals/{goal_id}/progress",
            "/v1/goals/:G/progress",
            staff_person(200, 200, 200, 403)
        ),
        // --- reviews -----------------------------------------------------------------------------
        row!(
            "GET",
            "/v1/people/{person_id}/reviews",
            "/v1/people/:P/reviews",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/people/{person_id}/reviews",
            "/v1/people/:P/reviews",
            staff_person(201, 403, 403, 403),
            |_, t| Some(
                json!({ "held_on": "2026-09-01", "person_took_part": true, "ratings": [{ "goal_id": t.goal, "value": 5 }] })
            )
        ),
        row!(
            "GET",
            "/v1/reviews/{review_id}",
            "/v1/reviews/:R",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "PATCH",
            "/v1/reviews/{review_id}",
            "/v1/reviews/:R",
            staff_person(200, 403, 403, 403),
            |_, _| Some(json!({ "whats_working": "Going to college" })),
            "SELECT version FROM reviews WHERE id = ':R'"
        ),
        // --- stories and photos --------------------------------------------------------------
        row!(
            "GET",
            "/v1/people/{person_id}/stories",
            "/v1/people/:P/stories",
            staff_person(200, 200, 200, 403)
        ),
        // A supporter's story (with `contribute`) is pending until the person accepts it.
        row!(
            "POST",
            "/v1/people/{person_id}/stories",
            "/v1/people/:P/stories",
            staff_person(201, 201, 201, 403),
            |_, _| Some(json!({ "body": "A new story", "audience": "circle" }))
        ),
        row!(
            "GET",
            "/v1/stories/{story_id}",
            "/v1/stories/:S",
            staff_person(200, 200, 200, 404)
        ),
        // The target story is the person's own: only they (its author) edit it. A single story
        // (or photo) a supporter may not see is 404 whatever they ask of it, grant or no grant:
        // its id's existence is not revealed (docs/SECURITY.md).
        row!(
            "PATCH",
            "/v1/stories/{story_id}",
            "/v1/stories/:S",
            staff_person(403, 200, 403, 404),
            |_, _| Some(json!({ "body": "New words" })),
            "SELECT version FROM stories WHERE id = ':S'"
        ),
        row!(
            "DELETE",
            "/v1/stories/{story_id}",
            "/v1/stories/:S",
            staff_person(204, 204, 403, 404)
        ),
        row!(
            "POST",
            "/v1/stories/{story_id}/accept",
            "/v1/stories/:S/accept",
            staff_person(403, 200, 403, 404)
        ),
        row!(
            "POST",
            "/v1/stories/{story_id}/photos",
            "/v1/stories/:S/photos",
            staff_person(403, 201, 403, 404),
            |_, _| Some(Value::String(PHOTO.into()))
        ),
        // Resumable uploads: only the story's author may start one; an upload is its
        // uploader's alone (everyone else: 404).
        row!(
            "POST",
            "/v1/stories/{story_id}/uploads",
            "/v1/stories/:S/uploads",
            staff_person(403, 201, 403, 404),
            |_, _| Some(Value::String(TUS_CREATE.into()))
        ),
        row!(
            "HEAD",
            "/v1/uploads/{upload_id}",
            "/v1/uploads/:U",
            [
                401, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "PATCH",
            "/v1/uploads/{upload_id}",
            "/v1/uploads/:U",
            [
                401, 404, 404, 404, 404, 404, 204, 404, 404, 404, 404, 404, 404
            ],
            |_, _| Some(Value::String(TUS_PART.into()))
        ),
        row!(
            "DELETE",
            "/v1/uploads/{upload_id}",
            "/v1/uploads/:U",
            [
                401, 404, 404, 404, 404, 404, 204, 404, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "GET",
            "/v1/photos/{photo_id}",
            "/v1/photos/:H",
            staff_person(200, 200, 200, 404)
        ),
        row!(
            "DELETE",
            "/v1/photos/{photo_id}",
            "/v1/photos/:H",
            staff_person(204, 204, 403, 404)
        ),
        // --- encouragement and the feed ---------------------------------------------------------
        row!(
            "GET",
            "/v1/stories/{story_id}/reactions",
            "/v1/stories/:S/reactions",
            staff_person(200, 200, 200, 404)
        ),
        row!(
            "POST",
            "/v1/stories/{story_id}/reactions",
            "/v1/stories/:S/reactions",
            staff_person(200, 200, 200, 404),
            |_, _| Some(json!({ "kind": "clap" }))
        ),
        row!(
            "GET",
            "/v1/stories/{story_id}/comments",
            "/v1/stories/:S/comments",
            staff_person(200, 200, 200, 404)
        ),
        row!(
            "POST",
            "/v1/stories/{story_id}/comments",
            "/v1/stories/:S/comments",
            staff_person(201, 201, 201, 404),
            |_, _| Some(json!({ "body": "Da iawn!" }))
        ),
        // Goals and actions need `goals` to be seen (403 without, as for the goal itself).
        row!(
            "GET",
            "/v1/goals/{goal_id}/reactions",
            "/v1/goals/:G/reactions",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/goals/{goal_id}/reactions",
            "/v1/goals/:G/reactions",
            staff_person(200, 200, 200, 403),
            |_, _| Some(json!({ "kind": "star" }))
        ),
        row!(
            "GET",
            "/v1/goals/{goal_id}/comments",
            "/v1/goals/:G/comments",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/goals/{goal_id}/comments",
            "/v1/goals/:G/comments",
            staff_person(201, 201, 201, 403),
            |_, _| Some(json!({ "body": "Well done!" }))
        ),
        row!(
            "GET",
            "/v1/actions/{action_id}/reactions",
            "/v1/actions/:A/reactions",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/actions/{action_id}/reactions",
            "/v1/actions/:A/reactions",
            staff_person(200, 200, 200, 403),
            |_, _| Some(json!({ "kind": "star" }))
        ),
        row!(
            "GET",
            "/v1/actions/{action_id}/comments",
            "/v1/actions/:A/comments",
            staff_person(200, 200, 200, 403)
        ),
        row!(
            "POST",
            "/v1/actions/{action_id}/comments",
            "/v1/actions/:A/comments",
            staff_person(201, 201, 201, 403),
            |_, _| Some(json!({ "body": "Well done!" }))
        ),
        row!(
            "POST",
            "/v1/comments/{comment_id}/hide",
            "/v1/comments/:K/hide",
            staff_person(200, 200, 403, 403)
        ),
        // Every circle member has a feed; what is in it follows their grants.
        row!(
            "GET",
            "/v1/people/{person_id}/feed",
            "/v1/people/:P/feed",
            staff_person(200, 200, 200, 200)
        ),
        row!("GET", "/v1/me/feed", "/v1/me/feed", signed_in(200)),
        // Not person-scoped: each caller syncs what they follow (tests/api/sync.rs); those who
        // hold no person's records are refused.
        row!(
            "GET",
            "/v1/sync",
            "/v1/sync",
            [
                401, 403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 200
            ]
        ),
        // --- notifications: the caller's own devices and settings -----------------------------
        row!(
            "POST",
            "/v1/me/devices",
            "/v1/me/devices",
            signed_in(201),
            |_, _| Some(json!({ "platform": "android", "token": Uuid::now_v7().to_string() }))
        ),
        // A device that is nobody's among the actors: nobody can remove it for its owner.
        row!(
            "DELETE",
            "/v1/me/devices/{device_id}",
            "/v1/me/devices/:E",
            signed_in(404)
        ),
        row!(
            "GET",
            "/v1/me/notification-settings",
            "/v1/me/notification-settings",
            signed_in(200)
        ),
        row!(
            "PUT",
            "/v1/me/notification-settings",
            "/v1/me/notification-settings",
            signed_in(200),
            |_, _| Some(json!({ "quiet_from": "22:00", "quiet_until": "07:00" }))
        ),
        // --- safeguarding (O's admin is its safeguarding lead) --------------------------------
        row!(
            "POST",
            "/v1/concerns",
            "/v1/concerns",
            staff_person(201, 201, 201, 404),
            |_, t| Some(json!({ "story_id": t.story, "reason": "worried" }))
        ),
        row!(
            "GET",
            "/v1/organisations/{organisation_id}/concerns",
            "/v1/organisations/:O/concerns",
            [
                401, 404, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ]
        ),
        row!(
            "PATCH",
            "/v1/concerns/{concern_id}",
            "/v1/concerns/:Q",
            [
                401, 404, 200, 403, 403, 403, 403, 403, 404, 404, 404, 404, 404
            ],
            |_, _| Some(json!({ "status": "restored" }))
        ),
        row!(
            "GET",
            "/v1/people/{person_id}/feed/stream",
            "/v1/people/:P/feed/stream",
            staff_person(200, 200, 200, 200)
        ),
        row!(
            "GET",
            "/v1/me/feed/stream",
            "/v1/me/feed/stream",
            signed_in(200)
        ),
    ]
}

fn fill(template: &str, w: &World, t: &Targets) -> String {
    template
        .replace(":O", &w.o.id.to_string())
        .replace(":B", &w.body.id.to_string())
        .replace(":M", &w.staff.id.to_string())
        .replace(":P", &w.p.id.to_string())
        .replace(":C", &t.member.to_string())
        .replace(":G", &t.goal.to_string())
        .replace(":A", &t.action.to_string())
        .replace(":R", &t.review.to_string())
        .replace(":I", &t.invitation.to_string())
        .replace(":D", &t.device_code.to_string())
        .replace(":V", &t.circle_invitation.to_string())
        .replace(":S", &t.story.to_string())
        .replace(":U", &t.upload.to_string())
        .replace(":H", &t.photo.to_string())
        .replace(":K", &t.comment.to_string())
        .replace(":Q", &t.concern.to_string())
        .replace(":E", &t.device.to_string())
        .replace(":X", &t.goal_code.to_string())
        .replace(":N", &t.consent.to_string())
        .replace(":L", &t.hold.to_string())
        .replace(":Y", &t.export.to_string())
}

async fn version(app: &TestApp, sql: &str) -> i32 {
    use diesel::sql_types::Integer;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = Integer)]
        version: i32,
    }
    let mut conn = app.shared.state.conn().await.unwrap();
    let v: V = diesel::sql_query(sql).get_result(&mut conn).await.unwrap();
    v.version
}

async fn request(
    app: &TestApp,
    w: &World,
    t: &Targets,
    row: &Row,
    actor: Option<&Actor>,
    peer: &str,
) -> Res {
    let path = fill(row.path, w, t);
    let mut req = match row.method {
        "GET" => app.get(&path),
        "POST" => app.post(&path),
        "PATCH" => app.patch(&path),
        "PUT" => app.put(&path),
        "DELETE" => app.delete(&path),
        "HEAD" => app.head(&path),
        other => panic!("method {other} needs a case"),
    };
    // Each request from its own address: the sign-in rows must not trip the throttle.
    req = req.peer(peer);
    if let Some(actor) = actor {
        req = req.bearer(&actor.token);
    }
    if let Some(sql) = row.version_of {
        let v = version(app, &fill(sql, w, t)).await;
        req = req.header("if-match", &format!("\"v{v}\""));
    }
    match (row.body)(w, t) {
        // A photo upload's body is the image itself.
        Some(Value::String(photo)) if photo == PHOTO => {
            req = req.raw("image/jpeg", std::fs::read(PHOTO).expect("fixture"));
        }
        // Resumable uploads: the announcement is headers; a part is raw bytes at an offset.
        Some(Value::String(tus)) if tus == TUS_CREATE => {
            req = req
                .header("tus-resumable", "1.0.0")
                .header("upload-length", "1000");
        }
        Some(Value::String(tus)) if tus == TUS_PART => {
            req = req
                .header("tus-resumable", "1.0.0")
                .header("upload-offset", "0")
                .raw(
                    "application/offset+octet-stream",
                    vec![0xFF, 0xD8, 0xFF, 0xE0],
                );
        }
        Some(body) => req = req.json(&body),
        None => {}
    }
    req.send().await
}

#[actix_web::test]
async fn every_endpoint_answers_every_actor_as_the_policy_says() {
    let app = TestApp::new().await;
    let mut failures = Vec::new();
    let rows = rows();
    for (r, row) in rows.iter().enumerate() {
        // A fresh world per row (rows such as logout end the actors' sessions) and fresh
        // records per request (one actor's delete must not decide the next one's answer).
        let w = world(&app).await;
        for (i, actor) in w.actors.iter().enumerate() {
            let t = targets(&app, &w).await;
            let peer = format!("198.18.{r}.{i}:4000");
            let res = request(&app, &w, &t, row, actor.as_ref(), &peer).await;
            let want = row.expect[i];
            if res.status.as_u16() != want {
                failures.push(format!(
                    "{} {} as {}: got {}, want {want}: {}",
                    row.method,
                    row.template,
                    ACTORS[i],
                    res.status,
                    res.text()
                ));
                continue;
            }
            if want >= 400 {
                let text = res.text();
                assert_eq!(res.header("content-type"), Some("application/problem+json"));
                for secret in [
                    w.p.name.as_str(),
                    "Legal ",
                    w.staff.email.as_str(),
                    "secret",
                    "Secret",
                ] {
                    assert!(
                        !text.contains(secret),
                        "{} {} as {} leaked data ({secret}): {text}",
                        row.method,
                        row.template,
                        ACTORS[i]
                    );
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} policy violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The token extractor touches no database; the session check rides on each request's one
/// authorization query. A handler that forgot it would let a revoked session through for the
/// token's remaining minutes: every signed-in endpoint, with the token of an actor it would
/// otherwise serve, answers 401 once that actor's session is revoked.
#[actix_web::test]
async fn every_signed_in_endpoint_refuses_a_revoked_session() {
    let app = TestApp::new().await;
    let mut failures = Vec::new();
    for (r, row) in rows()
        .iter()
        .enumerate()
        .filter(|(_, row)| row.expect[0] == 401)
    {
        let w = world(&app).await;
        // An actor it would serve; where it serves nobody (DELETE /v1/me/circles/{id} is 404
        // for all), any signed-in one: 401 must still come before the 404.
        let i = (1..ACTORS.len())
            .find(|&i| row.expect[i] < 400)
            .unwrap_or(2);
        let actor = w.actors[i].as_ref().unwrap();
        app.sql(&format!(
            "UPDATE sessions SET revoked_at = now() WHERE account_id = '{}'",
            actor.id
        ))
        .await;
        let t = targets(&app, &w).await;
        let res = request(
            &app,
            &w,
            &t,
            row,
            Some(actor),
            &format!("198.19.{r}.1:4000"),
        )
        .await;
        if res.status.as_u16() != 401 {
            failures.push(format!(
                "{} {} as {} with a revoked session: got {}",
                row.method, row.template, ACTORS[i], res.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_endpoint_of_the_api_has_a_row() {
    let spec: Value = serde_json::from_str(&camau::routes::spec_json()).unwrap();
    let mut endpoints = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            endpoints.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let rows: BTreeSet<String> = rows()
        .iter()
        .map(|r| format!("{} {}", r.method, r.template))
        .collect();
    let missing: Vec<&String> = endpoints.difference(&rows).collect();
    let stale: Vec<&String> = rows.difference(&endpoints).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the access matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for endpoints that do not exist: {stale:?}"
    );
    println!(
        "access matrix: {} endpoints x {} actors = {} cases",
        rows.len(),
        ACTORS.len(),
        rows.len() * ACTORS.len()
    );
}

/// A signed-in supporter in P's circle holding exactly `grants` (column names of
/// circle_members).
async fn supporter_with(app: &TestApp, w: &World, grants: &[&str]) -> Actor {
    let (member, actor) = app.supporter(&w.p, &w.o, false).await;
    for grant in grants {
        app.sql(&format!(
            "UPDATE circle_members SET {grant} = true WHERE id = '{member}'"
        ))
        .await;
    }
    actor
}

/// Supporters holding exactly one grant each (and the pairs suggestions and progress need): an endpoint
/// checking the wrong grant fails here, and a 2xx answer must hold nothing the grant does not
/// cover.
#[actix_web::test]
async fn each_grant_opens_exactly_its_own_part_of_the_record() {
    const GRANTS: [&[&str]; 8] = [
        &["can_see_profile"],
        &["can_see_goals"],
        &["can_see_stories"],
        &["can_see_reviews"],
        &["can_encourage"],
        &["can_contribute"],
        &["can_see_goals", "can_contribute"],
        &["can_see_goals", "can_see_reviews"],
    ];
    // What a supporter may do on each person-scoped endpoint: which grants open it (all of
    // them needed), and "member" for anything every circle member may read.
    // Some parts open with either of two grants: the alternatives, each needing all of its.
    let needs = |method: &str, template: &str| -> Option<&'static [&'static str]> {
        match (method, template) {
            // A contributor lists the stories they wrote (none here); a reader, the circle's.
            ("GET", "/v1/people/{person_id}/stories") => Some(&["can_see_stories|can_contribute"]),
            ("POST", "/v1/people/{person_id}/stories") => Some(&["can_contribute"]),
            (
                "GET",
                "/v1/stories/{story_id}"
                | "/v1/photos/{photo_id}"
                | "/v1/stories/{story_id}/reactions"
                | "/v1/stories/{story_id}/comments",
            ) => Some(&["can_see_stories"]),
            ("POST", "/v1/stories/{story_id}/reactions" | "/v1/stories/{story_id}/comments") => {
                Some(&["can_see_stories", "can_encourage"])
            }
            (
                "GET",
                "/v1/goals/{goal_id}/reactions"
                | "/v1/goals/{goal_id}/comments"
                | "/v1/actions/{action_id}/reactions"
                | "/v1/actions/{action_id}/comments",
            ) => Some(&["can_see_goals"]),
            (
                "POST",
                "/v1/goals/{goal_id}/reactions"
                | "/v1/goals/{goal_id}/comments"
                | "/v1/actions/{action_id}/reactions"
                | "/v1/actions/{action_id}/comments",
            ) => Some(&["can_see_goals", "can_encourage"]),
            ("GET", "/v1/people/{person_id}/feed" | "/v1/people/{person_id}/feed/stream") => {
                Some(&[])
            }
            ("GET", "/v1/people/{person_id}") | ("GET", "/v1/people/{person_id}/circle") => {
                Some(&[])
            }
            ("GET", "/v1/people/{person_id}/profile") => Some(&["can_see_profile"]),
            (
                "GET",
                "/v1/people/{person_id}/goals"
                | "/v1/goals/{goal_id}"
                | "/v1/goals/{goal_id}/actions",
            ) => Some(&["can_see_goals"]),
            // Progress is the review ratings of a goal: both grants.
            ("GET", "/v1/goals/{goal_id}/progress") => Some(&["can_see_goals", "can_see_reviews"]),
            ("POST", "/v1/goals/{goal_id}/actions") => Some(&["can_see_goals", "can_contribute"]),
            ("GET", "/v1/people/{person_id}/reviews" | "/v1/reviews/{review_id}") => {
                Some(&["can_see_reviews"])
            }
            _ => None, // never for a supporter
        }
    };
    let app = TestApp::new().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for (r, row) in rows().iter().enumerate() {
        // The caller's own memberships (`/v1/me/...`) are not the person's record.
        let scoped = [":P", ":G", ":A", ":R", ":C", ":S", ":H", ":K"]
            .iter()
            .any(|m| row.path.contains(m))
            && !row.path.starts_with("/v1/me/");
        if !scoped {
            continue;
        }
        let w = world(&app).await;
        for (i, grants) in GRANTS.iter().enumerate() {
            let actor = supporter_with(&app, &w, grants).await;
            let t = targets(&app, &w).await;
            let res = request(
                &app,
                &w,
                &t,
                row,
                Some(&actor),
                &format!("198.19.{r}.{i}:4000"),
            )
            .await;
            let allowed = needs(row.method, row.template).is_some_and(|need| {
                need.iter()
                    .all(|g| g.split('|').any(|alt| grants.contains(&alt)))
            });
            let ok = res.status.is_success();
            checked += 1;
            // A story outside what the supporter may read is not found, as for the
            // audience rules: its existence is not revealed.
            let refused = match res.status.as_u16() {
                403 => true,
                404 => [":S", ":H", ":K"].iter().any(|m| row.path.contains(m)),
                _ => false,
            };
            if ok != allowed || (!ok && !refused) {
                failures.push(format!(
                    "{} {} with {grants:?}: got {}, want {}",
                    row.method,
                    row.template,
                    res.status,
                    if allowed { "2xx" } else { "403" }
                ));
                continue;
            }
            let text = res.text();
            // Never to a supporter, whatever the grant: sensitive fields, staff notes, other
            // members' contact details, profile history.
            for never in [
                "legal_name",
                "Legal ",
                "date_of_birth",
                "service_type",
                "support_started_on",
                "Staff-only secret note",
                "staff_notes",
                // Another member's contact details (their own membership they may see).
                "member-secret@example.org",
            ] {
                if text.contains(never) {
                    failures.push(format!(
                        "{} {} with {grants:?} shows {never}: {text}",
                        row.method, row.template
                    ));
                }
            }
            // What a grant covers appears only with it.
            if ok && !grants.contains(&"can_see_goals") && text.contains("Goal secret title") {
                failures.push(format!(
                    "{} {} shows a goal without the goals grant",
                    row.method, row.template
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} cases");
    assert!(
        failures.is_empty(),
        "{} grant violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
