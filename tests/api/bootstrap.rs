//! `camau create-organisation` / `create-platform-admin`: the first accounts of a deployment.

use camau::auth::OrganisationKind;
use camau::platform::bootstrap::{self, FirstAccount};

use crate::support::{TestApp, secret};

#[actix_web::test]
async fn the_first_admin_made_from_the_shell_can_sign_in_and_invite() {
    let app = TestApp::new().await;
    let state = &app.shared.state;
    let mut conn = state.conn().await.unwrap();
    let password = secret("Croeso-i-Camau-2026!");
    let (org, admin) = bootstrap::create_organisation(
        &mut conn,
        &state.passwords,
        "Cymorth Gwent",
        OrganisationKind::Provider,
        FirstAccount {
            email: "Admin@Gwent.example",
            name: "Gwen",
            password: &password,
        },
    )
    .await
    .unwrap();
    assert_eq!(admin.email.as_deref(), Some("admin@gwent.example"));
    let tokens = app
        .login("admin@gwent.example", "Croeso-i-Camau-2026!")
        .await
        .expect(200);
    let token = tokens["tokens"]["access_token"].as_str().unwrap();
    app.post(&format!("/v1/organisations/{}/invitations", org.id))
        .bearer(token)
        .json(&serde_json::json!({ "email": "mentor@gwent.example", "role": "mentor" }))
        .send()
        .await
        .expect(201);

    // The same rules as the API: weak passwords and taken emails are refused.
    let weak = secret("password1234");
    let err = bootstrap::create_platform_admin(
        &mut conn,
        &state.passwords,
        FirstAccount {
            email: "ops@camau.example",
            name: "Ops",
            password: &weak,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, camau::error::ErrorCode::PasswordTooWeak);
    let err = bootstrap::create_platform_admin(
        &mut conn,
        &state.passwords,
        FirstAccount {
            email: "admin@gwent.example",
            name: "Ops",
            password: &password,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, camau::error::ErrorCode::EmailTaken);
}
