//! Delta sync for offline-first clients: `GET /v1/sync?since=<cursor>` lists every record the
//! caller may see that changed since the cursor (or all of them, without one), deletions as
//! tombstones, and access the caller gained or lost as `access` entries, oldest change first,
//! in pages that never skip a change committed late (see the migration `sync` and
//! `model::PAGE`). Entries name records and where to read them (`href`), through the
//! endpoints that apply every rule of who sees what and send the `ETag` for a later `If-Match`.

pub mod get;
pub mod model;
pub mod types;

/// Deletion tombstones are kept this long; an older cursor must start again (410).
pub const KEEP: time::Duration = time::Duration::days(30);
