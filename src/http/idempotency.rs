//! `Idempotency-Key` on POST: a phone that loses its connection mid-request can retry a
//! create without making two people, goals or reviews. The first successful response is kept
//! for 24 hours per account and key, and replayed (with `Idempotent-Replayed: true`) when the
//! same request comes again; the same key with a different request is refused (422), and a
//! retry while the first is still running gets 409. Only signed-in callers' requests are kept;
//! failures are not kept, so a corrected retry can succeed.
//!
//! What is stored is unreadable from the database alone: the client's key only as a hash, the
//! response sealed under a key derived from the server secret and the client's key. A claim
//! holds a lease, so a request that crashed frees its key after a minute rather than a day.
//! The authorization checks the first request passed are kept too and passed again before a
//! replay: a supporter whose grant was removed does not get the goal back from the store.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpResponse, ResponseError};
use diesel::sql_types::{Bytea, Jsonb, Nullable, Uuid as SqlUuid};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::auth::CurrentUser;
use crate::auth::access::{self, Check};
use crate::auth::current_user::bearer;
use crate::auth::session::{self, PersonOf};
use crate::db::schema::idempotency_keys as keys;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{OrganisationId, PersonId};
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// How long a response is kept for replay.
pub const KEEP: time::Duration = time::Duration::hours(24);
/// How long a claim holds its key while the first request runs.
const LEASE: time::Duration = time::Duration::seconds(60);
const SEAL_PURPOSE: &[u8] = b"idempotent response";
/// Response headers worth replaying.
const REPLAYED: [&str; 3] = ["content-type", "etag", "location"];

fn problem(req: ServiceRequest, e: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(e.error_response())
}

/// The stored response, before sealing: headers as JSON, then the body.
fn pack(headers: &serde_json::Value, body: &[u8]) -> Vec<u8> {
    let head = headers.to_string().into_bytes();
    let mut out = (head.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&head);
    out.extend_from_slice(body);
    out
}

fn unpack(packed: &[u8]) -> Option<(serde_json::Value, &[u8])> {
    let (len, rest) = packed.split_at_checked(4)?;
    let len = u32::from_be_bytes(len.try_into().ok()?) as usize;
    let (head, body) = rest.split_at_checked(len)?;
    Some((serde_json::from_slice(head).ok()?, body))
}

/// Checks the caller's session (as any request would) and passes again every check the first
/// request passed.
async fn recheck(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    checks: &[Check],
) -> Result<(), ApiError> {
    let actor = user.check(conn).await?;
    let user_token = user;
    let user = &actor;
    for check in checks {
        match *check {
            Check::Person { person, action } => {
                session::authorize(conn, user_token, PersonOf::Person(PersonId(person)), action)
                    .await?;
            }
            Check::Organisation {
                organisation,
                action,
            } => {
                access::organisation(user, OrganisationId(organisation), action)?;
            }
            Check::Platform { action } => {
                access::platform(user, action)?;
            }
            Check::PeopleOfOrganisation { create } => {
                access::people_of_organisation(user, create)?;
            }
        }
    }
    Ok(())
}

/// The request's `Idempotency-Key`, if it sent one: 1 to 255 visible ASCII characters (no
/// space, tab or other control), as the spec's pattern says; anything else is 400
/// `idempotency_key_invalid`. The one reading of the header, for this layer and for the photo
/// upload, which keeps its own key.
pub fn key(headers: &actix_web::http::header::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let bytes = value.as_bytes();
    if (1..=255).contains(&bytes.len()) && bytes.iter().all(|b| (b'!'..=b'~').contains(b)) {
        Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
    } else {
        Err(ApiError::new(ErrorCode::IdempotencyKeyInvalid))
    }
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // A photo upload keeps its own key (`photos::upload`): its body is megabytes, and a
    // retry must find the stored photo rather than a copy of the response.
    if req.method() != Method::POST
        || crate::http::upload(req.request()) == Some(crate::http::Upload::Photo)
    {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let key = match key(req.headers()) {
        Ok(Some(key)) => key,
        Ok(None) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Err(e) => return Ok(problem(req, e)),
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Anonymous or invalid callers: the handler answers as it would anyway. The session is
    // not checked here (the handler checks it, and so does a replay, in `recheck`): the token's
    // signed claims are enough to key the response to its account.
    let Ok(user) = CurrentUser::from_token(&state.tokens, bearer(req.request())) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let body = match req.extract::<Bytes>().await {
        Ok(body) => body,
        // Too large, too slow or unreadable: the problem the JSON extractor would give.
        Err(e) => {
            return Ok(problem(req, crate::http::extract::payload_error(&e)));
        }
    };
    let account = user.claims().0.0;
    // Keyed fingerprints: a guessable key or a short body cannot be found from the database
    // alone by hashing guesses. One per configured server secret, the current one first, so
    // a retry across a key rotation still finds its first response.
    let key_hashes = state
        .sealer
        .fingerprints(b"idempotency key", &[account.as_bytes(), key.as_bytes()]);
    let key_hash = key_hashes[0].clone();
    let request_hashes = state.sealer.fingerprints(
        b"idempotent request",
        &[
            key.as_bytes(),
            req.method().as_str().as_bytes(),
            req.uri().to_string().as_bytes(),
            &body,
        ],
    );
    // The sealed response is bound to the account as well as to the client's key.
    let seal_secret = [account.as_bytes().as_slice(), key.as_bytes()].concat();
    req.set_payload(actix_web::dev::Payload::from(body));

    let mut conn = match state.conn().await {
        Ok(conn) => conn,
        Err(e) => return Ok(problem(req, e)),
    };
    // Claims the key when it is new (also under the older secrets' fingerprints), its lease
    // ran out, or its response is past keeping.
    let claimed = sql_query(
        "INSERT INTO idempotency_keys AS k (account_id, key_hash, request_hash, lease_until) \
         SELECT $1, $2, $3, now() + make_interval(secs => $4) \
         WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys o WHERE o.account_id = $1 \
                           AND o.key_hash = ANY($6) \
                           AND o.created_at >= now() - make_interval(secs => $5)) \
         ON CONFLICT (account_id, key_hash) DO UPDATE SET \
           request_hash = excluded.request_hash, lease_until = excluded.lease_until, \
           status = NULL, sealed = NULL, checks = '[]'::jsonb, created_at = now() \
         WHERE (k.status IS NULL AND k.lease_until < now()) \
            OR k.created_at < now() - make_interval(secs => $5) \
         RETURNING lease_until",
    )
    .bind::<SqlUuid, _>(account)
    .bind::<Bytea, _>(&key_hash)
    .bind::<Bytea, _>(&request_hashes[0])
    .bind::<diesel::sql_types::Double, _>(LEASE.as_seconds_f64())
    .bind::<diesel::sql_types::Double, _>(KEEP.as_seconds_f64())
    .bind::<diesel::sql_types::Array<Bytea>, _>(&key_hashes[1..])
    .get_result::<Claim>(&mut conn)
    .await
    .optional();
    let claim = match claimed {
        Ok(claim) => claim,
        Err(e) => return Ok(problem(req, e.into())),
    };

    let Some(Claim { lease_until }) = claim else {
        let stored = keys::table
            .filter(keys::account_id.eq(account))
            .filter(keys::key_hash.eq_any(&key_hashes))
            .order(keys::created_at.desc())
            .select((keys::request_hash, keys::status, keys::sealed, keys::checks))
            .first::<(Vec<u8>, Option<i32>, Option<Vec<u8>>, serde_json::Value)>(&mut conn)
            .await
            .optional();
        let (hash, status, sealed, checks) = match stored {
            Err(e) => return Ok(problem(req, e.into())),
            Ok(None) => {
                return Ok(problem(req, ApiError::new(ErrorCode::IdempotencyKeyInUse)));
            }
            Ok(Some(row)) => row,
        };
        if !request_hashes.contains(&hash) {
            return Ok(problem(req, ApiError::new(ErrorCode::IdempotencyKeyReused)));
        }
        let (Some(status), Some(sealed)) = (status, sealed) else {
            return Ok(problem(req, ApiError::new(ErrorCode::IdempotencyKeyInUse)));
        };
        // Fail closed: checks that cannot be read are not skipped.
        let Ok(checks) = serde_json::from_value::<Vec<Check>>(checks) else {
            tracing::warn!(
                request_id = crate::platform::telemetry::request_id::current(),
                "stored authorization checks unreadable; replay refused"
            );
            return Ok(problem(req, cannot_replay()));
        };
        if let Err(e) = recheck(&mut conn, &user, &checks).await {
            return Ok(problem(req, e));
        }
        let Some(packed) = state.sealer.open(SEAL_PURPOSE, &seal_secret, &sealed) else {
            // Sealed under a server secret no longer configured.
            return Ok(problem(req, cannot_replay()));
        };
        let Some((headers, body)) = unpack(&packed) else {
            return Ok(problem(
                req,
                ApiError::internal("unreadable stored response"),
            ));
        };
        let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
        let mut res = HttpResponse::build(status);
        if let Some(headers) = headers.as_object() {
            for (name, value) in headers {
                if let (Ok(name), Some(Ok(value))) = (
                    HeaderName::try_from(name.as_str()),
                    value.as_str().map(HeaderValue::from_str),
                ) {
                    res.insert_header((name, value));
                }
            }
        }
        res.insert_header(("idempotent-replayed", "true"));
        return Ok(req.into_response(res.body(body.to_vec())));
    };

    // No connection is held while the handler runs: it needs its own.
    drop(conn);
    // Spawned, so a client that disconnects mid-request cannot cancel the handler after it
    // committed but before its response is recorded: the retry then replays it.
    let ids = crate::platform::telemetry::request_id::ids().unwrap_or(
        crate::platform::telemetry::request_id::RequestIds {
            id: String::new(),
            client: None,
        },
    );
    let request_id = ids.id.clone();
    let span = tracing::Span::current();
    let handled = actix_web::rt::spawn(tracing::Instrument::instrument(
        crate::platform::telemetry::request_id::scope(ids, async move {
            let (res, checks) = access::recording(next.call(req)).await;
            let res = res?.map_into_boxed_body();
            Ok::<_, Error>(
                record(
                    res,
                    checks,
                    &state,
                    account,
                    &key_hash,
                    lease_until,
                    &seal_secret,
                )
                .await,
            )
        }),
        span,
    ));
    match handled.await {
        Ok(res) => res,
        // The handler panicked. The request was moved into the task, so no response can be
        // built here; the log line at least carries the request id. The claim is left to its
        // lease: the handler may have committed before it failed.
        Err(e) => {
            tracing::error!(request_id, error = %e, "request task failed");
            Err(ApiError::internal(format!("request task failed: {e}")).into())
        }
    }
}

fn cannot_replay() -> ApiError {
    ApiError::new(ErrorCode::IdempotencyKeyInUse)
        .with_detail("the first response can no longer be replayed; use a new key")
}

#[derive(diesel::QueryableByName)]
struct Claim {
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    lease_until: time::OffsetDateTime,
}

/// Keeps a successful response (sealed) for replay, or frees the key after a failure; only
/// while this request still holds the claim it made.
///
/// Kept beside it: every id the answer names (`mentions`), so that erasing a person removes
/// every stored answer that names them, whichever checks let it be made.
async fn record(
    res: ServiceResponse<BoxBody>,
    checks: Vec<Check>,
    state: &AppState,
    account: uuid::Uuid,
    key_hash: &[u8],
    lease_until: time::OffsetDateTime,
    seal_secret: &[u8],
) -> ServiceResponse<BoxBody> {
    let (http_req, res) = res.into_parts();
    let status = res.status();
    let headers: serde_json::Map<String, serde_json::Value> = REPLAYED
        .iter()
        .filter_map(|name| {
            let value = res.headers().get(*name)?.to_str().ok()?;
            Some((
                (*name).to_owned(),
                serde_json::Value::String(value.to_owned()),
            ))
        })
        .collect();
    let (head, body) = res.into_parts();
    let (bytes, failed) = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => (bytes, None),
        Err(e) => (Bytes::new(), Some(ApiError::internal(e.to_string()))),
    };
    let remember = async {
        let mut conn = state.conn().await.map_err(|e| e.to_string())?;
        let kept = (status.is_success() && failed.is_none())
            .then(|| {
                let packed = pack(&serde_json::Value::Object(headers), &bytes);
                let sealed = state.sealer.seal(SEAL_PURPOSE, seal_secret, &packed)?;
                let checks = serde_json::to_value(&checks).ok()?;
                Some((sealed, checks, mentioned(&bytes)))
            })
            .flatten();
        match kept {
            Some((sealed, checks, mentions)) => {
                sql_query(
                    "UPDATE idempotency_keys SET status = $3, sealed = $4, checks = $5, \
                            mentions = $7 \
                     WHERE account_id = $1 AND key_hash = $2 AND status IS NULL \
                       AND lease_until = $6",
                )
                .bind::<SqlUuid, _>(account)
                .bind::<Bytea, _>(key_hash)
                .bind::<diesel::sql_types::Integer, _>(i32::from(status.as_u16()))
                .bind::<Nullable<Bytea>, _>(Some(sealed))
                .bind::<Jsonb, _>(checks)
                .bind::<diesel::sql_types::Timestamptz, _>(lease_until)
                .bind::<diesel::sql_types::Array<SqlUuid>, _>(mentions)
                .execute(&mut conn)
                .await
            }
            None => {
                sql_query(
                    "DELETE FROM idempotency_keys \
                     WHERE account_id = $1 AND key_hash = $2 AND status IS NULL \
                       AND lease_until = $3",
                )
                .bind::<SqlUuid, _>(account)
                .bind::<Bytea, _>(key_hash)
                .bind::<diesel::sql_types::Timestamptz, _>(lease_until)
                .execute(&mut conn)
                .await
            }
        }
        .map_err(|e| e.to_string())
    }
    .await;
    if let Err(e) = remember {
        tracing::warn!(
            request_id = crate::platform::telemetry::request_id::current(),
            error = %e,
            "could not record the idempotent response"
        );
    }
    match failed {
        Some(e) => ServiceResponse::new(http_req, e.error_response()),
        None => ServiceResponse::new(http_req, head.set_body(bytes).map_into_boxed_body()),
    }
}

/// Removes responses past keeping.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> diesel::QueryResult<usize> {
    sql_query("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)")
        .bind::<diesel::sql_types::Double, _>(KEEP.as_seconds_f64())
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_responses_unpack_and_garbage_does_not() {
        let headers = serde_json::json!({ "content-type": "application/json" });
        let packed = pack(&headers, b"{\"id\":1}");
        let (h, b) = unpack(&packed).unwrap();
        assert_eq!(h, headers);
        assert_eq!(b, b"{\"id\":1}");
        assert!(unpack(b"\xff\xff\xff\xff{}").is_none());
        assert!(unpack(b"").is_none());
    }

    fn key_of(value: &[u8]) -> Option<Option<String>> {
        let mut headers = actix_web::http::header::HeaderMap::new();
        headers.insert(
            HeaderName::from_static(HEADER),
            HeaderValue::from_bytes(value).unwrap(),
        );
        key(&headers).ok()
    }

    #[test]
    fn a_key_is_one_to_255_visible_ascii_characters() {
        assert_eq!(
            key(&actix_web::http::header::HeaderMap::new()).ok(),
            Some(None)
        );
        assert_eq!(key_of(b"k-1"), Some(Some("k-1".to_owned())));
        assert_eq!(key_of(&[b'k'; 255]), Some(Some("k".repeat(255))));
        for refused in [&b"a\tb"[..], b"a b", b"", &[b'k'; 256], "\u{e9}".as_bytes()] {
            assert_eq!(key_of(refused), None, "{refused:?}");
        }
    }
}

/// Every id a JSON answer names (its strings that are UUIDs, at any depth).
fn mentioned(body: &[u8]) -> Vec<uuid::Uuid> {
    fn walk(value: &serde_json::Value, out: &mut Vec<uuid::Uuid>) {
        match value {
            serde_json::Value::String(s) => {
                if let Ok(id) = uuid::Uuid::parse_str(s) {
                    out.push(id);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        walk(&value, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod mention_tests {
    #[test]
    fn every_id_an_answer_names_is_found_at_any_depth() {
        let a = uuid::Uuid::now_v7();
        let b = uuid::Uuid::now_v7();
        let body =
            serde_json::json!({ "id": a, "items": [{ "person_id": b, "n": 3 }], "x": "text" });
        let mut want = vec![a, b];
        want.sort();
        assert_eq!(super::mentioned(body.to_string().as_bytes()), want);
        assert!(super::mentioned(b"not json").is_empty());
    }
}
