//! Reading the audit trail: a person's access log in plain words, and an organisation's
//! whole trail for its admins and auditors (filtered, or as CSV).

pub mod access_log;
pub mod organisation;
pub mod types;
pub mod words;

/// The actions of the trail (prefixes) a reader may not know of, the same in every view of it
/// (a person's access log, the organisation's trail, the person's export). Safeguarding
/// concerns are routed privately: only the organisation's safeguarding leads see that one was
/// raised, never the person (telling them could put them or the one who raised it at risk).
/// Holds and erasure requests are admins' business, not the person's.
pub fn withheld_from(person_themself: bool, safeguarding_lead: bool) -> &'static [&'static str] {
    match (person_themself, safeguarding_lead) {
        (true, _) => &["concern.", "hold.", "holds.", "erasure."],
        (false, true) => &[],
        (false, false) => &["concern."],
    }
}
