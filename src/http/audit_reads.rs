//! Reads of a person's record, on the audit trail before the response leaves. Every check on a
//! person passes through `auth::access::person`, which notes it; this middleware writes one
//! event per person a successful request read, naming the part read and the record the path
//! named. A request that changed the person's record wrote its own event in its transaction,
//! so it adds none here. The events go in by group commit (`audit::reads`), and the response
//! waits for theirs. If the event cannot be written, the caller gets 503, not the data.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use uuid::Uuid;

use crate::auth::access::{self, Seen};
use crate::error::ApiError;
use crate::state::AppState;
use crate::trust::audit::reads::ReadEvent;

pub async fn audit_reads(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (res, seen) = access::watching(next.call(req)).await;
    let res = res?.map_into_boxed_body();
    // A console page can show several parts of a record at once (a plan: record, profile,
    // goals, reviews, stories); each goes on the log. An API request reads one part.
    // Decided from the route taken, not the path as sent (routing decodes `%63onsole`).
    let every_part = res
        .request()
        .match_pattern()
        .is_some_and(|p| p.starts_with("/console/"));
    let reads = reads(&seen, every_part);
    // Shown: a 2xx, a redirect to the object (a signed photo URL) or a 304 (the copy the
    // client holds is current).
    if res.status().as_u16() >= 400 || reads.is_empty() {
        return Ok(res);
    }
    let (subject_type, subject_id) = subject(&res);
    let written = async {
        let state = state.ok_or_else(|| ApiError::internal("no application state"))?;
        let events = reads.into_iter().map(|read| {
            state.read_events.record(
                &state.pool,
                ReadEvent {
                    organisation: read.organisation,
                    actor: read.actor,
                    person: read.person,
                    action: format!("{}.viewed", read.part),
                    subject_type: subject_type.unwrap_or("person"),
                    subject_id: subject_id.unwrap_or(read.person.0),
                },
            )
        });
        futures_util::future::try_join_all(events).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match written {
        Ok(()) => Ok(res),
        Err(e) => {
            tracing::warn!(
                request_id = crate::platform::telemetry::request_id::current(),
                "a read could not be audited; its response withheld"
            );
            let (req, _) = res.into_parts();
            let e = if e.code == crate::error::ErrorCode::ServiceUnavailable {
                e
            } else {
                ApiError::busy()
            };
            Ok(ServiceResponse::new(req, e.error_response()))
        }
    }
}

/// One read per person: the last part the request was authorized to read (with `every_part`,
/// one per part read), unless it changed the person's record (then its change's event says
/// what happened).
struct Read {
    person: crate::ids::PersonId,
    organisation: Option<crate::ids::OrganisationId>,
    actor: crate::ids::AccountId,
    part: &'static str,
}

fn reads(seen: &[Seen], every_part: bool) -> Vec<Read> {
    let mut out: Vec<Read> = Vec::new();
    let mut changed = Vec::new();
    for s in seen {
        match s.action.part_read() {
            None => changed.push(s.person),
            Some(part) => match out
                .iter_mut()
                .find(|r| r.person == s.person && (!every_part || r.part == part))
            {
                Some(r) => r.part = part,
                None => out.push(Read {
                    person: s.person,
                    organisation: s.organisation,
                    actor: s.actor,
                    part,
                }),
            },
        }
    }
    out.retain(|r| !changed.contains(&r.person));
    out
}

/// The record the path names: its last `{…_id}` segment (`goal`, `story`, `photo`, `person`).
fn subject(res: &ServiceResponse<BoxBody>) -> (Option<&'static str>, Option<Uuid>) {
    let info = res.request().match_info();
    let last = info
        .iter()
        .filter_map(|(name, value)| Some((name.strip_suffix("_id")?, value.parse::<Uuid>().ok()?)))
        .last();
    match last {
        Some((name, id)) => (Some(subject_name(name)), Some(id)),
        None => (None, None),
    }
}

/// Path parameter names as stable subject types.
fn subject_name(name: &str) -> &'static str {
    match name {
        "person" => "person",
        "goal" => "goal",
        "action" => "goal_action",
        "review" => "review",
        "story" => "story",
        "photo" => "photo",
        "comment" => "comment",
        "member" => "circle_member",
        "export" => "export",
        _ => "record",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::access::PersonAction;
    use crate::ids::{AccountId, OrganisationId, PersonId};

    fn seen(person: PersonId, action: PersonAction) -> Seen {
        Seen {
            person,
            organisation: Some(OrganisationId(Uuid::nil())),
            actor: AccountId(Uuid::nil()),
            action,
        }
    }

    #[test]
    fn one_read_per_person_and_none_where_the_request_changed_the_record() {
        let (a, b) = (PersonId::new(), PersonId::new());
        let seen = [
            seen(a, PersonAction::ViewFeed),
            seen(a, PersonAction::ViewStories),
            seen(b, PersonAction::ViewGoals),
            seen(b, PersonAction::Encourage),
            seen(a, PersonAction::ViewStories),
        ];
        let r = reads(&seen, false);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].person, r[0].part), (a, "stories"));
        // A console page: each part once.
        let r = reads(&seen, true);
        let parts: Vec<_> = r.iter().map(|r| (r.person, r.part)).collect();
        assert_eq!(parts, vec![(a, "feed"), (a, "stories")]);
    }
}
