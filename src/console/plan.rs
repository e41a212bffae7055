//! `GET /console/people/{person_id}`: a person's plan, read-only: their record, strengths
//! profile, goals, reviews and stories with photo thumbnails. Each part is read through the
//! API's own function for it, so each passes that part's `Authorized` proof and is on the
//! person's access log as the app's reads are.

use actix_web::http::StatusCode;
use actix_web::{get, web};
use maud::{Markup, html};

use crate::console::page::{self, Desk, PageResult};
use crate::console::words::Words;
use crate::error::ApiError;
use crate::http::pagination::PageQuery;
use crate::ids::PersonId;
use crate::outcomes::kpis::figures::Dimension;
use crate::outcomes::reports::types::value_label;
use crate::plan::people::types::CommunicationNeed;
use crate::plan::profiles::types::Section;
use crate::state::AppState;

/// Pages of 100 read for a plan's goals and reviews; past that the app has the rest.
const PAGES: usize = 5;

/// Every item of a person's list, up to [`PAGES`] pages, and whether more were left.
macro_rules! every_page {
    ($load:path, $state:expr, $user:expr, $person:expr) => {{
        let mut items = Vec::new();
        let mut cursor = None;
        let mut more = false;
        for i in 0..PAGES {
            let page = PageQuery {
                limit: Some(100),
                cursor: cursor.take(),
            };
            let list = $load($state, $user, $person, &page).await?;
            items.extend(list.items);
            match list.next_cursor {
                Some(next) if i + 1 < PAGES => cursor = Some(next),
                Some(_) => more = true,
                None => break,
            }
        }
        (items, more)
    }};
}

#[get("/people/{person_id}")]
pub async fn plan(state: web::Data<AppState>, desk: Desk, path: web::Path<String>) -> PageResult {
    // A malformed id is a record nobody has: the same page as another organisation's.
    let person = path
        .parse::<uuid::Uuid>()
        .map(PersonId)
        .map_err(|_| ApiError::not_found())?;
    let user = &desk.signed.user;
    let (_, profile) = crate::plan::profiles::get::load(&state, user, person).await?;
    // Goals and reviews whole (the API lists them oldest first); stories newest first.
    let (goals, goals_more) = every_page!(crate::plan::goals::list::load, &state, user, person);
    let (mut reviews, reviews_more) =
        every_page!(crate::plan::reviews::list::load, &state, user, person);
    reviews.sort_by_key(|r| std::cmp::Reverse(r.held_on));
    let page = PageQuery {
        limit: Some(20),
        cursor: None,
    };
    let stories = crate::social::stories::list::load(&state, user, person, &page).await?;
    // Read last: a request's access-log event names the last part it read (`http::audit_reads`),
    // and this page is the person's record.
    let (_, record) = crate::plan::people::get::load(&state, user, person).await?;
    let (w, lang) = (desk.ctx.w, desk.ctx.lang);
    let goal_title = |id: uuid::Uuid| {
        goals
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.title.clone())
    };
    let body = html! {
        section aria-labelledby="record" {
            h2 #record { (w.record) }
            dl.facts {
                dt { (w.name) } dd { (record.preferred_name) }
                @if let Some(d) = &record.details {
                    @if let Some(p) = &d.pronouns { dt { (w.pronouns) } dd { (p) } }
                    dt { (w.preferred_language) } dd { (value_label(Dimension::Language, d.preferred_language.as_str(), lang).text) }
                    @if !d.communication_needs.is_empty() {
                        dt { (w.communication_needs) }
                        dd { @for (i, n) in d.communication_needs.iter().enumerate() { @if i > 0 { ", " } (need(w, *n)) } }
                    }
                    dt { (w.service_type) } dd { (value_label(Dimension::ServiceType, d.service_type.as_str(), lang).text) }
                    dt { (w.support_started) } dd { (d.support_started_on) }
                    @if let Some(end) = d.support_ended_on { dt { (w.support_ended) } dd { (end) } }
                }
            }
        }
        section aria-labelledby="profile" {
            h2 #profile { (w.profile) }
            @if profile.sections.is_empty() { p { (w.nothing_yet) } }
            @for s in &profile.sections {
                h3 { (section(w, s.section)) }
                p lang=(s.lang.as_str()) { (s.text) }
            }
        }
        section aria-labelledby="goals" {
            h2 #goals { (w.goals) }
            @if goals.is_empty() { p { (w.nothing_yet) } }
            @for g in &goals {
                article.goal {
                    h3 lang=(g.lang.as_str()) { (g.title) }
                    dl.facts {
                        dt { (w.status) } dd { (status(w, g.status.as_str())) }
                        @if let Some(t) = g.target_date { dt { (w.target_date) } dd { (t) } }
                        @if let Some(why) = &g.why_it_matters { dt { (w.why_it_matters) } dd lang=(g.lang.as_str()) { (why) } }
                    }
                }
            }
            (more(w, goals_more))
        }
        section aria-labelledby="reviews" {
            h2 #reviews { (w.reviews) }
            @if reviews.is_empty() { p { (w.nothing_yet) } }
            @for r in &reviews {
                article.review {
                    h3 { (w.held_on) " " (r.held_on) }
                    dl.facts {
                        @if let Some(t) = &r.whats_working { dt { (w.whats_working) } dd lang=(r.lang.as_str()) { (t) } }
                        @if let Some(t) = &r.whats_not_working { dt { (w.whats_not_working) } dd lang=(r.lang.as_str()) { (t) } }
                        @if let Some(t) = &r.staff_notes { dt { (w.staff_notes) } dd lang=(r.lang.as_str()) { (t) } }
                        @if let Some(next) = r.next_review_on { dt { (w.next_review) } dd { (next) } }
                    }
                    @if !r.ratings.is_empty() {
                        div.table-wrap {
                            table {
                                caption { (w.ratings) }
                                tbody {
                                    @for rating in &r.ratings {
                                        tr { th scope="row" { (goal_title(rating.goal_id)) } td.num { (rating.value) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (more(w, reviews_more))
        }
        section aria-labelledby="stories" {
            h2 #stories { (w.stories) }
            @if stories.items.is_empty() { p { (w.nothing_yet) } }
            @for s in &stories.items {
                article.story {
                    p lang=(s.lang.as_str()) { (s.body) }
                    p { small { (w.written_by) " " (s.author.display_name) ", " (s.created_at.date()) } }
                    @if !s.photos.is_empty() {
                        ul.photos {
                            @for p in &s.photos {
                                li { img src={ "/console/photos/" (p.id) } alt=(w.photo_of_story) loading="lazy"
                                    width="128" height=(thumb_height(p.width, p.height)); }
                            }
                        }
                    }
                }
            }
            (more(w, stories.next_cursor.is_some()))
        }
    };
    Ok(page::html(
        StatusCode::OK,
        page::shell(
            &desk.ctx,
            &format!("{}: {}", w.plan, record.preferred_name),
            body,
        ),
        lang,
    ))
}

fn thumb_height(width: i32, height: i32) -> i64 {
    if width <= 0 {
        return 128;
    }
    (128 * i64::from(height) / i64::from(width)).max(1)
}

fn more(w: &Words, more: bool) -> Markup {
    html! { @if more { p { (w.more_in_app) } } }
}

fn need(w: &Words, n: CommunicationNeed) -> &'static str {
    match n {
        CommunicationNeed::EasyRead => w.needs[0],
        CommunicationNeed::LargeText => w.needs[1],
        CommunicationNeed::Symbols => w.needs[2],
        CommunicationNeed::Audio => w.needs[3],
    }
}

fn section(w: &Words, s: Section) -> &'static str {
    match s {
        Section::LikedAndAdmired => w.sections[0],
        Section::ImportantToMe => w.sections[1],
        Section::ImportantForMe => w.sections[2],
        Section::HowToSupportMe => w.sections[3],
        Section::StrengthsAndSkills => w.sections[4],
        Section::HopesAndDreams => w.sections[5],
    }
}

fn status(w: &Words, s: &str) -> &'static str {
    match s {
        "active" => w.active,
        "achieved" => w.achieved,
        "paused" => w.paused,
        _ => w.stopped,
    }
}
