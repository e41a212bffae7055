//! Liveness, readiness, metrics and the request id.

use crate::support::{TestApp, TestEnv};

#[actix_web::test]
async fn live_and_ready_when_database_and_storage_are_up() {
    let app = TestApp::new().await;
    let body = app.get("/health/live").send().await.expect(200);
    assert_eq!(body["status"], "ok");
    let body = app.get("/health/ready").send().await.expect(200);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["storage"], "ok");
}

#[actix_web::test]
async fn not_ready_when_the_database_is_unreachable() {
    // A port nothing listens on: the pool cannot connect.
    let app = TestApp::with_env(
        TestEnv::default()
            .set("DATABASE_URL", "postgres://camau:x@127.0.0.1:9/none")
            .set("CAMAU_DB_POOL_TIMEOUT_MS", "300"),
    )
    .await;
    let res = app.get("/health/ready").send().await;
    let body = res.expect(503);
    assert_eq!(body["database"], "unavailable");
    assert_eq!(body["storage"], "ok");
    // Endpoints that need the database answer 503 problem+json, not 500.
    app.post("/v1/auth/login")
        .json(&serde_json::json!({"email": "a@example.org", "password": "x"}))
        .send()
        .await
        .problem(503, "service_unavailable");
}

#[actix_web::test]
async fn not_ready_when_local_storage_is_unwritable() {
    let dir = std::env::temp_dir().join(format!("camau-ro-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let app = TestApp::with_env(
        TestEnv::default()
            .set("CAMAU_STORAGE", "local")
            .set("CAMAU_STORAGE_PATH", dir.to_string_lossy()),
    )
    .await;
    app.get("/health/ready").send().await.expect(200);
    // Replace the storage folder with a file: writes now fail, as when a disk is gone.
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a folder").unwrap();
    let body = app.get("/health/ready").send().await.expect(503);
    assert_eq!(body["storage"], "unavailable");
    assert_eq!(body["database"], "ok");
    std::fs::remove_file(&dir).unwrap();
}

#[actix_web::test]
async fn metrics_count_requests_by_route_template() {
    let token = "scraper-token-0123456789";
    let app = TestApp::with_env(TestEnv::default().set("CAMAU_METRICS_TOKEN", token)).await;
    let id = uuid::Uuid::now_v7();
    app.get(&format!("/v1/staff/{id}")).send().await.expect(401);
    app.get("/health/live").send().await.expect(200);
    // Not public: no token, a wrong token, or a user's access token all get 404.
    app.get("/metrics")
        .send()
        .await
        .problem(404, "route_not_found");
    app.get("/metrics")
        .bearer("scraper-token-9876543210")
        .send()
        .await
        .problem(404, "route_not_found");
    let res = app.get("/metrics").bearer(token).send().await;
    assert_eq!(res.status, 200);
    let text = res.text();
    assert!(
        text.contains(r#"camau_http_requests_total{method="GET",route="/v1/staff/{account_id}",status="401"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"route="/health/live",status="200""#));
    assert!(text.contains("camau_http_request_duration_seconds_bucket"));
    assert!(text.contains("camau_password_jobs_accepted "));
    assert!(text.contains(r#"camau_db_pool_connections{state="max"} 4"#));
    assert!(
        !text.contains(&id.to_string()),
        "metrics must not carry ids"
    );
}

#[actix_web::test]
async fn request_ids_are_made_by_the_server_and_appear_in_errors() {
    let app = TestApp::new().await;
    // A caller's id is never taken as ours: it could name another request's audit events.
    let res = app
        .get("/v1/me")
        .header("x-request-id", "trace-abc-123")
        .send()
        .await;
    let made = res.header("x-request-id").unwrap().to_owned();
    assert_ne!(made, "trace-abc-123");
    assert!(uuid::Uuid::parse_str(&made).is_ok(), "{made}");
    assert_eq!(res.problem(401, "unauthenticated")["request_id"], made);

    let res = app
        .get("/v1/me")
        .header("x-request-id", "bad id with spaces")
        .send()
        .await;
    let made = res.header("x-request-id").unwrap().to_owned();
    assert_ne!(made, "bad id with spaces");
    assert_eq!(res.problem(401, "unauthenticated")["request_id"], made);
}

#[actix_web::test]
async fn docs_are_served_without_any_cdn() {
    let app = TestApp::new().await;
    let res = app.get("/docs").send().await;
    assert_eq!(res.status, 308);
    assert_eq!(res.header("location"), Some("/docs/"));
    let res = app.get("/docs/").send().await;
    assert_eq!(res.status, 200);
    let html = res.text();
    assert!(html.contains("swagger"), "{html}");
    assert!(
        !html.contains("https://"),
        "docs page must not load remote assets"
    );
    let init = app.get("/docs/swagger-initializer.js").send().await;
    assert_eq!(init.status, 200);
    assert!(init.text().contains("/openapi.json"));
    let spec = app.get("/openapi.json").send().await.expect(200);
    assert_eq!(spec["info"]["title"], "Camau API");
}

#[actix_web::test]
async fn ready_against_a_real_s3_server_and_not_when_it_refuses_or_stops() {
    use crate::support::s3::{BUCKET, S3TestServer, SECRET_KEY};
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let body = app.get("/health/ready").send().await.expect(200);
    assert_eq!(body["storage"], "ok");
    // The probe really went through the S3 protocol into the bucket.
    assert!(s3.root.join(BUCKET).join("health").join("probe").exists());

    // A wrong secret fails SigV4 verification: not ready.
    let wrong = TestApp::with_env(s3.env("not-the-secret-key")).await;
    let body = wrong.get("/health/ready").send().await.expect(503);
    assert_eq!(body["storage"], "unavailable");

    s3.stop();
    let body = app.get("/health/ready").send().await.expect(503);
    assert_eq!(body["storage"], "unavailable");
    assert_eq!(body["database"], "ok");
}
