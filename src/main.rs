//! The `camau` command: serve the API, run migrations, print the OpenAPI document, or create
//! the first accounts of a new deployment.

use std::io::BufRead;

use anyhow::Context;
use camau::app::Application;
use camau::auth::OrganisationKind;
use camau::auth::password::Passwords;
use camau::config::Config;
use camau::platform::bootstrap::{self, FirstAccount};
use clap::{Parser, Subcommand, ValueEnum};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use secrecy::SecretString;

#[derive(Parser)]
#[command(
    name = "camau",
    version,
    about = "Camau: person-centred planning and outcomes API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (configuration from the environment; see .env.example).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Purge expired sessions, codes, throttle counters, stored responses and exports, and
    /// erase the records whose retention period has passed, once; print what was done
    /// (`serve` also does this every CAMAU_HOUSEKEEPING_INTERVAL_SECS).
    Maintenance,
    /// Erase every person whose organisation's retention period after their support ended
    /// has passed (a standing hold keeps a record), and print who; with --dry-run, only list
    /// who is due.
    Retention {
        #[arg(long)]
        dry_run: bool,
    },
    /// Create an organisation and its first admin. The password is read from
    /// CAMAU_BOOTSTRAP_PASSWORD or, with --password-stdin, from the first line of stdin.
    CreateOrganisation {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Load a synthetic demo dataset: a commissioning body with contracts, providers, staff
    /// and people with plans, reviews over two years and stories (no photos). The same seed
    /// gives the same data; the sign-in details of a few accounts are printed at the end.
    DemoData {
        #[arg(long)]
        people: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Connections writing batches at once (the database's cores are the useful limit).
        #[arg(long, default_value_t = 2)]
        writers: usize,
    },
    /// Create a platform administrator (password as for create-organisation).
    CreatePlatformAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Provider,
    CommissioningBody,
}

fn password(from_stdin: bool) -> anyhow::Result<SecretString> {
    let raw = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        std::env::var("CAMAU_BOOTSTRAP_PASSWORD")
            .context("set CAMAU_BOOTSTRAP_PASSWORD or pass --password-stdin")?
    };
    Ok(SecretString::from(raw))
}

fn problem(e: camau::error::ApiError) -> anyhow::Error {
    let p = e.problem();
    let fields: Vec<String> = p
        .errors
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    anyhow::anyhow!(
        "{} ({}){}{}",
        p.title,
        e.code.as_str(),
        p.detail.map(|d| format!(": {d}")).unwrap_or_default(),
        if fields.is_empty() {
            String::new()
        } else {
            format!(" [{}]", fields.join("; "))
        }
    )
}

async fn connect(config: &Config) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(config.database.url())
        .await
        .context("connecting to the database")
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let url = config.database.url().to_owned();
    let applied = tokio::task::spawn_blocking(move || camau::db::run_migrations(&url))
        .await?
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(count = applied.len(), "migrations applied");
    Ok(())
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        // Needs no configuration: CI and developers regenerate the spec without a database.
        print!("{}", camau::routes::spec_json());
        return Ok(());
    }
    let config = Config::from_env()?;
    camau::platform::telemetry::init(config.log_format);
    match cli.command {
        Command::Openapi => {}
        Command::Migrate => migrate(&config).await?,
        Command::Maintenance => {
            let mut conn = connect(&config).await?;
            let purged = camau::platform::housekeeping::purge(&mut conn, &config).await?;
            let storage = camau::platform::storage::Storage::from_config(&config.storage)?;
            let retention = camau::trust::retention::run(&mut conn, &storage, false).await?;
            let swept = camau::platform::storage::sweep::sweep(&storage, &mut conn).await?;
            println!(
                "{}",
                serde_json::json!({
                    "purged": purged,
                    "storage": swept,
                    "retention": { "erased": retention.erased, "held": retention.held, "failed": retention.failed },
                })
            );
        }
        Command::Retention { dry_run } => {
            let mut conn = connect(&config).await?;
            let storage = camau::platform::storage::Storage::from_config(&config.storage)?;
            let outcome = camau::trust::retention::run(&mut conn, &storage, dry_run).await?;
            println!("{}", serde_json::to_string_pretty(&outcome)?);
            anyhow::ensure!(outcome.failed == 0, "{} erasures failed", outcome.failed);
        }
        Command::Serve => {
            let app = Application::build(config)?;
            tracing::info!(port = app.port(), "serving");
            app.run_until_stopped().await?;
        }
        Command::CreateOrganisation {
            name,
            kind,
            admin_email,
            admin_name,
            password_stdin,
        } => {
            let secret = password(password_stdin)?;
            let kind = match kind {
                Kind::Provider => OrganisationKind::Provider,
                Kind::CommissioningBody => OrganisationKind::CommissioningBody,
            };
            let passwords = Passwords::new(1, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut conn = connect(&config).await?;
            let (org, admin) = bootstrap::create_organisation(
                &mut conn,
                &passwords,
                &name,
                kind,
                FirstAccount {
                    email: &admin_email,
                    name: &admin_name,
                    password: &secret,
                },
            )
            .await
            .map_err(problem)?;
            println!("organisation_id={}\nadmin_account_id={}", org.id, admin.id);
        }
        Command::DemoData {
            people,
            seed,
            writers,
        } => {
            anyhow::ensure!(people > 0, "--people must be at least 1");
            anyhow::ensure!((1..=32).contains(&writers), "--writers must be 1 to 32");
            let passwords = Passwords::new(1, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut connections = Vec::new();
            for _ in 0..writers {
                connections.push(connect(&config).await?);
            }
            let started = std::time::Instant::now();
            let summary = camau::platform::demo::generate(
                connections,
                &passwords,
                &camau::platform::demo::Options { people, seed },
                camau::platform::demo::progress_bar,
            )
            .await?;
            eprintln!("loaded in {:.1} s", started.elapsed().as_secs_f64());
            summary.print();
        }
        Command::CreatePlatformAdmin {
            email,
            name,
            password_stdin,
        } => {
            let secret = password(password_stdin)?;
            let passwords = Passwords::new(1, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut conn = connect(&config).await?;
            let admin = bootstrap::create_platform_admin(
                &mut conn,
                &passwords,
                FirstAccount {
                    email: &email,
                    name: &name,
                    password: &secret,
                },
            )
            .await
            .map_err(problem)?;
            println!("platform_admin_account_id={}", admin.id);
        }
    }
    Ok(())
}
