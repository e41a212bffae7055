//! `POST /v1/circle-members/{member_id}/invitations`: invite a member to sign in.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use time::OffsetDateTime;

use crate::auth::CurrentUser;
use crate::auth::access::PersonAction;
use crate::auth::codes;
use crate::error::{ApiError, ApiResult, Problem};
use crate::ids::CircleMemberId;
use crate::plan::circles::types::CircleInvitation;
use crate::plan::circles::{authorize_member, model};
use crate::plan::people::model as people;
use crate::platform::mail::{self, MailKind, templates};
use crate::state::AppState;

/// Invite a member to sign in
///
/// The person, or staff who work with them. Returns a single-use code, valid for the
/// configured invitation time, to hand to the member. Accepting links a supporter login to
/// this membership only.
#[utoipa::path(
    operation_id = "inviteCircleMember",
    tag = "circles",
    security(("bearer" = [])),
    params(("member_id" = uuid::Uuid, Path)),
    responses(
        (status = 201, description = "The code; shown only here", body = CircleInvitation),
        (status = 403, description = "Supporters cannot invite", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Support has ended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: over the organisation's invitations for today (staff and circle together; `CAMAU_QUOTA_INVITATIONS_PER_DAY`, default 200); `Retry-After` says when the window ends", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota window ends"))),
    )
)]
#[post("/circle-members/{member_id}/invitations")]
pub async fn invite(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<CircleMemberId>,
) -> ApiResult<HttpResponse> {
    let member = path.into_inner();
    let mut conn = state.conn().await?;
    let access = authorize_member(&mut conn, &user, member, PersonAction::EditCircle).await?;
    let found = model::find(&mut conn, &access.scope, member)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let person = people::find(&mut conn, &access.scope)
        .await?
        .ok_or_else(ApiError::not_found)?;
    crate::platform::quotas::take(
        &mut conn,
        &state.config.quotas,
        crate::platform::quotas::Quota::Invitations(access.scope.id().organisation.0),
    )
    .await?;
    let code = codes::new_code(4);
    let ttl = time::Duration::try_from(state.config.invitation_ttl).unwrap_or(time::Duration::DAY);
    let expires_at = OffsetDateTime::now_utc() + ttl;
    let (scope, issuer, sealer) = (access.scope, access.actor.account_id, &state.sealer);
    let code_for_mail = code.clone();
    let emailed = found.email.is_some();
    conn.transaction(async move |conn| {
        model::insert_invitation(
            conn,
            &scope,
            member,
            codes::code_hash(&code_for_mail),
            issuer,
            expires_at,
        )
        .await?;
        let action = crate::trust::audit::Action::CircleInvitationCreated;
        crate::trust::audit::model::changed(
            conn,
            &scope,
            issuer,
            action,
            "circle_member",
            member.0,
        )
        .await?;
        if let Some(to) = &found.email {
            let mail = templates::circle_invitation(
                to,
                person.preferred_language,
                &person.preferred_name,
                &code_for_mail,
                expires_at,
            );
            mail::enqueue(conn, sealer, MailKind::CircleInvitation, &mail).await?;
        }
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::Created().json(CircleInvitation {
        member_id: member.0,
        code,
        expires_at,
        emailed,
    }))
}
