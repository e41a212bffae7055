//! CSV for spreadsheets (RFC 4180), guarded against formula injection: reports and the audit
//! trail are opened in Excel by the people who download them.

/// RFC 4180: quoted when it holds a comma, quote or line break; `*` for suppressed. A value
/// starting with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it.
pub fn field(out: &mut String, text: &str) {
    let guarded;
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Whether the request asks for CSV (`Accept: text/csv`, among others or alone).
pub fn wanted(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| {
            accept
                .split(',')
                .any(|part| part.split(';').next().unwrap_or("").trim() == "text/csv")
        })
}
