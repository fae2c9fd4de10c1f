//! Vietnamese domain rules: the 12-digit personal identification number and its province codes.

pub mod personal_id;
pub mod provinces;

pub use personal_id::{PersonalId, Sex};
