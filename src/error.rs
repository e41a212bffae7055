//! The one error type of the API. Every failure a client can see is an `ApiError`, rendered as
//! RFC 9457 `application/problem+json` with a stable `code` the app localises by, field-level
//! `errors[]` and the request id. Unexpected failures become an opaque 500 whose cause goes only
//! to the log.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::platform::telemetry::request_id;

/// Stable, machine-readable error codes. Renaming one is a breaking API change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    InvalidJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    RequestTimeout,
    InvalidPathParameter,
    InvalidQueryParameter,
    InvalidHeader,
    RouteNotFound,
    MethodNotAllowed,
    Unauthenticated,
    InvalidCredentials,
    InvalidRefreshToken,
    Forbidden,
    NotFound,
    EmailTaken,
    InvitationInvalid,
    DeviceCodeInvalid,
    ResetTokenInvalid,
    VerificationCodeInvalid,
    PasswordTooShort,
    PasswordTooLong,
    PasswordTooWeak,
    TooManyAttempts,
    RateLimited,
    PreconditionFailed,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    IdempotencyKeyInUse,
    PreconditionRequired,
    Conflict,
    InvalidReference,
    SupportEnded,
    UnsupportedImage,
    HeicNotSupported,
    ImageUnreadable,
    ImageTooLarge,
    TooManyPhotos,
    LegalHold,
    ErasureConfirmationInvalid,
    ExportNotReady,
    SyncCursorExpired,
    ServiceUnavailable,
    InternalError,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            ValidationFailed
            | InvalidJson
            | InvalidPathParameter
            | InvalidQueryParameter
            | InvalidHeader
            | PasswordTooShort
            | PasswordTooLong
            | PasswordTooWeak => StatusCode::BAD_REQUEST,
            UnsupportedMediaType | UnsupportedImage | HeicNotSupported => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ImageUnreadable | ImageTooLarge => StatusCode::UNPROCESSABLE_ENTITY,
            TooManyPhotos => StatusCode::CONFLICT,
            IdempotencyKeyInvalid => StatusCode::BAD_REQUEST,
            IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            IdempotencyKeyInUse => StatusCode::CONFLICT,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            InvalidReference => StatusCode::UNPROCESSABLE_ENTITY,
            RouteNotFound | NotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Unauthenticated | InvalidCredentials | InvalidRefreshToken => StatusCode::UNAUTHORIZED,
            Forbidden => StatusCode::FORBIDDEN,
            EmailTaken
            | Conflict
            | InvitationInvalid
            | DeviceCodeInvalid
            | ResetTokenInvalid
            | VerificationCodeInvalid
            | SupportEnded
            | LegalHold
            | ErasureConfirmationInvalid
            | ExportNotReady => StatusCode::CONFLICT,
            TooManyAttempts | RateLimited => StatusCode::TOO_MANY_REQUESTS,
            PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            SyncCursorExpired => StatusCode::GONE,
            PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(self) -> &'static str {
        use ErrorCode::*;
        match self {
            ValidationFailed => "The request has invalid fields",
            InvalidJson => "The request body is not valid JSON for this endpoint",
            UnsupportedMediaType => "The request body must be application/json",
            PayloadTooLarge => "The request body is too large",
            RequestTimeout => "The request body did not arrive in time",
            InvalidReference => "The request refers to something that does not exist here",
            InvalidPathParameter => "A path parameter is malformed",
            InvalidQueryParameter => "A query parameter is malformed",
            InvalidHeader => "A header is malformed or missing",
            RouteNotFound => "No such endpoint",
            MethodNotAllowed => "This endpoint does not accept that method",
            Unauthenticated => "Authentication is required",
            InvalidCredentials => "Email or password is wrong",
            InvalidRefreshToken => "The refresh token is not valid",
            Forbidden => "You may not do this",
            NotFound => "Not found",
            EmailTaken => "An account with this email already exists",
            InvitationInvalid => "The invitation code is not valid",
            DeviceCodeInvalid => "The device code is not valid",
            ResetTokenInvalid => "The reset code is not valid: it is wrong, used or expired",
            VerificationCodeInvalid => {
                "The verification code is not valid: it is wrong, used or expired"
            }
            PasswordTooShort => "The password is too short",
            PasswordTooLong => "The password is too long",
            PasswordTooWeak => "The password is too easy to guess",
            TooManyAttempts => "Too many attempts; try again later",
            RateLimited => {
                "Over the limit for this kind of request; retry after Retry-After seconds"
            }
            PreconditionFailed => "The record changed since you last read it",
            IdempotencyKeyInvalid => {
                "The Idempotency-Key header must have 1 to 255 visible characters"
            }
            IdempotencyKeyReused => "This Idempotency-Key was used for a different request",
            IdempotencyKeyInUse => "A request with this Idempotency-Key is still being handled",
            PreconditionRequired => "This update needs an If-Match header",
            Conflict => "The request conflicts with the current state",
            SupportEnded => "Support has ended: this record is read-only",
            UnsupportedImage => "Photos must be JPEG, PNG or WebP images",
            HeicNotSupported => {
                "HEIC photos are not accepted: send the photo as JPEG (most phones convert when \
                 asked for JPEG)"
            }
            ImageUnreadable => "The photo could not be read: it is damaged or incomplete",
            ImageTooLarge => "The photo has more pixels than this service takes",
            TooManyPhotos => "A story holds at most 10 photos",
            LegalHold => "A legal or safeguarding hold keeps this record from erasure",
            ErasureConfirmationInvalid => {
                "The erasure confirmation is not valid: it is wrong, used or expired"
            }
            ExportNotReady => "The export is not ready yet",
            SyncCursorExpired => "This sync cursor is too old: sync again from the start",
            ServiceUnavailable => "The service is temporarily unavailable",
            InternalError => "An unexpected error occurred",
        }
    }

    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// One invalid field, addressed by a JSON-pointer-like path (`/email`, `/admin/name`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// The problem+json body. Documented in the OpenAPI spec as `Problem`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:camau:problem:<code>`
    #[serde(rename = "type")]
    pub type_: String,
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: ErrorCode,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
    /// The record's current `ETag`, sent with a 412 so an offline client knows what it missed.
    pub current_etag: Option<String>,
    /// The cause of an internal error: logged, never sent.
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            detail: None,
            errors: Vec::new(),
            retry_after_secs: None,
            current_etag: None,
            source: None,
        }
    }

    /// Asks the client to retry after `secs` (a `Retry-After` header).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated)
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        ApiError {
            errors,
            ..Self::new(ErrorCode::ValidationFailed)
        }
    }

    pub fn too_many(retry_after_secs: u64) -> Self {
        ApiError {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..Self::new(ErrorCode::TooManyAttempts)
        }
    }

    /// Overloaded for a moment: 503 with `Retry-After`, so a client backs off and retries.
    pub fn busy() -> Self {
        ApiError {
            retry_after_secs: Some(1),
            ..Self::new(ErrorCode::ServiceUnavailable)
        }
        .with_detail("The service is busy; retry shortly")
    }

    /// An unexpected failure: the client sees an opaque 500; the cause goes to the log.
    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError {
            source: Some(source.into()),
            ..Self::new(ErrorCode::InternalError)
        }
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:camau:problem:{}", self.code.as_str()),
            title: self.code.title(),
            status: self.code.status().as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            errors: self.errors.clone(),
            request_id: request_id::current(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code.as_str())?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        if self.code == ErrorCode::InternalError {
            tracing::error!(
                request_id = request_id::current(),
                error = %self,
                "unexpected failure"
            );
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        // Every 503 says when to come back, so clients back off rather than hammer.
        let retry_after = self
            .retry_after_secs
            .or((self.code == ErrorCode::ServiceUnavailable).then_some(1));
        if let Some(secs) = retry_after {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(tag) = &self.current_etag {
            response.insert_header((header::ETAG, tag.as_str()));
        }
        if self.code == ErrorCode::Unauthenticated {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem())
    }
}

/// Database refusals a client can cause (a race past a check, a reference to something gone)
/// are 4xx, and a statement cut off by `statement_timeout` is 503; anything else is a bug.
impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match &e {
            Error::DatabaseError(Kind::UniqueViolation, _) => ApiError::new(ErrorCode::Conflict)
                .with_detail("this conflicts with a record that already exists"),
            Error::DatabaseError(Kind::ForeignKeyViolation, _) => {
                ApiError::new(ErrorCode::InvalidReference)
            }
            Error::DatabaseError(Kind::CheckViolation | Kind::NotNullViolation, _) => {
                ApiError::new(ErrorCode::ValidationFailed)
                    .with_detail("a value is outside what this field accepts")
            }
            Error::DatabaseError(Kind::SerializationFailure, _) => ApiError::busy(),
            // PostgreSQL names these only in its message (diesel maps no SQLSTATE for them).
            Error::DatabaseError(_, info)
                if info.message().starts_with("invalid byte sequence") =>
            {
                ApiError::new(ErrorCode::ValidationFailed)
                    .with_detail("text must not contain NUL characters")
            }
            Error::DatabaseError(_, info) if info.message().starts_with("deadlock detected") => {
                ApiError::busy()
            }
            // The database went away under a statement (stopped, restarted, failed over): the
            // client's request was fine; it retries (with its Idempotency-Key, safely).
            Error::DatabaseError(Kind::ClosedConnection | Kind::UnableToSendCommand, _)
            | Error::BrokenTransactionManager => unreachable_database(&e),
            // The connection went at COMMIT: the outcome is unknown; a keyed retry is safe.
            Error::RollbackErrorOnCommit { commit_error, .. }
                if connection_lost(&commit_error.to_string()) =>
            {
                unreachable_database(&e)
            }
            Error::DatabaseError(_, info) if connection_lost(info.message()) => {
                unreachable_database(&e)
            }
            Error::DatabaseError(_, info)
                if info.message().starts_with("canceling statement due to") =>
            {
                tracing::warn!(
                    request_id = request_id::current(),
                    "database statement cancelled (timeout)"
                );
                ApiError::busy()
            }
            _ => ApiError::internal(e),
        }
    }
}

/// What PostgreSQL (or the socket) says when a connection is cut under a statement.
fn connection_lost(message: &str) -> bool {
    const LOST: [&str; 8] = [
        "terminating connection",
        "the database system is",
        "server closed the connection",
        "connection closed",
        "connection reset",
        "broken pipe",
        "timed out",
        "unexpected end of file",
    ];
    let message = message.to_ascii_lowercase();
    LOST.iter().any(|m| message.contains(m))
}

fn unreachable_database(e: &dyn fmt::Display) -> ApiError {
    tracing::warn!(
        request_id = request_id::current(),
        error = %e,
        "database connection lost"
    );
    ApiError::new(ErrorCode::ServiceUnavailable)
        .with_detail("The database is busy or unreachable; retry shortly")
        .retry_after(1)
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        tracing::warn!(
            request_id = request_id::current(),
            error = %e,
            "no database connection available"
        );
        // Retry-After: a client backs off instead of hammering a database that is down.
        ApiError::new(ErrorCode::ServiceUnavailable)
            .with_detail("The database is busy or unreachable; retry shortly")
            .retry_after(1)
    }
}

/// Accumulates field errors so a client learns about every bad field at once.
#[derive(Default)]
pub struct Validator(Vec<FieldError>);

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
            message: message.into(),
        });
    }

    /// Text must have between `min` and `max` characters (Unicode scalar values).
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let n = value.chars().count();
        if n < min || value.trim().is_empty() && min > 0 {
            self.add(
                field,
                "too_short",
                format!("must have at least {min} characters"),
            );
        } else if n > max {
            self.add(
                field,
                "too_long",
                format!("must have at most {max} characters"),
            );
        }
    }

    pub fn email(&mut self, field: &str, value: &str) {
        let ok = value.len() <= 254
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            self.add(field, "invalid_email", "must be an email address");
        }
    }

    pub fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_connection_cut_under_a_statement_is_503_with_retry_after_not_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        for message in [
            "terminating connection due to administrator command",
            "the database system is shutting down",
            "connection closed",
        ] {
            let e = ApiError::from(Error::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(message.to_owned()),
            ));
            assert_eq!(e.code, ErrorCode::ServiceUnavailable, "{message}");
            let res = e.error_response();
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "1");
        }
        // Any 503, however made, says when to come back.
        let res = ApiError::new(ErrorCode::ServiceUnavailable).error_response();
        assert!(res.headers().contains_key(header::RETRY_AFTER));
        // A real bug stays a 500.
        let other = ApiError::from(Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("column \"nope\" does not exist".to_owned()),
        ));
        assert_eq!(other.code, ErrorCode::InternalError);
    }

    #[actix_web::test]
    async fn error_log_lines_carry_the_request_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        request_id::scope(
            request_id::RequestIds {
                id: "req-123".into(),
                client: None,
            },
            async {
                let _ = ApiError::internal("boom").error_response();
            },
        )
        .await;
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("unexpected failure"), "{text}");
        assert!(text.contains(r#""request_id":"req-123""#), "{text}");
    }
}
