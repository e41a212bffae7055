//! One check for every piece of text a client sends: no control characters other than
//! newline, carriage return and tab, in any string (or key) of any JSON body. PostgreSQL
//! refuses U+0000 outright (a 500 if it got that far), and the other controls have no place in
//! a name, a goal or a review; refusing them here covers every field of every operation,
//! including those added later, with one 400 that names the field.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, ResponseError};
use serde_json::Value;

use crate::error::{ApiError, FieldError};

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
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(next.call(req).await?.map_into_boxed_body())
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
}
