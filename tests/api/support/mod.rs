//! The test harness: a `TestApp` per test, served in-process through the same `app()` as
//! production, on its own database copied from a migrated template; builders for the
//! organisations and accounts a test needs; and a small request/response API.

pub mod db;
pub mod net;
pub mod request;
pub mod s3;
pub mod smtp;

use std::rc::Rc;

use actix_web::dev::Service;
use actix_web::test;
use camau::app::{Shared, app};
use camau::auth::roles::{OrganisationKind, Role};
use camau::config::Config;
use camau::ids::{AccountId, OrganisationId};
use futures_util::future::LocalBoxFuture;
use secrecy::SecretString;
use serde_json::Value;
use uuid::Uuid;

pub use request::{Req, Res};

/// The JWT keys of every test app; tests forge tokens with them.
pub const TEST_KID: &str = "test-key";
pub const TEST_SECRET: &str = "test-secret-that-is-long-enough-for-hs256";
/// The password of every account the builders make.
pub const PASSWORD: &str = "Hiraeth-and-bara-brith-42";

type Call = Rc<dyn Fn(actix_http::Request) -> LocalBoxFuture<'static, Res>>;

pub struct TestApp {
    call: Call,
    pub shared: Shared,
    database: db::TestDatabase,
}

/// Environment overrides for one test app.
#[derive(Default)]
pub struct TestEnv(Vec<(&'static str, String)>);

impl TestEnv {
    pub fn set(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.0.push((name, value.into()));
        self
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_env(TestEnv::default()).await
    }

    pub async fn with_env(env: TestEnv) -> Self {
        Self::on(db::TestDatabase::create().await, env).await
    }

    /// An app whose reports, dashboards and exports read from the streaming replica that
    /// `scripts/test` starts (`CAMAU_TEST_READ_DATABASE_URL`), once the replica has this test's
    /// database.
    pub async fn with_replica(env: TestEnv) -> Self {
        let database = db::TestDatabase::create().await;
        let replica = db::replica_url(&database.name);
        db::replica_caught_up().await;
        Self::on(database, env.set("CAMAU_READ_DATABASE_URL", replica)).await
    }

    async fn on(database: db::TestDatabase, env: TestEnv) -> Self {
        let config = test_config(&database.url, env);
        let shared = Shared::new(config).expect("app state");
        let service = Rc::new(test::init_service(app(shared.clone())).await);
        let call: Call = Rc::new(move |req| {
            let service = service.clone();
            Box::pin(async move {
                match service.call(req).await {
                    Ok(res) => {
                        Res::read(res.status(), res.headers().clone(), res.into_body()).await
                    }
                    Err(e) => {
                        let res = e.error_response();
                        Res::read(res.status(), res.headers().clone(), res.into_body()).await
                    }
                }
            })
        });
        TestApp {
            call,
            shared,
            database,
        }
    }

    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// Another instance of the service on this test's database, served over TCP on a free
    /// port with its background tasks (live updates, mail, housekeeping), as `serve` runs it.
    pub async fn serve(&self, env: TestEnv) -> Served {
        let env = env
            .set("CAMAU_BIND", "127.0.0.1:0")
            .set("CAMAU_WORKERS", "1");
        let app =
            camau::app::Application::build(test_config(&self.database.url, env)).expect("server");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        let task = actix_web::rt::spawn(app.run_until_stopped());
        for _ in 0..200 {
            if state.live.is_listening() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert!(
            state.live.is_listening(),
            "the instance never started listening"
        );
        Served { base, task, state }
    }

    pub async fn send(&self, req: actix_http::Request) -> Res {
        (self.call)(req).await
    }

    pub fn get(&self, path: &str) -> Req<'_> {
        Req::new(self, test::TestRequest::get().uri(path))
    }

    pub fn post(&self, path: &str) -> Req<'_> {
        Req::new(self, test::TestRequest::post().uri(path))
    }

    pub fn patch(&self, path: &str) -> Req<'_> {
        Req::new(self, test::TestRequest::patch().uri(path))
    }

    pub fn delete(&self, path: &str) -> Req<'_> {
        Req::new(self, test::TestRequest::delete().uri(path))
    }

    /// A published story of `person`'s for their circle, written by them: its id.
    pub async fn story(&self, person: &Person) -> String {
        let story = self
            .post(&format!("/v1/people/{}/stories", person.id))
            .bearer(&person.account.token)
            .json(&serde_json::json!({ "body": "Fy llun i", "lang": "cy", "audience": "circle" }))
            .send()
            .await
            .expect(201);
        story["id"].as_str().unwrap().to_owned()
    }

    /// A comment by `who` on `story`: its id.
    pub async fn comment(&self, who: &Actor, story: &str) -> String {
        let comment = self
            .post(&format!("/v1/stories/{story}/comments"))
            .bearer(&who.token)
            .json(&serde_json::json!({ "body": "Da iawn ti!" }))
            .send()
            .await
            .expect(201);
        comment["id"].as_str().unwrap().to_owned()
    }

    pub fn head(&self, path: &str) -> Req<'_> {
        Req::new(
            self,
            test::TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri(path),
        )
    }

    pub fn put(&self, path: &str) -> Req<'_> {
        Req::new(self, test::TestRequest::put().uri(path))
    }

    // --- builders --------------------------------------------------------------------------

    pub async fn provider(&self) -> Org {
        self.organisation(OrganisationKind::Provider).await
    }

    pub async fn commissioning_body(&self) -> Org {
        self.organisation(OrganisationKind::CommissioningBody).await
    }

    async fn organisation(&self, kind: OrganisationKind) -> Org {
        let id = OrganisationId::new();
        let mut conn = self.shared.state.conn().await.expect("connection");
        camau::identity::organisations::model::insert(
            &mut conn,
            camau::identity::organisations::model::NewOrganisation {
                id: id.0,
                name: &format!("Org {}", &id.0.simple().to_string()[20..]),
                kind,
            },
        )
        .await
        .expect("insert organisation");
        Org { id: id.0 }
    }

    /// A signed-in account with `role` in `org` (or a platform administrator with `None`).
    pub async fn account(&self, org: Option<&Org>, role: Role) -> Actor {
        let id = AccountId::new();
        let email = format!("{}-{}@example.org", role.as_str(), id.0.simple());
        let name = format!("{} {}", role.as_str(), &id.0.simple().to_string()[24..]);
        let hash = db::password_hash(&self.shared.state.passwords).await;
        let mut conn = self.shared.state.conn().await.expect("connection");
        camau::identity::accounts::model::insert(
            &mut conn,
            camau::identity::accounts::model::NewAccount {
                id: id.0,
                organisation_id: org.map(|o| o.id),
                email: Some(&email),
                name: &name,
                role,
                password_hash: &hash,
            },
        )
        .await
        .expect("insert account");
        let tokens = camau::identity::sessions::sign_in(&self.shared.state, &mut conn, id)
            .await
            .expect("sign in");
        Actor {
            id: id.0,
            email,
            name,
            token: tokens.tokens.access_token,
            refresh_token: tokens.tokens.refresh_token,
        }
    }

    pub async fn admin(&self, org: &Org) -> Actor {
        self.account(Some(org), Role::Admin).await
    }

    pub async fn platform_admin(&self) -> Actor {
        self.account(None, Role::PlatformAdmin).await
    }

    /// A supported person of `org` with their own sign-in.
    pub async fn person(&self, org: &Org) -> Person {
        let id = Uuid::now_v7();
        let name = format!("Person {}", &id.simple().to_string()[24..]);
        self.sql(&format!(
            "INSERT INTO people (id, organisation_id, preferred_name, legal_name, service_type, support_started_on) \
             VALUES ('{id}', '{}', '{name}', 'Legal {name}', 'learning_disability', '2026-01-05')",
            org.id
        ))
        .await;
        let account = self.account(Some(org), Role::Person).await;
        self.sql(&format!(
            "UPDATE accounts SET email = NULL WHERE id = '{}'; UPDATE people SET account_id = '{}' WHERE id = '{id}'",
            account.id, account.id
        ))
        .await;
        Person { id, name, account }
    }

    pub async fn assign(&self, person: &Person, mentor: &Actor, org: &Org) {
        self.sql(&format!(
            "INSERT INTO mentor_assignments (person_id, mentor_id, organisation_id) VALUES ('{}', '{}', '{}')",
            person.id, mentor.id, org.id
        ))
        .await;
    }

    /// A signed-in supporter in `person`'s circle with the given grants (all or nothing).
    /// A person with a PIN (`480137`) login on a phone: (person id, device key, the token
    /// pair the redemption answered).
    pub async fn person_with_pin(&self) -> (Uuid, String, Value) {
        let org = self.provider().await;
        let mentor = self.account(Some(&org), Role::Mentor).await;
        let person = self.person(&org).await;
        self.assign(&person, &mentor, &org).await;
        let code = self
            .post(&format!("/v1/people/{}/device-codes", person.id))
            .bearer(&mentor.token)
            .send()
            .await
            .expect(201)["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let signed = self
            .post("/v1/device-codes/redeem")
            .peer("203.0.113.200:4000")
            .json(&serde_json::json!({ "code": code, "secret": "480137" }))
            .send()
            .await
            .expect(201);
        let key = signed["device_key"].as_str().unwrap().to_owned();
        (person.id, key, signed)
    }

    pub async fn supporter(&self, person: &Person, org: &Org, grants: bool) -> (Uuid, Actor) {
        let account = self.account(None, Role::Supporter).await;
        let member = Uuid::now_v7();
        self.sql(&format!(
            "INSERT INTO circle_members (id, person_id, organisation_id, name, relationship, email, phone, \
               can_see_profile, can_see_goals, can_see_stories, can_see_reviews, can_encourage, can_contribute, account_id) \
             VALUES ('{member}', '{}', '{}', '{}', 'family', '{}', '07700 900123', {grants}, {grants}, {grants}, {grants}, {grants}, {grants}, '{}')",
            person.id, org.id, account.name, account.email, account.id
        ))
        .await;
        (member, account)
    }

    /// Runs SQL against this test's database (for builders and set-up only). Set-up is not
    /// an access to anyone's record: it is marked audited without an event, in the one
    /// transaction the statements run in.
    pub async fn sql(&self, sql: &str) {
        use diesel_async::SimpleAsyncConnection;
        let mut conn = self.shared.state.conn().await.expect("connection");
        conn.batch_execute(&format!(
            "SELECT set_config('camau.audited', 'on', true); {sql}"
        ))
        .await
        .expect("test set-up SQL");
    }

    /// The one number `sql` (a query of one row and one column) gives.
    pub async fn scalar(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.shared.state.conn().await.expect("connection");
        diesel_async::RunQueryDsl::get_result::<N>(
            diesel::sql_query(format!("SELECT ({sql})::bigint AS n")),
            &mut conn,
        )
        .await
        .expect("test query")
        .n
    }

    /// Signs `actor` in again through the API and returns the token pair.
    pub async fn login(&self, email: &str, password: &str) -> Res {
        self.post("/v1/auth/login")
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
    }
}

fn test_config(url: &str, env: TestEnv) -> Config {
    let keys = format!("{TEST_KID}:{TEST_SECRET}");
    Config::from_lookup(move |name| {
        if let Some((_, v)) = env.0.iter().rev().find(|(k, _)| *k == name) {
            return Some(v.clone());
        }
        match name {
            "DATABASE_URL" => Some(url.to_owned()),
            "CAMAU_JWT_KEYS" => Some(keys.clone()),
            "CAMAU_STORAGE" => Some("memory".into()),
            "CAMAU_DB_POOL_SIZE" => Some("4".into()),
            "CAMAU_PASSWORD_HASH_CONCURRENCY" => Some("2".into()),
            _ => None,
        }
    })
    .expect("test configuration")
}

/// A served instance; stopped when dropped.
pub struct Served {
    pub base: String,
    /// The instance's shared state (its live hub, for one).
    pub state: actix_web::web::Data<camau::state::AppState>,
    task: actix_web::rt::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug, Clone)]
pub struct Org {
    pub id: Uuid,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub account: Actor,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub token: String,
    pub refresh_token: String,
}

/// An image fixture's bytes, from `tests/fixtures/images` (see its README).
pub fn image(name: &str) -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/images")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}
