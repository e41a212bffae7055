//! Consents: per purpose and audience, what the person (or someone for them) decided, on
//! which wording, recorded by whom; withdrawable at any time. A "no" takes effect on the next
//! request: the circle stops seeing the person's stories or photos (folded into a
//! supporter's grants in `auth::session::facts` and into the feed's viewer), and commissioner
//! reports leave the person out (`kpis::figures`). With nothing recorded, what the
//! organisation already does applies (docs/SECURITY.md §Consent).

pub mod list;
pub mod model;
pub mod record;
pub mod types;
pub mod withdraw;
