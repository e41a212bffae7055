//! A bare HTTP/1.1 client over TCP, for the tests that need a real socket: served instances,
//! Server-Sent Events (read incrementally, chunked), signed URLs.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn split(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").expect("http url");
    let at = rest.find('/').unwrap_or(rest.len());
    (rest[..at].to_owned(), rest[at..].to_owned())
}

async fn send(
    url: &str,
    method: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> BufReader<TcpStream> {
    let (host, path) = split(url);
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    if let Some(body) = body {
        stream.write_all(body).await.unwrap();
    }
    BufReader::new(stream)
}

/// Status and headers (names lower-cased).
async fn read_head(reader: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    let status = line[9..12].parse().expect("status");
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    (status, headers)
}

/// A JSON request; the status and the JSON answer (or null).
pub async fn json(url: &str, method: &str, token: &str, body: &Value) -> (u16, Value) {
    let bytes = serde_json::to_vec(body).unwrap();
    let auth = format!("Bearer {token}");
    let mut reader = send(
        url,
        method,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(&bytes),
    )
    .await;
    let (status, headers) = read_head(&mut reader).await;
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).await.unwrap();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { dechunk(&rest) } else { rest };
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let n =
            usize::from_str_radix(std::str::from_utf8(&raw[..end]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + n]);
        raw = &raw[end + 4 + n..];
    }
    out
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
pub struct Sse {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

impl Sse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).expect("event data is JSON")
    }
}

/// An open event stream.
pub struct EventStream {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    reader: BufReader<TcpStream>,
    buffer: String,
    /// Heartbeats seen so far.
    pub heartbeats: usize,
    pub closed: bool,
}

impl EventStream {
    pub async fn open(url: &str, token: &str, last_event_id: Option<&str>) -> Self {
        let auth = format!("Bearer {token}");
        let mut headers = vec![
            ("Authorization", auth.as_str()),
            ("Accept", "text/event-stream"),
        ];
        if let Some(id) = last_event_id {
            headers.push(("Last-Event-ID", id));
        }
        let mut reader = send(url, "GET", &headers, None).await;
        let (status, headers) = read_head(&mut reader).await;
        EventStream {
            status,
            headers,
            reader,
            buffer: String::new(),
            heartbeats: 0,
            closed: false,
        }
    }

    /// Reads one chunk of the (chunked) body into the buffer; false at the end.
    async fn fill(&mut self) -> bool {
        let mut size = String::new();
        if self.reader.read_line(&mut size).await.unwrap_or(0) == 0 {
            return false;
        }
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return false;
        };
        if n == 0 {
            return false;
        }
        let mut chunk = vec![0; n + 2];
        if self.reader.read_exact(&mut chunk).await.is_err() {
            return false;
        }
        self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n]));
        true
    }

    /// The next event (not a comment or a `retry`), waiting at most `within`; `None` if none
    /// came or the stream ended.
    pub async fn next(&mut self, within: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (None, None, String::new());
                for line in frame.lines() {
                    if line.starts_with(':') {
                        self.heartbeats += 1;
                    } else if let Some(v) = line.strip_prefix("id: ") {
                        id = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        event = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data.push_str(v);
                    }
                }
                if let Some(event) = event {
                    return Some(Sse { id, event, data });
                }
            }
            if self.closed {
                return None;
            }
            match tokio::time::timeout_at(deadline, self.fill()).await {
                Ok(true) => {}
                Ok(false) => self.closed = true,
                Err(_) => return None,
            }
        }
    }
}

/// Sends a whole request and hangs up without reading a byte of the answer: a phone that loses
/// signal after sending.
pub async fn send_and_hang_up(url: &str, method: &str, headers: &[(&str, &str)], body: &[u8]) {
    let reader = send(url, method, headers, Some(body)).await;
    let mut stream = reader.into_inner();
    let _ = stream.shutdown().await;
}

/// Sends the head (which may announce more body than is sent) and `partial` of the body, then
/// hangs up: a phone that loses signal mid-upload.
pub async fn send_partly_and_hang_up(
    url: &str,
    method: &str,
    headers: &[(&str, &str)],
    partial: &[u8],
) {
    let (host, path) = split(url);
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(partial).await.unwrap();
    stream.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = stream.shutdown().await;
}
