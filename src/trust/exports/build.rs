//! The export job: everything held about the person, gathered from the schema itself, into one
//! ZIP in storage. Runs after the request that started it has answered; a job that fails
//! marks the export failed (the person or an admin asks again). The ZIP is written to a
//! private temporary file, photo by photo as they stream from storage, and sent to storage in
//! parts: memory holds the record's rows and a few megabytes, never the photos together.

use std::io::Write;

use diesel::QueryableByName;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::auth::Authorized;
use crate::auth::access::PersonScope;
use crate::state::AppState;
use crate::trust::exports::model;

/// Export builds at once per instance: each holds a connection and a temporary file, so a
/// burst of requests queues here instead of starving requests.
static BUILDS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Runs the job for `export` and records how it ended.
pub async fn run(
    state: actix_web::web::Data<AppState>,
    export: Uuid,
    scope: Authorized<PersonScope>,
) {
    let Ok(_turn) = BUILDS.acquire().await else {
        return;
    };
    let file = TempFile::new(export);
    let done = async {
        let size = {
            // The whole record as it stands: the replica only once it holds all of it.
            let mut read = state.read_conn().await.map_err(|e| e.to_string())?;
            build(&mut read, &state, &scope, &file.0).await?
        };
        let mut conn = state.conn().await.map_err(|e| e.to_string())?;
        state
            .storage
            .put_file(&model::key(export), &file.0, "application/zip")
            .await
            .map_err(|e| e.to_string())?;
        let finished = model::finish(&mut conn, export, Some(size))
            .await
            .map_err(|e| e.to_string())?;
        if finished == 0 {
            // Erased (or expired) while it was built: its file goes too.
            let prefix = format!("exports/{export}/");
            crate::platform::storage::sweep::queue_and_remove_prefix(
                &state.storage,
                &mut conn,
                &prefix,
            )
            .await;
        }
        Ok::<_, String>(())
    }
    .await;
    drop(file);
    if let Err(error) = done {
        tracing::warn!(export_id = %export, error, "export failed");
        if let Ok(mut conn) = state.conn().await {
            let _ = model::finish(&mut conn, export, None).await;
        }
    }
}

/// The ZIP being built: a file only this process's user may read (it is the person's whole
/// record), removed when the job ends however it ends.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(export: Uuid) -> Self {
        TempFile(std::env::temp_dir().join(format!("camau-export-{export}.zip")))
    }
}

/// Removes export files a crash or a kill left behind (older than an hour, when a job still
/// building would have been marked failed): each is a person's whole record. Run at start and
/// by housekeeping; the number removed.
pub fn sweep_temp_files() -> usize {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return 0;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("camau-export-") && name.ends_with(".zip")
        })
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| at < hour_ago)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// A new file at `path` that only this process's user may read.
fn create_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    row: String,
}

/// Every row of `table` about the person, as JSON objects without secrets.
async fn rows(
    conn: &mut AsyncPgConnection,
    table: &str,
    column: &str,
    person: Uuid,
) -> Result<Vec<Value>, String> {
    let found: Vec<Row> = diesel::sql_query(format!(
        "SELECT to_jsonb(t)::text AS row FROM \"{}\" t WHERE \"{column}\" = $1",
        table.replace('"', "\"\"")
    ))
    .bind::<SqlUuid, _>(person)
    .load(conn)
    .await
    .map_err(|e| e.to_string())?;
    found
        .into_iter()
        .map(|r| {
            let mut v: Value = serde_json::from_str(&r.row).map_err(|e| e.to_string())?;
            if let Value::Object(o) = &mut v {
                o.retain(|k, _| !is_secret(k));
            }
            Ok(v)
        })
        .collect()
}

/// Hashes of codes, PINs and passwords, and sealed tokens: not the person's data, and no use
/// to them; kept out of every export.
fn is_secret(column: &str) -> bool {
    column.ends_with("_hash") || column.ends_with("_sealed") || column.contains("secret")
}

/// What the copy for the person withholds (ACCESS-POLICY.md, and the Data Protection Act 2018
/// Sch. 3 exemption for social work data whose disclosure would likely cause serious harm):
/// safeguarding concerns, who raised them and what they hid (a story's `hidden_at`, a comment's
/// `hidden_at` when a concern hid it: `hidden_by` names only moderation), legal holds and
/// erasure requests, who muted them, staff's private review notes, and the sync log (the
/// service's bookkeeping of which phones must drop what, which would show what was hidden).
/// Listed by name in `record.json` under `withheld`, so the copy says what it leaves out.
pub const WITHHELD_TABLES: &[&str] = &[
    "concerns",
    "legal_holds",
    "erasure_requests",
    "muted_people",
    "sync_log",
];
const WITHHELD_COLUMNS: &[(&str, &str)] = &[
    ("reviews", "staff_notes"),
    ("stories", "hidden_at"),
    ("comments", "hidden_at"),
];

/// The ZIP: `record.json`, `summary.md` and `photos/<id>.jpg`, written to `file` (made here);
/// its size.
async fn build(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    scope: &Authorized<PersonScope>,
    file: &std::path::Path,
) -> Result<i64, String> {
    let person = scope.id().person.0;
    let mut record = Map::new();
    let me = rows(conn, "people", "id", person).await?;
    let account = <[Value]>::first(&me)
        .and_then(|p| p["account_id"].as_str())
        .and_then(|a| a.parse::<Uuid>().ok());
    record.insert("people".into(), Value::Array(me));
    let accounts = match account {
        Some(a) => rows(conn, "accounts", "id", a).await?,
        None => Vec::new(),
    };
    record.insert("accounts".into(), Value::Array(accounts));
    let tables = crate::trust::erasure::model::person_tables(conn)
        .await
        .map_err(|e| e.to_string())?;
    for table in tables {
        if WITHHELD_TABLES.contains(&table.as_str()) {
            continue;
        }
        let mut found = rows(conn, &table, "person_id", person).await?;
        for (t, column) in WITHHELD_COLUMNS {
            if *t == table {
                for row in &mut found {
                    if let Value::Object(o) = row {
                        // A comment hidden by moderation keeps when (`hidden_by` says who).
                        let moderated = table == "comments" && !o["hidden_by"].is_null();
                        if !moderated {
                            o.remove(*column);
                        }
                    }
                }
            }
        }
        record.insert(table, Value::Array(found));
    }
    // Who saw and changed the record: the access log is held about them too.
    let mut trail = rows(conn, "audit_events", "person_id", person).await?;
    trail.retain(|e| {
        let action = e["action"].as_str().unwrap_or("");
        !crate::trust::audit_log::withheld_from(true, false)
            .iter()
            .any(|w| action.starts_with(w))
    });
    record.insert("audit_events".into(), Value::Array(trail));
    let withheld: Vec<Value> = WITHHELD_TABLES
        .iter()
        .map(|t| Value::String((*t).into()))
        .chain(
            WITHHELD_COLUMNS
                .iter()
                .map(|(t, c)| Value::String(format!("{t}.{c}"))),
        )
        .collect();
    record.insert("withheld".into(), Value::Array(withheld));

    let summary = summary(&record);
    let writer = create_private(file).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(writer));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let err = |e: zip::result::ZipError| e.to_string();
    zip.start_file("record.json", options).map_err(err)?;
    let json =
        serde_json::to_vec_pretty(&Value::Object(record.clone())).map_err(|e| e.to_string())?;
    zip.write_all(&json).map_err(|e| e.to_string())?;
    zip.start_file("summary.md", options).map_err(err)?;
    zip.write_all(summary.as_bytes())
        .map_err(|e| e.to_string())?;
    let photos: Vec<String> = record["photos"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|p| !p["stored_at"].is_null())
                .filter_map(|p| p["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for id in photos {
        let key = format!("photos/{id}/original.jpg");
        let mut stream = state.storage.read(&key).await.map_err(|e| e.to_string())?;
        zip.start_file(format!("photos/{id}.jpg"), stored)
            .map_err(err)?;
        while let Some(chunk) = stream.next().await {
            zip.write_all(&chunk.map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        }
    }
    let mut written = zip.finish().map_err(err)?;
    written.flush().map_err(|e| e.to_string())?;
    let size = written
        .get_ref()
        .metadata()
        .map_err(|e| e.to_string())?
        .len();
    Ok(i64::try_from(size).unwrap_or(i64::MAX))
}

/// The person's plan and stories in plain Markdown, in their language.
fn summary(record: &Map<String, Value>) -> String {
    let list = |t: &str| {
        record
            .get(t)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let person = list("people").into_iter().next().unwrap_or_default();
    let cy = person["preferred_language"] == "cy";
    let t = |en: &'static str, cy_: &'static str| if cy { cy_ } else { en };
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let mut out = format!(
        "# {}\n\n{}\n\n",
        text(&person["preferred_name"]),
        t(
            "Everything Camau holds about you is in record.json; your photos are in photos/.",
            "Mae popeth sydd gan Camau amdanoch chi yn record.json; mae eich lluniau yn photos/."
        )
    );
    out.push_str(&format!("## {}\n\n", t("My profile", "Fy mhroffil")));
    let mut entries = list("profile_entries");
    entries.sort_by_key(|e| text(&e["created_at"]));
    let mut latest: Vec<(String, String)> = Vec::new();
    for e in entries {
        let section = text(&e["section"]);
        latest.retain(|(s, _)| *s != section);
        latest.push((section, text(&e["body"])));
    }
    for (section, body) in latest {
        let heading = match (section.as_str(), cy) {
            ("liked_and_admired", false) => "What people like and admire about me",
            ("liked_and_admired", true) => "Beth mae pobl yn ei hoffi a'i edmygu amdanaf i",
            ("important_to_me", false) => "What is important to me",
            ("important_to_me", true) => "Beth sy'n bwysig i mi",
            ("important_for_me", false) => "What is important for me",
            ("important_for_me", true) => "Beth sy'n bwysig ar fy nghyfer i",
            ("how_to_support_me", false) => "How best to support me",
            ("how_to_support_me", true) => "Sut orau i'm cefnogi i",
            ("strengths_and_skills", false) => "My strengths and skills",
            ("strengths_and_skills", true) => "Fy nghryfderau a'm sgiliau",
            ("hopes_and_dreams", false) => "My hopes for the future",
            ("hopes_and_dreams", true) => "Fy ngobeithion ar gyfer y dyfodol",
            _ => "",
        };
        out.push_str(&format!("### {heading}\n\n{body}\n\n"));
    }
    out.push_str(&format!("## {}\n\n", t("My goals", "Fy nodau")));
    let actions = list("goal_actions");
    for g in list("goals") {
        out.push_str(&format!(
            "- **{}** ({})\n",
            text(&g["title"]),
            text(&g["status"])
        ));
        for a in actions.iter().filter(|a| a["goal_id"] == g["id"]) {
            let done = if a["done_at"].is_null() { " " } else { "x" };
            out.push_str(&format!("  - [{done}] {}\n", text(&a["description"])));
        }
    }
    out.push_str(&format!("\n## {}\n\n", t("My stories", "Fy straeon")));
    for s in list("stories") {
        let day: String = text(&s["created_at"]).chars().take(10).collect();
        out.push_str(&format!(
            "- {day}: {}\n",
            text(&s["body"]).replace('\n', " ")
        ));
    }
    out.push_str(&format!("\n## {}\n\n", t("My reviews", "Fy adolygiadau")));
    for r in list("reviews") {
        out.push_str(&format!("- {}\n", text(&r["held_on"])));
    }
    out
}
