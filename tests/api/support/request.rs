//! A small fluent API over actix's `TestRequest`, and the response as plain data.

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::test::TestRequest;
use bytes::Bytes;
use serde_json::Value;

use super::TestApp;

pub struct Req<'a> {
    app: &'a TestApp,
    req: TestRequest,
}

impl<'a> Req<'a> {
    pub fn new(app: &'a TestApp, req: TestRequest) -> Self {
        // A fixed client address, so per-address throttling has something to count.
        Req {
            app,
            req: req.peer_addr("192.0.2.10:40000".parse().expect("address")),
        }
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header(header::AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.req = self.req.insert_header((name.to_owned(), value.to_owned()));
        self
    }

    pub fn peer(mut self, addr: &str) -> Self {
        self.req = self.req.peer_addr(addr.parse().expect("address"));
        self
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.req = self.req.set_json(body);
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Bytes>) -> Self {
        self.req = self
            .req
            .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
            .set_payload(body.into());
        self
    }

    pub async fn send(self) -> Res {
        self.app.send(self.req.to_request()).await
    }
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Res {
    pub async fn read<B: MessageBody>(status: StatusCode, headers: HeaderMap, body: B) -> Res {
        // An event stream never ends: its status and headers are the answer here (streams
        // are read over TCP in tests/api/live.rs).
        if headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"))
        {
            return Res {
                status,
                headers,
                body: Bytes::new(),
            };
        }
        let body = actix_web::body::to_bytes(body)
            .await
            .unwrap_or_else(|_| panic!("body of a {status} response could not be read"));
        Res {
            status,
            headers,
            body,
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} response is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text()
        );
        if self.body.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts a problem+json response with `status` and `code`, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "not problem+json: {}",
            self.text()
        );
        let body = self.json();
        assert_eq!(body["code"], code, "unexpected code in {body}");
        assert_eq!(body["status"], status);
        assert_eq!(body["type"], format!("urn:camau:problem:{code}"));
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(
            body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
            "no request id in {body}"
        );
        body
    }
}
