//! Exports (right of access and portability, UK GDPR Art. 15 and 20): a job that gathers
//! everything held about a person into one ZIP: `record.json` (every row of every table
//! about them, found by walking the schema, secrets left out), their photos, and `summary.md`,
//! their plan and stories in their own language. Kept a week, then removed with its file.

pub mod build;
pub mod create;
pub mod get;
pub mod model;
pub mod types;
