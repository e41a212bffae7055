//! Contracts between a commissioning body and the providers it funds. A commissioner's reports
//! cover only the providers its body holds a contract with.

pub mod create;
pub mod list;
pub mod model;
pub mod types;
