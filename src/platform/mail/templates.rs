//! The mails, in Welsh and English. Every mail carries both languages, the recipient's first
//! (Welsh Language Standards: Welsh no less favourably than English). Plain text only: no
//! links to follow, no tracking, nothing a mail client must fetch.

use time::OffsetDateTime;

use crate::fields::Lang;
use crate::platform::mail::Mail;

struct Text {
    subject: String,
    body: String,
}

fn bilingual(to: &str, lang: Lang, cy: Text, en: Text) -> Mail {
    let (first, second) = match lang {
        Lang::Cy => (cy, en),
        Lang::En => (en, cy),
    };
    Mail {
        to: to.to_owned(),
        subject: format!("{} / {}", first.subject, second.subject),
        text: format!("{}\n\n----------\n\n{}\n", first.body, second.body),
    }
}

fn day(at: OffsetDateTime) -> String {
    let d = at.date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// An invitation to join an organisation's staff.
pub fn staff_invitation(
    to: &str,
    lang: Lang,
    organisation: &str,
    role: &str,
    code: &str,
    expires: OffsetDateTime,
) -> Mail {
    let until = day(expires);
    bilingual(
        to,
        lang,
        Text {
            subject: "Gwahoddiad i Camau".into(),
            body: format!(
                "Mae {organisation} wedi eich gwahodd i ymuno â Camau ({role}).\n\n\
                 Agorwch yr ap a rhowch y cod hwn: {code}\n\
                 Mae'r cod yn gweithio unwaith, tan {until}.\n\n\
                 Os nad oeddech yn disgwyl hyn, anwybyddwch y neges."
            ),
        },
        Text {
            subject: "Your invitation to Camau".into(),
            body: format!(
                "{organisation} has invited you to join Camau ({role}).\n\n\
                 Open the app and enter this code: {code}\n\
                 The code works once, until {until}.\n\n\
                 If you were not expecting this, ignore this message."
            ),
        },
    )
}

/// An invitation to sign in as a member of someone's circle of support.
pub fn circle_invitation(
    to: &str,
    lang: Lang,
    person: &str,
    code: &str,
    expires: OffsetDateTime,
) -> Mail {
    let until = day(expires);
    bilingual(
        to,
        lang,
        Text {
            // No name in the subject: what a person typed never headlines a mail to a stranger.
            subject: "Gwahoddiad i gylch cefnogaeth".into(),
            body: format!(
                "Mae {person} wedi eich ychwanegu at eu cylch cefnogaeth ar Camau, er mwyn i chi \
                 weld a chefnogi eu cynnydd.\n\n\
                 Agorwch yr ap a rhowch y cod hwn: {code}\n\
                 Mae'r cod yn gweithio unwaith, tan {until}."
            ),
        },
        Text {
            subject: "An invitation to a circle of support".into(),
            body: format!(
                "{person} has added you to their circle of support on Camau, so you can see and \
                 encourage their progress.\n\n\
                 Open the app and enter this code: {code}\n\
                 The code works once, until {until}."
            ),
        },
    )
}

/// A password reset the recipient asked for.
pub fn password_reset(to: &str, lang: Lang, token: &str, minutes: u64) -> Mail {
    bilingual(
        to,
        lang,
        Text {
            subject: "Ailosod eich cyfrinair Camau".into(),
            body: format!(
                "Gofynnodd rhywun am ailosod cyfrinair y cyfrif hwn.\n\n\
                 Rhowch y cod hwn yn yr ap: {token}\n\
                 Mae'n gweithio unwaith, am {minutes} munud.\n\n\
                 Os nad chi ofynnodd, anwybyddwch y neges: nid yw eich cyfrinair wedi newid."
            ),
        },
        Text {
            subject: "Reset your Camau password".into(),
            body: format!(
                "Someone asked to reset the password of this account.\n\n\
                 Enter this code in the app: {token}\n\
                 It works once, for {minutes} minutes.\n\n\
                 If it was not you, ignore this message: your password has not changed."
            ),
        },
    )
}

/// A code proving the recipient reads mail at this address (asked for by the account).
pub fn email_verification(to: &str, lang: Lang, code: &str, minutes: u64) -> Mail {
    bilingual(
        to,
        lang,
        Text {
            subject: "Cadarnhewch eich cyfeiriad e-bost ar gyfer Camau".into(),
            body: format!(
                "Rhowch y cod hwn yn yr ap i gadarnhau mai chi sy'n derbyn e-bost yma: {code}\n\
                 Mae'n gweithio unwaith, am {minutes} munud. Dim ond i gyfeiriad wedi'i \
                 gadarnhau y byddwn yn anfon cod i ailosod cyfrinair."
            ),
        },
        Text {
            subject: "Confirm your email address for Camau".into(),
            body: format!(
                "Enter this code in the app to confirm this address is yours: {code}\n\
                 It works once, for {minutes} minutes. Password-reset codes are only ever sent \
                 to a confirmed address."
            ),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipients_language_comes_first_and_both_are_there() {
        let cy = password_reset("a@example.org", Lang::Cy, "TOKEN", 30);
        assert!(cy.subject.starts_with("Ailosod"), "{}", cy.subject);
        assert!(cy.subject.ends_with("Reset your Camau password"));
        let (welsh, english) = cy.text.split_once("----------").unwrap();
        assert!(welsh.contains("TOKEN") && english.contains("TOKEN"));
        assert!(english.contains("30 minutes"));
        let en = password_reset("a@example.org", Lang::En, "TOKEN", 30);
        assert!(en.subject.starts_with("Reset"));
    }
}
