//! `POST /v1/circle-invitations/accept`: a circle member becomes a signed-in supporter.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use secrecy::ExposeSecret;

use crate::auth::codes;
use crate::auth::password::Policy;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, ErrorCode, Problem, Validator};
use crate::identity::accounts::model::{self as accounts, NewAccount, normalise_email};
use crate::identity::sessions::throttle;
use crate::identity::sessions::types::SignedIn;
use crate::ids::AccountId;
use crate::plan::circles::model;
use crate::plan::circles::types::AcceptCircleInvitation;
use crate::state::AppState;
use crate::trust::audit::model::{self as audit, AuditEvent};

/// Accept a circle invitation
///
/// No sign-in needed: the code is the credential. Someone who already supports another person
/// (a parent of two children) gives their existing email and password; anyone else creates a
/// supporter login. The login sees only what each person's grants allow. Every attempt counts
/// against the address (and the email) before anything is checked; the code is checked first,
/// and a wrong code, a wrong password for an existing supporter and an email that cannot be a
/// supporter's all answer the same 401, so the endpoint tells nobody which emails have accounts.
#[utoipa::path(
    operation_id = "acceptCircleInvitation",
    tag = "circles",
    request_body = AcceptCircleInvitation,
    responses(
        (status = 201, description = "Signed in as a supporter", body = SignedIn),
        (status = 400, description = "Invalid fields, or a weak password", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The code, email or password is not right (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already in this person's circle", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too busy to check passwords now", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/circle-invitations/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    req: HttpRequest,
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
    let limits = &state.config.login_throttle;
    let account_key = throttle::email(&email, limits);
    let address_key = throttle::caller(&req, &state.config);
    let code_hash = codes::code_hash(code.expose_secret());
    let refused = || {
        ApiError::new(ErrorCode::InvalidCredentials)
            .with_detail("the code, email or password is not right")
    };
    let existing = {
        let mut conn = state.conn().await?;
        let keys: Vec<_> = std::iter::once(&account_key)
            .chain(address_key.as_ref())
            .collect();
        throttle::attempt(&mut conn, limits.window, &keys).await?;
        if !model::invitation_open(&mut conn, &code_hash).await? {
            return Err(refused());
        }
        accounts::by_email(&mut conn, &email).await?
    };
    // The policy applies whether or not the email has an account, so a weak password's 400
    // does not tell a code holder which emails are new.
    let inputs = [email.as_str(), name.as_str()];
    state
        .passwords
        .check(&password, Policy::Password, &inputs)
        .await?;
    let new_hash = match &existing {
        Some(account) if account.role() == Role::Supporter => {
            if !state
                .passwords
                .verify(&password, Some(&account.password_hash))
                .await?
            {
                return Err(refused());
            }
            None
        }
        // Staff and other accounts cannot join a circle with that email; saying so would
        // tell a code holder that the email has a staff account.
        Some(_) => {
            state.passwords.verify(&password, None).await?;
            return Err(refused());
        }
        None => Some(
            state
                .passwords
                .hash(&password, Policy::Password, &[&email, &name])
                .await?,
        ),
    };
    let existing_id = existing.map(|a| AccountId(a.id));
    let mut conn = state.conn().await?;
    let (account, member, person) = conn
        .transaction(async move |conn| {
            // Spent here, atomically: of two acceptances of one code only one gets a row.
            let (member, person) = model::accept_invitation(conn, &code_hash)
                .await?
                .ok_or_else(refused)?;
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
                            role: Role::Supporter,
                            password_hash: &hash,
                        },
                    )
                    .await
                    .map_err(|e| {
                        // The email was taken in the meantime: the same answer as above.
                        if accounts::is_email_taken(&e) {
                            refused()
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
                return Err(refused());
            }
            audit::record(
                conn,
                AuditEvent {
                    organisation: None,
                    person: Some(crate::ids::PersonId(person)),
                    actor: Some(account),
                    action: crate::trust::audit::Action::CircleInvitationAccepted,
                    subject_type: "circle_member",
                    subject_id: Some(member.0),
                    details: serde_json::json!({ "person_id": person }),
                },
            )
            .await?;
            Ok::<_, ApiError>((account, member, person))
        })
        .await?;
    throttle::succeeded(&mut conn, limits.window, &account_key, address_key.as_ref()).await?;
    let signed_in = crate::identity::sessions::sign_in(&state, &mut conn, account).await?;
    tracing::debug!(member_id = %member.0, person_id = %person, "joined a circle");
    Ok(HttpResponse::Created().json(signed_in))
}
