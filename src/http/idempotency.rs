//! `Idempotency-Key` on POST: a phone that loses its connection mid-request can retry a
//! create without making two people, goals or reviews. The first successful response is kept
//! for 24 hours per account and key, and replayed (with `Idempotent-Replayed: true`) when the
//! same request comes again; the same key with a different request is refused (422), and a
//! retry while the first is still running gets 409. Only signed-in callers' requests are kept;
//! failures are not kept, so a corrected retry can succeed.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpResponse, ResponseError};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::app::AppState;
use crate::auth::current_user::{authenticate, bearer};
use crate::db::schema::idempotency_keys as keys;
use crate::error::{ApiError, ErrorCode};

pub const HEADER: &str = "idempotency-key";
const KEEP: time::Duration = time::Duration::hours(24);
/// Response headers worth replaying.
const REPLAYED: [&str; 3] = ["content-type", "etag", "location"];

fn problem(req: ServiceRequest, e: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(e.error_response())
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = match req.headers().get(HEADER) {
        Some(value) if req.method() == Method::POST => value.to_str().ok().map(str::to_owned),
        _ => return Ok(next.call(req).await?.map_into_boxed_body()),
    };
    let Some(key) =
        key.filter(|k| (1..=255).contains(&k.len()) && !k.bytes().any(|b| b.is_ascii_control()))
    else {
        return Ok(problem(
            req,
            ApiError::new(ErrorCode::IdempotencyKeyInvalid),
        ));
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Anonymous or invalid callers: the handler answers as it would anyway.
    let Ok(user) = authenticate(state.clone(), bearer(req.request())).await else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let body = match req.extract::<Bytes>().await {
        Ok(body) => body,
        // Too large or unreadable: the same problem+json the JSON extractor would give.
        Err(e) => {
            let code = if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                ErrorCode::PayloadTooLarge
            } else {
                ErrorCode::InvalidJson
            };
            return Ok(problem(req, ApiError::new(code)));
        }
    };
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b" ");
    hasher.update(req.uri().to_string());
    hasher.update(b"\n");
    hasher.update(&body);
    let request_hash = hasher.finalize().to_vec();
    req.set_payload(actix_web::dev::Payload::from(body));

    let account = user.account_id.0;
    let mut conn = match state.conn().await {
        Ok(conn) => conn,
        Err(e) => return Ok(problem(req, e)),
    };
    let now = OffsetDateTime::now_utc();
    let claimed = async {
        diesel::delete(
            keys::table
                .filter(keys::account_id.eq(account))
                .filter(keys::key.eq(&key))
                .filter(keys::created_at.lt(now - KEEP)),
        )
        .execute(&mut conn)
        .await?;
        diesel::insert_into(keys::table)
            .values((
                keys::account_id.eq(account),
                keys::key.eq(&key),
                keys::request_hash.eq(&request_hash),
            ))
            .on_conflict_do_nothing()
            .execute(&mut conn)
            .await
    }
    .await;
    let claimed = match claimed {
        Ok(n) => n == 1,
        Err(e) => return Ok(problem(req, e.into())),
    };

    if !claimed {
        let stored = keys::table
            .filter(keys::account_id.eq(account))
            .filter(keys::key.eq(&key))
            .select((keys::request_hash, keys::status, keys::headers, keys::body))
            .first::<(
                Vec<u8>,
                Option<i32>,
                Option<serde_json::Value>,
                Option<Vec<u8>>,
            )>(&mut conn)
            .await
            .optional();
        return Ok(match stored {
            Err(e) => problem(req, e.into()),
            Ok(None) => problem(req, ApiError::new(ErrorCode::IdempotencyKeyInUse)),
            Ok(Some((hash, _, _, _))) if hash != request_hash => {
                problem(req, ApiError::new(ErrorCode::IdempotencyKeyReused))
            }
            Ok(Some((_, None, _, _))) => {
                problem(req, ApiError::new(ErrorCode::IdempotencyKeyInUse))
            }
            Ok(Some((_, Some(status), headers, body))) => {
                let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
                let mut res = HttpResponse::build(status);
                if let Some(headers) = headers.as_ref().and_then(|h| h.as_object()) {
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
                req.into_response(res.body(body.unwrap_or_default()))
            }
        });
    }

    // No connection is held while the handler runs: it needs its own.
    drop(conn);
    let res = next.call(req).await?;
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
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| ApiError::internal(e.into().to_string()))?;
    let remember = async {
        let mut conn = state.conn().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            diesel::update(keys::table.find((account, &key)))
                .set((
                    keys::status.eq(i32::from(status.as_u16())),
                    keys::headers.eq(serde_json::Value::Object(headers)),
                    keys::body.eq(bytes.to_vec()),
                ))
                .execute(&mut conn)
                .await
        } else {
            diesel::delete(keys::table.find((account, &key)))
                .execute(&mut conn)
                .await
        }
        .map_err(|e| e.to_string())
    }
    .await;
    if let Err(e) = remember {
        tracing::warn!(error = %e, "could not record the idempotent response");
    }
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}
