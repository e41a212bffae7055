//! `POST /v1/circle-invitations/accept`: a circle member becomes a signed-in supporter.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::accounts::model::{self as accounts, NewAccount, normalise_email};
use crate::app::AppState;
use crate::audit::model::{self as audit, AuditEvent};
use crate::auth::codes;
use crate::auth::password::check_policy;
use crate::auth::roles::Role;
use crate::circles::model;
use crate::circles::types::{AcceptCircleInvitation, SupporterSignedIn};
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::ids::AccountId;

/// Accept a circle invitation
///
/// No sign-in needed: the code is the credential. Someone who already supports another person
/// (a parent of two children) gives their existing email and password; anyone else creates a
/// supporter login. The login sees only what each person's grants allow.
#[utoipa::path(
    tag = "circles",
    request_body = AcceptCircleInvitation,
    responses(
        (status = 201, description = "Signed in as a supporter", body = SupporterSignedIn),
        (status = 400, description = "Invalid fields, or a weak password", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An existing supporter's password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Unknown, used or expired code (`invitation_invalid`), or the email belongs to a staff account (`email_taken`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/circle-invitations/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    body: web::Json<AcceptCircleInvitation>,
) -> ApiResult<HttpResponse> {
    let AcceptCircleInvitation {
        code,
        email,
        name,
        password,
    } = body.into_inner();
    let mut v = Validator::new();
    v.email("/email", &email);
    v.text("/name", &name, 1, 200);
    v.finish()?;
    let email = normalise_email(&email);
    let existing = {
        let mut conn = state.conn().await?;
        accounts::by_email(&mut conn, &email).await?
    };
    let new_hash = match &existing {
        Some(account) if account.role() == Role::Supporter => {
            if !state
                .passwords
                .verify(&password, Some(&account.password_hash))
                .await?
            {
                return Err(ApiError::new(ErrorCode::InvalidCredentials));
            }
            None
        }
        Some(_) => return Err(ApiError::new(ErrorCode::EmailTaken)),
        None => {
            check_policy(&password, &[&email, &name])?;
            Some(state.passwords.hash(&password).await?)
        }
    };
    let code_hash = codes::code_hash(code.expose_secret());
    let existing_id = existing.map(|a| AccountId(a.id));
    let mut conn = state.conn().await?;
    let (account, member, person) = conn
        .transaction(async move |conn| {
            let (member, person) = model::accept_invitation(conn, &code_hash)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::InvitationInvalid))?;
            let account = match (existing_id, new_hash) {
                (Some(id), _) => id,
                (None, Some(hash)) => {
                    let row = accounts::insert(
                        conn,
                        NewAccount {
                            id: AccountId::new().0,
                            organisation_id: None,
                            email: Some(&email),
                            name: &name,
                            role: Role::Supporter.as_str(),
                            password_hash: &hash,
                        },
                    )
                    .await
                    .map_err(|e| {
                        if accounts::is_email_taken(&e) {
                            ApiError::new(ErrorCode::EmailTaken)
                        } else {
                            e.into()
                        }
                    })?;
                    AccountId(row.id)
                }
                (None, None) => return Err(ApiError::internal("no account and no hash")),
            };
            let linked = model::link_account(conn, member, account)
                .await
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    ) => ApiError::new(ErrorCode::Conflict)
                        .with_detail("you are already in this person's circle"),
                    e => e.into(),
                })?;
            if !linked {
                return Err(ApiError::new(ErrorCode::InvitationInvalid));
            }
            audit::record(
                conn,
                AuditEvent {
                    organisation: None,
                    actor: Some(account),
                    action: "circle.invitation_accepted",
                    subject_type: "circle_member",
                    subject_id: Some(member.0),
                    details: serde_json::json!({ "person_id": person }),
                },
            )
            .await?;
            Ok::<_, ApiError>((account, member, person))
        })
        .await?;
    let tokens = crate::sessions::sign_in(&state, &mut conn, account).await?;
    Ok(HttpResponse::Created().json(SupporterSignedIn {
        account_id: account.0,
        person_id: person,
        member_id: member.0,
        tokens,
    }))
}
