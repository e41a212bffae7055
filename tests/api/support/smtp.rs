//! The real SMTP server the mail tests deliver to: `scripts/test` starts aiosmtpd, which writes
//! every message it receives into a Maildir, and passes its address here. Each test reads only
//! the mail sent to its own (unique) addresses.

use std::time::Duration;

use super::TestEnv;

/// `CAMAU_MAIL_TRANSPORT=smtp` at the test server.
pub fn smtp_env() -> TestEnv {
    let url = std::env::var("CAMAU_TEST_SMTP_URL")
        .expect("CAMAU_TEST_SMTP_URL: run the tests through scripts/test, which starts aiosmtpd");
    TestEnv::default()
        .set("CAMAU_MAIL_TRANSPORT", "smtp")
        .set("CAMAU_SMTP_URL", url)
}

/// A delivered message: its headers as received and its text, quoted-printable decoded.
pub struct Received {
    pub subject: String,
    pub text: String,
}

fn decode_quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = joined
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'=', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every message delivered to `to` so far.
pub fn mail_to(to: &str) -> Vec<Received> {
    let dir = std::env::var("CAMAU_TEST_MAILDIR").expect("CAMAU_TEST_MAILDIR (scripts/test)");
    let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join("new")) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Some((head, body)) = raw.split_once("\n\n") else {
            continue;
        };
        if !head
            .lines()
            .any(|l| l.eq_ignore_ascii_case(&format!("X-RcptTo: {to}")))
        {
            continue;
        }
        let subject = head
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap_or_default()
            .to_owned();
        found.push(Received {
            subject,
            text: decode_quoted_printable(body),
        });
    }
    found
}

/// The one message delivered to `to`, waiting briefly for the server to write it.
pub async fn the_mail_to(to: &str) -> Received {
    for _ in 0..50 {
        let mut mails = mail_to(to);
        if !mails.is_empty() {
            assert_eq!(mails.len(), 1, "more than one mail to {to}");
            return mails.remove(0);
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no mail delivered to {to}");
}

/// The first `XXXX-XXXX-...` code in `text`.
pub fn code_in(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .find(|w| {
            w.len() >= 9
                && w.split('-').count() >= 2
                && w.split('-').all(|g| {
                    g.len() == 4
                        && g.chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                })
        })
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned()
}
