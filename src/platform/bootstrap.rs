//! Creating the first accounts from the shell (`camau create-organisation`,
//! `camau create-platform-admin`), for a new deployment before anyone can sign in.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use secrecy::SecretString;

use crate::auth::password::{Passwords, Policy};
use crate::auth::roles::{OrganisationKind, Role};
use crate::error::{ApiError, ApiResult, ErrorCode, Validator};
use crate::identity::accounts::model::{self as accounts, AccountRow, NewAccount, normalise_email};
use crate::identity::organisations::model::{
    self as organisations, NewOrganisation, OrganisationRow,
};
use crate::ids::{AccountId, OrganisationId};
use crate::trust::audit::model::{self as audit, AuditEvent};

pub struct FirstAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a SecretString,
}

async fn insert_account(
    conn: &mut AsyncPgConnection,
    organisation: Option<OrganisationId>,
    role: Role,
    account: &FirstAccount<'_>,
    hash: &str,
) -> ApiResult<AccountRow> {
    let email = normalise_email(account.email);
    accounts::insert(
        conn,
        NewAccount {
            id: AccountId::new().0,
            organisation_id: organisation.map(|o| o.0),
            email: Some(&email),
            name: account.name,
            role,
            password_hash: hash,
        },
    )
    .await
    .map_err(|e| {
        if accounts::is_email_taken(&e) {
            ApiError::new(ErrorCode::EmailTaken)
        } else {
            e.into()
        }
    })
}

async fn checked_hash(passwords: &Passwords, account: &FirstAccount<'_>) -> ApiResult<String> {
    let mut v = Validator::new();
    v.email("email", account.email);
    v.text("name", account.name, 1, 200);
    v.finish()?;
    passwords
        .hash(
            account.password,
            Policy::Password,
            &[account.email, account.name],
        )
        .await
}

/// Creates an organisation with its first admin, who can sign in at once.
pub async fn create_organisation(
    conn: &mut AsyncPgConnection,
    passwords: &Passwords,
    name: &str,
    kind: OrganisationKind,
    admin: FirstAccount<'_>,
) -> ApiResult<(OrganisationRow, AccountRow)> {
    let mut v = Validator::new();
    v.text("name", name, 1, 200);
    v.finish()?;
    let hash = checked_hash(passwords, &admin).await?;
    conn.transaction(async move |conn| {
        let org = organisations::insert(
            conn,
            NewOrganisation {
                id: OrganisationId::new().0,
                name,
                kind,
            },
        )
        .await?;
        let org_id = OrganisationId(org.id);
        let account = insert_account(conn, Some(org_id), kind.first_role(), &admin, &hash).await?;
        audit::record(
            conn,
            AuditEvent {
                organisation: Some(org_id),
                person: None,
                actor: None,
                action: crate::trust::audit::Action::OrganisationCreated,
                subject_type: "organisation",
                subject_id: Some(org.id),
                details: serde_json::json!({ "kind": kind.as_str(), "via": "cli" }),
            },
        )
        .await?;
        Ok::<_, ApiError>((org, account))
    })
    .await
}

/// Creates a platform administrator (no organisation).
pub async fn create_platform_admin(
    conn: &mut AsyncPgConnection,
    passwords: &Passwords,
    admin: FirstAccount<'_>,
) -> ApiResult<AccountRow> {
    let hash = checked_hash(passwords, &admin).await?;
    insert_account(conn, None, Role::PlatformAdmin, &admin, &hash).await
}
