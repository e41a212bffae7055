//! One database per test, copied from a template that holds the migrated schema. The template
//! is made once per migration set (named by a hash of the migration files) under an advisory
//! lock, so parallel tests and parallel runs share it safely.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use camau::auth::password::Passwords;
use diesel::sql_types::{BigInt, Bool};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use tokio::sync::OnceCell;
use uuid::Uuid;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
/// An arbitrary advisory-lock key ("camau" in ASCII).
const TEMPLATE_LOCK: i64 = 0x0063_616d_6175;
static PASSWORD_HASH: OnceCell<String> = OnceCell::const_new();

/// The server-level URL (any database on the cluster), from `DATABASE_URL`.
fn server_url() -> String {
    std::env::var("DATABASE_URL")
        .expect("DATABASE_URL must point at a PostgreSQL server: run the suite with scripts/test")
}

/// `url` with its database name replaced by `db`.
pub fn url_for(db: &str) -> String {
    let url = server_url();
    let (base, rest) = url
        .rsplit_once('/')
        .expect("DATABASE_URL has a database name");
    let query = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{db}{query}")
}

/// The streaming replica of the test server that `scripts/test` starts, with database `db`.
pub fn replica_url(db: &str) -> String {
    let url = std::env::var("CAMAU_TEST_READ_DATABASE_URL").expect(
        "CAMAU_TEST_READ_DATABASE_URL must name a streaming replica of DATABASE_URL's server: \
         run the suite with scripts/test, which starts one",
    );
    let (base, _) = url
        .rsplit_once('/')
        .expect("CAMAU_TEST_READ_DATABASE_URL has a database name");
    format!("{base}/{db}")
}

/// A connection to the replica's `postgres` database (to pause and resume its replay).
pub async fn replica_admin() -> AsyncPgConnection {
    AsyncPgConnection::establish(&replica_url("postgres"))
        .await
        .expect("connect to the replica")
}

/// Waits until the replica has replayed everything the primary has committed so far.
pub async fn replica_caught_up() {
    #[derive(QueryableByName)]
    struct Lsn {
        #[diesel(sql_type = diesel::sql_types::Text)]
        lsn: String,
    }
    let primary: Lsn = sql_query("SELECT pg_current_wal_insert_lsn()::text AS lsn")
        .get_result(&mut admin().await)
        .await
        .expect("primary position");
    let mut replica = replica_admin().await;
    for _ in 0..300 {
        let done: Exists = sql_query("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS exists")
            .bind::<diesel::sql_types::Text, _>(&primary.lsn)
            .get_result(&mut replica)
            .await
            .expect("replica position");
        if done.exists {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the replica did not catch up within 15 s");
}

async fn admin() -> AsyncPgConnection {
    AsyncPgConnection::establish(&url_for("postgres"))
        .await
        .expect("connect to the PostgreSQL server")
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

fn migrations_hash() -> u64 {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file)
            .expect("read migration")
            .hash(&mut hasher);
    }
    hasher.finish()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("read migrations dir")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("camau_tmpl_{:016x}", migrations_hash());
            let mut conn = admin().await;
            sql_query("SELECT pg_advisory_lock($1)")
                .bind::<BigInt, _>(TEMPLATE_LOCK)
                .execute(&mut conn)
                .await
                .expect("advisory lock");
            let exists: Exists = sql_query(format!(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}') AS exists"
            ))
            .get_result(&mut conn)
            .await
            .expect("look up template");
            if !exists.exists {
                let building = format!("{name}_building");
                sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                    .execute(&mut conn)
                    .await
                    .expect("drop stale template");
                sql_query(format!("CREATE DATABASE {building}"))
                    .execute(&mut conn)
                    .await
                    .expect("create template");
                let url = url_for(&building);
                // diesel's migration harness is synchronous: run it on a plain thread.
                std::thread::spawn(move || {
                    camau::db::run_migrations(&url).map_err(|e| e.to_string())
                })
                .join()
                .expect("migration thread")
                .expect("migrations");
                sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("publish template");
            }
            sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<BigInt, _>(TEMPLATE_LOCK)
                .execute(&mut conn)
                .await
                .expect("advisory unlock");
            name
        })
        .await
}

pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    pub async fn create() -> Self {
        let template = template().await;
        let name = format!("camau_test_{}", Uuid::now_v7().simple());
        let mut conn = admin().await;
        sql_query(format!(
            "CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY"
        ))
        .execute(&mut conn)
        .await
        .expect("create test database");
        TestDatabase {
            url: url_for(&name),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime: do the async work on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let mut conn = admin().await;
                let _ = sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            });
        })
        .join();
    }
}

/// The argon2 hash of `support::PASSWORD`, computed once per run.
pub async fn password_hash(passwords: &Passwords) -> String {
    PASSWORD_HASH
        .get_or_init(|| async {
            passwords
                .hash(
                    &super::secret(super::PASSWORD),
                    camau::auth::password::Policy::Password,
                    &[],
                )
                .await
                .expect("hash")
        })
        .await
        .clone()
}
