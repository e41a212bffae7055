//! One check for every piece of text a client sends: no control characters other than
//! newline, carriage return and tab, in any string (or key) of any JSON body. PostgreSQL
//! refuses U+0000 outright (a 500 if it got that far), and the other controls have no place in
//! a name, a goal or a review; refusing them here covers every field of every operation,
//! including those added later, with one 400 that names the field. The same guard refuses an
//! array where the spec says object (`http::shape`), and takes `65.0` where the spec says
//! integer, as JSON Schema does.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, ResponseError};
use serde_json::Value;

use crate::error::{ApiError, ErrorCode, FieldError};
use crate::http::extract::RouteIndex;

fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\n' | '\r' | '\t')
}

/// The JSON-pointer path of the first string holding a refused character.
fn first_bad(value: &Value, path: &mut String) -> bool {
    match value {
        Value::String(s) => !s.chars().all(allowed),
        Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("/{i}"));
            let bad = first_bad(item, path);
            if !bad {
                path.truncate(len);
            }
            bad
        }),
        Value::Object(map) => map.iter().any(|(key, item)| {
            let len = path.len();
            path.push('/');
            path.push_str(&key.replace('~', "~0").replace('/', "~1"));
            let bad = !key.chars().all(allowed) || first_bad(item, path);
            if !bad {
                path.truncate(len);
            }
            bad
        }),
        _ => false,
    }
}

/// The problem for `body`, if a string in it holds a refused character.
pub fn check(body: &[u8]) -> Result<(), ApiError> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Ok(()); // not JSON: the extractor answers that
    };
    let mut path = String::new();
    if first_bad(&value, &mut path) {
        return Err(ApiError::validation(vec![FieldError {
            field: path,
            code: "control_character",
            message:
                "must not contain control characters other than newline, carriage return and tab"
                    .into(),
        }]));
    }
    Ok(())
}

pub async fn text_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, Error> {
    // The same test actix's JSON extractor makes (any case; `*/json` or `*/*+json`), so no
    // body the extractor would read gets past this check.
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
    if !json {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let body = match req.extract::<Bytes>().await {
        Ok(body) => body,
        Err(e) => {
            let problem = crate::http::extract::payload_error(&e);
            return Ok(req.into_response(problem.error_response()));
        }
    };
    if let Err(problem) = check(&body) {
        return Ok(req.into_response(problem.error_response()));
    }
    if let Some(problem) = req
        .app_data::<actix_web::web::Data<RouteIndex>>()
        .and_then(|routes| routes.json_body(req.method().as_str(), req.path()))
        .and_then(|(schema, schemas)| {
            let value = serde_json::from_slice::<Value>(&body).ok()?;
            crate::http::shape::misplaced_array(&value, schema, schemas)
        })
        .map(|at| {
            let place = if at.is_empty() {
                "the body"
            } else {
                at.as_str()
            };
            ApiError::new(ErrorCode::InvalidJson)
                .with_detail(format!("{place} must be an object, not an array"))
        })
    {
        return Ok(req.into_response(problem.error_response()));
    }
    let body = whole_numbers(body);
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// `65.0` is the integer 65 to JSON Schema (and to JavaScript, and to a Python client that
/// computed it), but serde refuses it for an integer field: such numbers are written as
/// integers before the body is read, so an integer the spec allows is taken in either form.
fn whole_numbers(body: Bytes) -> Bytes {
    fn fix(value: &mut Value) -> bool {
        match value {
            Value::Number(n) if n.is_f64() => match n.as_f64() {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "only whole numbers well inside i64 are converted"
                )]
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    *value = Value::from(f as i64);
                    true
                }
                _ => false,
            },
            // Every one is fixed, not only the first: no short circuit.
            Value::Array(items) => items.iter_mut().map(fix).fold(false, |a, b| a | b),
            Value::Object(map) => map.values_mut().map(fix).fold(false, |a, b| a | b),
            _ => false,
        }
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    if !fix(&mut value) {
        return body;
    }
    serde_json::to_vec(&value).map_or(body, Bytes::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_controls_anywhere_but_keeps_newlines_and_tabs() {
        assert!(check(br#"{"title":"Line one\nline two\tand\r\n"}"#).is_ok());
        assert!(check("{\"title\":\"Cŵn ⚽\"}".as_bytes()).is_ok());
        let field = |body: &[u8]| check(body).unwrap_err().errors[0].field.clone();
        assert_eq!(field(br#"{"title":"a\u0000b"}"#), "/title");
        assert_eq!(
            field(br#"{"sections":{"hopes":{"text":"x\u001b[2J"}}}"#),
            "/sections/hopes/text"
        );
        assert_eq!(field(br#"{"items":["ok","\u0007"]}"#), "/items/1");
        assert_eq!(field(br#"{"a\u0000":1}"#), "/a\u{0}");
        assert_eq!(field(br#"{"x":"\u0085"}"#), "/x");
        assert!(check(b"not json").is_ok());
    }

    #[test]
    fn whole_floats_become_integers_and_nothing_else_changes() {
        let fixed = |body: &str| whole_numbers(Bytes::from(body.to_owned()));
        assert_eq!(
            fixed(r#"{"report_threshold":65.0,"x":[1.0,2.5],"y":"3.0"}"#),
            Bytes::from_static(br#"{"report_threshold":65,"x":[1,2.5],"y":"3.0"}"#)
        );
        let untouched = r#"{ "a": 1, "b": 2.5 }"#;
        assert_eq!(fixed(untouched), Bytes::from(untouched));
    }
}
