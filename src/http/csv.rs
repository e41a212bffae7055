//! CSV for spreadsheets (RFC 4180), guarded against formula injection: reports and the audit
//! trail are opened in Excel by the people who download them.

/// What a spreadsheet may take as the start of a formula (OWASP's list: `=`, `+`, `-`, `@`, TAB,
/// CR; with LF and the full-width forms some spreadsheets also read as operators).
const FORMULA_STARTS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}',
];

/// RFC 4180: quoted when it holds a comma, quote or line break; `*` for suppressed. A value
/// that could start a formula is prefixed with `'` so a spreadsheet does not run it (plain
/// numbers such as `-3` stay numbers).
pub fn field(out: &mut String, text: &str) {
    let guarded;
    let text = if text.starts_with(FORMULA_STARTS) && text.parse::<f64>().is_err() {
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

#[cfg(test)]
mod tests {
    use super::field;

    fn csv(text: &str) -> String {
        let mut out = String::new();
        field(&mut out, text);
        out
    }

    #[test]
    fn formulas_are_guarded_whatever_they_start_with() {
        assert_eq!(csv("=1+1"), "'=1+1");
        assert_eq!(csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv("\t=HYPERLINK(\"x\")"), "\"'\t=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv("\r=cmd"), "\"'\r=cmd\"");
        assert_eq!(csv("\n=cmd"), "\"'\n=cmd\"");
        assert_eq!(csv("\u{FF1D}1+1"), "'\u{FF1D}1+1");
        assert_eq!(csv("-3"), "-3");
        assert_eq!(csv("plain, text"), "\"plain, text\"");
    }
}
