//! `camau demo-data`: a realistic synthetic dataset for trying the dashboard and the reports
//! and for benchmarking them. Deterministic from the seed (the same seed gives the same
//! records); written in bulk (multi-row inserts into the same tables, through the same
//! schema and types the model uses) so that 100,000 people load in minutes. Nobody in it is
//! real: names are invented, there are no photos, contact details are on `.test` domains.

mod words;

use std::io::Write;

use diesel::{ExpressionMethods, QueryDsl, TextExpressionMethods};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use secrecy::{ExposeSecret, SecretString};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::auth::password::{Passwords, Policy};
use crate::auth::roles::{OrganisationKind, Role};
use crate::db::schema::{
    accounts, circle_members, contracts, goal_actions, goal_codes, goal_status_changes, goals,
    mentor_assignments, organisations, people, review_ratings, reviews, scales, stories,
};
use crate::fields::Lang;
use crate::plan::people::types::{Gender, ServiceType};

/// People written per transaction (and per progress step).
const BATCH: usize = 500;
/// Rows per INSERT statement: well under PostgreSQL's 65,535 parameters.
const ROWS: usize = 4_000;

pub struct Options {
    pub people: usize,
    pub seed: u64,
}

/// Sign-in details of a few demo accounts, printed at the end.
pub struct Summary {
    pub password: SecretString,
    pub accounts: Vec<(String, String, String)>,
    pub commissioning_body: Uuid,
    pub providers: Vec<Uuid>,
}

struct Staff {
    org: Uuid,
    mentors: Vec<Uuid>,
}

fn uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

fn at(day: Date, rng: &mut StdRng) -> OffsetDateTime {
    day.with_time(Time::from_hms(rng.random_range(8..18), rng.random_range(0..60), 0).unwrap())
        .assume_utc()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Generates and writes the dataset, batches in parallel on `connections` (at least one);
/// `progress` is told (done, total) as batches commit.
pub async fn generate(
    mut connections: Vec<AsyncPgConnection>,
    passwords: &Passwords,
    options: &Options,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Summary> {
    anyhow::ensure!(!connections.is_empty(), "demo data needs a connection");
    let conn = &mut connections[0];
    let mut rng = StdRng::seed_from_u64(options.seed);
    let domain = format!("demo-{}.camau.test", options.seed);
    let taken: i64 = accounts::table
        .filter(accounts::email.like(format!("%@{domain}")))
        .count()
        .get_result(conn)
        .await?;
    anyhow::ensure!(
        taken == 0,
        "seed {} is already loaded in this database: choose another --seed",
        options.seed
    );
    // From the operating system, not the seed: knowing the seed must not give a sign-in.
    let mut os = StdRng::from_os_rng();
    let password: String = (0..4)
        .map(|_| {
            (0..5)
                .map(|_| *pick(&mut os, b"abcdefghjkmnpqrstuvwxyz23456789") as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-");
    let password = SecretString::from(password);
    let hash = passwords
        .hash(&password, Policy::Password, &[])
        .await
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {:?}", e.code))?;

    let scale_rows: Vec<(Uuid, String, f64, f64)> = scales::table
        .select((
            scales::id,
            scales::code,
            scales::min_value,
            scales::max_value,
        ))
        .order(scales::code)
        .load(conn)
        .await?;
    let areas = nof_areas(conn).await?;
    let today = crate::fields::today();

    // Organisations, staff and contracts.
    let providers = (options.people / 5_000).clamp(1, 20);
    let per_provider = options.people.div_ceil(providers);
    let body = uuid(&mut rng);
    let mut orgs = vec![(
        body,
        format!("Demo commissioning body {}", options.seed),
        OrganisationKind::CommissioningBody,
    )];
    let mut staff_rows = Vec::new();
    let mut shown = Vec::new();
    let mut account = |rng: &mut StdRng, org: Uuid, role: Role, label: &str| {
        let id = uuid(rng);
        let first = pick(rng, words::FIRST_NAMES);
        let last = pick(rng, words::LAST_NAMES);
        let email = format!("{label}@{domain}");
        staff_rows.push((
            accounts::id.eq(id),
            accounts::organisation_id.eq(Some(org)),
            accounts::email.eq(Some(email.clone())),
            accounts::name.eq(format!("{first} {last}")),
            accounts::role.eq(role),
            accounts::password_hash.eq(hash.clone()),
            accounts::email_verified_at.eq(Some(OffsetDateTime::now_utc())),
            accounts::speaks_welsh.eq(rng.random_bool(0.3)),
        ));
        (id, email)
    };
    let (_, e) = account(&mut rng, body, Role::Admin, "body.admin");
    shown.push(("commissioning body admin".to_string(), e, body.to_string()));
    let (_, e) = account(&mut rng, body, Role::Commissioner, "commissioner");
    shown.push(("commissioner".to_string(), e, body.to_string()));
    let mut staff = Vec::new();
    let mut contract_rows = Vec::new();
    for p in 0..providers {
        let org = uuid(&mut rng);
        orgs.push((
            org,
            format!(
                "{} ({})",
                words::PROVIDERS[p % words::PROVIDERS.len()],
                options.seed
            ),
            OrganisationKind::Provider,
        ));
        let (_, e) = account(&mut rng, org, Role::Admin, &format!("p{p}.admin"));
        if p == 0 {
            shown.push(("provider admin".to_string(), e, org.to_string()));
        }
        account(
            &mut rng,
            org,
            Role::Coordinator,
            &format!("p{p}.coordinator"),
        );
        let mentors: Vec<Uuid> = (0..per_provider.div_ceil(25).max(1))
            .map(|m| {
                let (id, e) = account(&mut rng, org, Role::Mentor, &format!("p{p}.mentor{m}"));
                if p == 0 && m == 0 {
                    shown.push(("mentor".to_string(), e, org.to_string()));
                }
                id
            })
            .collect();
        // Every provider under contract for two years; the last one's ended six months ago
        // (when there are three or more), so reports show a contract ending.
        let ended = providers >= 3 && p == providers - 1;
        contract_rows.push((
            contracts::id.eq(uuid(&mut rng)),
            contracts::commissioning_body_id.eq(body),
            contracts::provider_id.eq(org),
            contracts::starts_on.eq(today - Duration::days(730)),
            contracts::ends_on.eq(ended.then(|| today - Duration::days(182))),
        ));
        staff.push(Staff { org, mentors });
    }
    conn.transaction(async |conn| {
        let org_rows: Vec<_> = orgs
            .iter()
            .map(|(id, name, kind)| {
                (
                    organisations::id.eq(*id),
                    organisations::name.eq(name),
                    organisations::kind.eq(*kind),
                )
            })
            .collect();
        diesel::insert_into(organisations::table)
            .values(org_rows)
            .execute(conn)
            .await?;
        for chunk in staff_rows.chunks(ROWS / 8) {
            diesel::insert_into(accounts::table)
                .values(chunk.to_vec())
                .execute(conn)
                .await?;
        }
        diesel::insert_into(contracts::table)
            .values(contract_rows)
            .execute(conn)
            .await?;
        Ok::<_, diesel::result::Error>(())
    })
    .await?;

    // People and their plans: batches made here in order (so the seed decides every record)
    // and written by one task per connection, each batch in its own transaction.
    let (work, queue) = tokio::sync::mpsc::channel::<(usize, Batch)>(connections.len());
    let queue = std::sync::Arc::new(tokio::sync::Mutex::new(queue));
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let tasks: Vec<_> = connections
        .into_iter()
        .map(|mut conn| {
            let (queue, done_tx) = (queue.clone(), done_tx.clone());
            tokio::spawn(async move {
                loop {
                    let Some((first, batch)) = queue.lock().await.recv().await else {
                        break;
                    };
                    let n = batch.people.len();
                    if let Err(e) = batch.write_audited(&mut conn, first).await {
                        // No more batches for anyone: the load stops at the first failure.
                        queue.lock().await.close();
                        return Err(e);
                    }
                    let _ = done_tx.send(n);
                }
                Ok::<_, diesel::result::Error>(())
            })
        })
        .collect();
    drop((queue, done_tx));
    let (mut made, mut written) = (0, 0);
    while made < options.people {
        let n = BATCH.min(options.people - made);
        let batch = people_batch(
            &mut rng,
            &staff,
            made,
            n,
            per_provider,
            &scale_rows,
            &areas,
            today,
        );
        // A closed queue means every writer stopped: its error is reported below.
        if work.send((made, batch)).await.is_err() {
            break;
        }
        made += n;
        while let Ok(n) = done_rx.try_recv() {
            written += n;
            progress(written, options.people);
        }
    }
    drop(work);
    while let Some(n) = done_rx.recv().await {
        written += n;
        progress(written, options.people);
    }
    for task in tasks {
        task.await??;
    }
    anyhow::ensure!(written == options.people, "the writers stopped early");
    Ok(Summary {
        password,
        accounts: shown,
        commissioning_body: body,
        providers: staff.iter().map(|s| s.org).collect(),
    })
}

/// The NOF's areas (ids), which every demo goal is coded to.
async fn nof_areas(conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<Uuid>> {
    use crate::db::schema::{framework_versions, outcome_areas};
    use diesel::{JoinOnDsl, QueryDsl};
    Ok(outcome_areas::table
        .inner_join(
            framework_versions::table.on(framework_versions::id.eq(outcome_areas::version_id)),
        )
        .filter(framework_versions::framework_id.eq(crate::outcomes::frameworks::NOF_WALES))
        .order(outcome_areas::position)
        .select(outcome_areas::id)
        .load(conn)
        .await?)
}

/// A goal: id, person, organisation, title, language, status, scale, author, created.
type GoalRow = (
    Uuid,
    Uuid,
    Uuid,
    String,
    Lang,
    &'static str,
    Uuid,
    Uuid,
    OffsetDateTime,
);
/// A story: id, person, organisation, body, language, goal, author, told.
type StoryRow = (
    Uuid,
    Uuid,
    Uuid,
    String,
    Lang,
    Option<Uuid>,
    Uuid,
    OffsetDateTime,
);

/// One batch of people with everything about them, as rows ready to insert.
#[derive(Default)]
struct Batch {
    people: Vec<crate::plan::people::model::NewPerson>,
    ended: Vec<(Uuid, Date)>,
    mentors: Vec<(Uuid, Uuid, Uuid)>,
    members: Vec<(Uuid, Uuid, Uuid, String, &'static str, bool)>,
    goals: Vec<GoalRow>,
    changes: Vec<(Uuid, Uuid, Uuid, Uuid, &'static str, Uuid, OffsetDateTime)>,
    codes: Vec<(Uuid, Uuid, Uuid, Uuid, Uuid, Uuid, OffsetDateTime)>,
    actions: Vec<(Uuid, Uuid, Uuid, Uuid, String, bool, Uuid)>,
    reviews: Vec<(Uuid, Uuid, Uuid, Date, Option<Date>, Uuid)>,
    ratings: Vec<(Uuid, Uuid, Uuid, Uuid, f64)>,
    stories: Vec<StoryRow>,
}

#[allow(clippy::too_many_arguments)]
fn people_batch(
    rng: &mut StdRng,
    staff: &[Staff],
    first: usize,
    n: usize,
    per_provider: usize,
    scales: &[(Uuid, String, f64, f64)],
    areas: &[Uuid],
    today: Date,
) -> Batch {
    let mut b = Batch::default();
    for i in first..first + n {
        let s = &staff[(i / per_provider).min(staff.len() - 1)];
        let mentor = s.mentors[rng.random_range(0..s.mentors.len())];
        let person = uuid(rng);
        let service = *pick(
            rng,
            &[
                ServiceType::LearningDisability,
                ServiceType::LearningDisability,
                ServiceType::ChildrensServices,
                ServiceType::WorkSupport,
                ServiceType::MentalHealth,
                ServiceType::Other,
            ],
        );
        let age = if service == ServiceType::ChildrensServices {
            rng.random_range(8..18)
        } else {
            rng.random_range(18..80)
        };
        let born = today - Duration::days(age * 365 + rng.random_range(0..365));
        let welsh = rng.random_bool(0.2);
        let offered = rng.random_bool(0.9);
        let started = today - Duration::days(rng.random_range(30..900));
        let gender = *pick(
            rng,
            &[
                Gender::Female,
                Gender::Female,
                Gender::Male,
                Gender::Male,
                Gender::NonBinary,
                Gender::NotStated,
            ],
        );
        b.people.push(crate::plan::people::model::NewPerson {
            id: person,
            organisation_id: s.org,
            preferred_name: pick(rng, words::FIRST_NAMES).to_string(),
            legal_name: None,
            date_of_birth: rng.random_bool(0.95).then_some(born),
            gender: rng.random_bool(0.9).then_some(gender),
            pronouns: None,
            preferred_language: if welsh { Lang::Cy } else { Lang::En },
            welsh_offered: offered,
            welsh_accepted: offered.then_some(welsh),
            communication_needs: Vec::new(),
            service_type: service,
            support_started_on: started,
        });
        // Records stop where support ended.
        let mut last = today;
        if rng.random_bool(0.08) {
            let days = (today - started).whole_days();
            last = started + Duration::days(rng.random_range(days / 2..days));
            b.ended.push((person, last));
        }
        b.mentors.push((person, mentor, s.org));
        for _ in 0..rng.random_range(0..4) {
            let relationship = *pick(
                rng,
                &[
                    "family",
                    "family",
                    "friend",
                    "professional",
                    "community",
                    "peer",
                ],
            );
            b.members.push((
                uuid(rng),
                person,
                s.org,
                pick(rng, words::FIRST_NAMES).to_string(),
                relationship,
                rng.random_bool(0.7),
            ));
        }
        // Goals, each with codes, actions and a rating at most reviews.
        let mut person_goals = Vec::new();
        for _ in 0..rng.random_range(3..8) {
            let goal = uuid(rng);
            let scale = &scales[*pick(rng, &[0usize, 0, 0, 0, 0, 0, 0, 1, 1, 2]) % scales.len()];
            let lang = if welsh && rng.random_bool(0.7) {
                Lang::Cy
            } else {
                Lang::En
            };
            // Most goals are set early in the support, a few later.
            let span = (last - started).whole_days().max(1);
            let early = rng.random_bool(0.8);
            let created = started
                + Duration::days(rng.random_range(0..=if early { span * 2 / 5 } else { span }));
            let roll: f64 = rng.random();
            let status = if roll < 0.2 {
                "achieved"
            } else if roll < 0.25 {
                "paused"
            } else if roll < 0.28 {
                "stopped"
            } else {
                "active"
            };
            let created_at = at(created, rng);
            b.goals.push((
                goal,
                person,
                s.org,
                words::goal(rng, lang),
                lang,
                status,
                scale.0,
                mentor,
                created_at,
            ));
            b.changes
                .push((uuid(rng), goal, person, s.org, "active", mentor, created_at));
            if status != "active" {
                let after =
                    Duration::days(rng.random_range(0..=(last - created).whole_days().max(0)));
                b.changes.push((
                    uuid(rng),
                    goal,
                    person,
                    s.org,
                    status,
                    mentor,
                    created_at + after + Duration::hours(1),
                ));
            }
            if rng.random_bool(0.9) {
                let first_area = rng.random_range(0..areas.len());
                b.codes.push((
                    uuid(rng),
                    goal,
                    person,
                    s.org,
                    areas[first_area],
                    mentor,
                    created_at,
                ));
                if rng.random_bool(0.25) {
                    let second =
                        (first_area + 1 + rng.random_range(0..areas.len() - 1)) % areas.len();
                    b.codes.push((
                        uuid(rng),
                        goal,
                        person,
                        s.org,
                        areas[second],
                        mentor,
                        created_at,
                    ));
                }
            }
            for _ in 0..rng.random_range(1..4) {
                b.actions.push((
                    uuid(rng),
                    goal,
                    person,
                    s.org,
                    words::action(rng, lang),
                    rng.random_bool(0.4),
                    mentor,
                ));
            }
            // Where the person starts on the scale, and whether this goal is ever rated.
            let start = rng.random_range(0.0..0.5);
            person_goals.push((goal, created, scale, start, rng.random_bool(0.9)));
        }
        // Reviews about every four months since support started; the latest sets a next date
        // that is, for some, already past.
        let mut held = started + Duration::days(rng.random_range(14..60));
        let mut k = 0;
        while held <= last {
            let review = uuid(rng);
            let next = held + Duration::days(*pick(rng, &[60i64, 90, 90, 90, 120]));
            b.reviews
                .push((review, person, s.org, held, Some(next), mentor));
            for (goal, created, scale, start, rated) in &person_goals {
                if !rated || *created > held || rng.random_bool(0.08) {
                    continue;
                }
                let (min, max) = (scale.2, scale.3);
                let drift: f64 = rng.random_range(-0.1..0.25);
                let share = (start + drift * k as f64 / 2.0).clamp(0.0, 1.0);
                let value = (min + (max - min) * share).round();
                b.ratings.push((review, *goal, person, s.org, value));
            }
            k += 1;
            held = next + Duration::days(rng.random_range(-20..30));
        }
        for _ in 0..rng.random_range(0..4) {
            // A story about a goal comes after the goal was set.
            let about = (!person_goals.is_empty() && rng.random_bool(0.6))
                .then(|| &person_goals[rng.random_range(0..person_goals.len())]);
            let from = about.map_or(started, |g| g.1);
            let on = from + Duration::days(rng.random_range(0..=(last - from).whole_days().max(0)));
            let about = about.map(|g| g.0);
            let lang = if welsh { Lang::Cy } else { Lang::En };
            b.stories.push((
                uuid(rng),
                person,
                s.org,
                words::story(rng, lang),
                lang,
                about,
                mentor,
                at(on, rng),
            ));
        }
    }
    b
}

impl Batch {
    /// Writes the batch, its sync notes, its rollups and its audit event in one transaction.
    /// As a bulk load (migration 000023): the inserts skip the per-row sync note and the
    /// per-statement rollup refresh, and this writes both once for the whole batch (the rollups
    /// without the refresh's per-goal locks: nobody else can write these people before commit).
    async fn write_audited(
        &self,
        conn: &mut AsyncPgConnection,
        first: usize,
    ) -> Result<(), diesel::result::Error> {
        use diesel::sql_types::{Array, Uuid as SqlUuid};
        let people: Vec<Uuid> = self.people.iter().map(|p| p.id).collect();
        conn.transaction(async |conn| {
            diesel::sql_query("SELECT set_config('camau.bulk_load', 'on', true)")
                .execute(conn)
                .await?;
            self.write(conn).await?;
            // What `sync_note` would have written for each inserted record.
            diesel::sql_query(
                "INSERT INTO sync_log (record_type, record_id, person_id, organisation_id, op, tx,
                                       seq, changed_at, withdrawn, unseen)
                 SELECT kind, id, person_id, organisation_id, 'upsert',
                        pg_current_xact_id()::text::bigint, nextval('sync_seq'), now(), false, false
                 FROM (SELECT 'assignment' AS kind, mentor_id AS id, person_id, organisation_id
                         FROM mentor_assignments WHERE person_id = ANY ($1)
                       UNION ALL SELECT 'circle_member', id, person_id, organisation_id
                         FROM circle_members WHERE person_id = ANY ($1)
                       UNION ALL SELECT 'goal', id, person_id, organisation_id
                         FROM goals WHERE person_id = ANY ($1)
                       UNION ALL SELECT 'action', id, person_id, organisation_id
                         FROM goal_actions WHERE person_id = ANY ($1)
                       UNION ALL SELECT 'review', id, person_id, organisation_id
                         FROM reviews WHERE person_id = ANY ($1)
                       UNION ALL SELECT 'story', id, person_id, organisation_id
                         FROM stories WHERE person_id = ANY ($1)) x",
            )
            .bind::<Array<SqlUuid>, _>(&people)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "SELECT kpi_goals_write(ARRAY(SELECT id FROM goals WHERE person_id = ANY ($1))),
                        kpi_reviews_write($1)",
            )
            .bind::<Array<SqlUuid>, _>(&people)
            .execute(conn)
            .await?;
            // Invented people: one event for the batch, by the service.
            let event = crate::trust::audit::model::AuditEvent {
                organisation: None,
                actor: None,
                person: None,
                action: crate::trust::audit::Action::DemoPeopleGenerated,
                subject_type: "demo",
                subject_id: None,
                details: serde_json::json!({ "people": self.people.len(), "first": first }),
            };
            crate::trust::audit::model::record(conn, event).await
        })
        .await
    }

    async fn write(&self, conn: &mut AsyncPgConnection) -> Result<(), diesel::result::Error> {
        for c in self.people.chunks(ROWS / 16) {
            diesel::insert_into(people::table)
                .values(c)
                .execute(conn)
                .await?;
        }
        let (ended, on): (Vec<Uuid>, Vec<Date>) = self.ended.iter().copied().unzip();
        diesel::sql_query(
            "UPDATE people p SET support_ended_on = e.day
             FROM unnest($1::uuid[], $2::date[]) AS e (id, day) WHERE p.id = e.id",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&ended)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Date>, _>(&on)
        .execute(conn)
        .await?;
        let rows: Vec<_> = self
            .mentors
            .iter()
            .map(|(p, m, o)| {
                (
                    mentor_assignments::person_id.eq(p),
                    mentor_assignments::mentor_id.eq(m),
                    mentor_assignments::organisation_id.eq(o),
                )
            })
            .collect();
        diesel::insert_into(mentor_assignments::table)
            .values(rows)
            .execute(conn)
            .await?;
        let rows: Vec<_> = self
            .members
            .iter()
            .map(|(id, p, o, name, rel, goals)| {
                (
                    circle_members::id.eq(id),
                    circle_members::person_id.eq(p),
                    circle_members::organisation_id.eq(o),
                    circle_members::name.eq(name),
                    circle_members::relationship.eq(*rel),
                    circle_members::can_see_goals.eq(goals),
                    circle_members::can_see_stories.eq(goals),
                    circle_members::can_encourage.eq(true),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 8) {
            diesel::insert_into(circle_members::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .goals
            .iter()
            .map(|(id, p, o, title, lang, status, scale, author, at)| {
                (
                    goals::id.eq(id),
                    goals::person_id.eq(p),
                    goals::organisation_id.eq(o),
                    goals::title.eq(title),
                    goals::lang.eq(*lang),
                    goals::status.eq(*status),
                    goals::scale_id.eq(scale),
                    goals::author_account_id.eq(author),
                    goals::created_at.eq(at),
                    goals::updated_at.eq(at),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 10) {
            diesel::insert_into(goals::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .changes
            .iter()
            .map(|(id, g, p, o, status, by, at)| {
                (
                    goal_status_changes::id.eq(id),
                    goal_status_changes::goal_id.eq(g),
                    goal_status_changes::person_id.eq(p),
                    goal_status_changes::organisation_id.eq(o),
                    goal_status_changes::status.eq(*status),
                    goal_status_changes::changed_by.eq(by),
                    goal_status_changes::changed_at.eq(at),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 7) {
            diesel::insert_into(goal_status_changes::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .codes
            .iter()
            .map(|(id, g, p, o, area, by, at)| {
                (
                    goal_codes::id.eq(id),
                    goal_codes::goal_id.eq(g),
                    goal_codes::person_id.eq(p),
                    goal_codes::organisation_id.eq(o),
                    goal_codes::area_id.eq(area),
                    goal_codes::coded_by.eq(by),
                    goal_codes::coded_at.eq(at),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 7) {
            diesel::insert_into(goal_codes::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .actions
            .iter()
            .map(|(id, g, p, o, text, done, author)| {
                (
                    goal_actions::id.eq(id),
                    goal_actions::goal_id.eq(g),
                    goal_actions::person_id.eq(p),
                    goal_actions::organisation_id.eq(o),
                    goal_actions::description.eq(text),
                    goal_actions::owner.eq("person"),
                    goal_actions::state.eq("accepted"),
                    goal_actions::done_at.eq(done.then(OffsetDateTime::now_utc)),
                    goal_actions::author_account_id.eq(author),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 10) {
            diesel::insert_into(goal_actions::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .reviews
            .iter()
            .map(|(id, p, o, held, next, author)| {
                (
                    reviews::id.eq(id),
                    reviews::person_id.eq(p),
                    reviews::organisation_id.eq(o),
                    reviews::held_on.eq(held),
                    reviews::person_took_part.eq(true),
                    reviews::lang.eq("en"),
                    reviews::next_review_on.eq(next),
                    reviews::author_account_id.eq(author),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 8) {
            diesel::insert_into(reviews::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .ratings
            .iter()
            .map(|(r, g, p, o, v)| {
                (
                    review_ratings::review_id.eq(r),
                    review_ratings::goal_id.eq(g),
                    review_ratings::person_id.eq(p),
                    review_ratings::organisation_id.eq(o),
                    review_ratings::value.eq(v),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 5) {
            diesel::insert_into(review_ratings::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = self
            .stories
            .iter()
            .map(|(id, p, o, body, lang, goal, author, at)| {
                (
                    stories::id.eq(id),
                    stories::person_id.eq(p),
                    stories::organisation_id.eq(o),
                    stories::body.eq(body),
                    stories::lang.eq(*lang),
                    stories::audience.eq("circle"),
                    stories::goal_id.eq(goal),
                    stories::author_account_id.eq(author),
                    stories::author_kind.eq("staff"),
                    stories::status.eq("published"),
                    stories::created_at.eq(at),
                    stories::updated_at.eq(at),
                )
            })
            .collect();
        for c in rows.chunks(ROWS / 12) {
            diesel::insert_into(stories::table)
                .values(c.to_vec())
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

/// Writes the progress bar to stderr.
pub fn progress_bar(done: usize, total: usize) {
    let width = 40;
    let filled = done * width / total.max(1);
    eprint!(
        "\r[{}{}] {:>3}% {done}/{total} people",
        "#".repeat(filled),
        " ".repeat(width - filled),
        done * 100 / total.max(1)
    );
    if done >= total {
        eprintln!();
    }
    let _ = std::io::stderr().flush();
}

impl Summary {
    pub fn print(&self) {
        println!("Demo data loaded. Sign in with any of these (password for all of them):");
        println!("  password: {}", self.password.expose_secret());
        for (what, email, org) in &self.accounts {
            println!("  {what:<26} {email:<40} organisation {org}");
        }
        println!("  commissioning body: {}", self.commissioning_body);
    }
}
