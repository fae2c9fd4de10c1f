//! Vietnamese domain rules: the 12-digit personal identification number and its province codes.

pub(crate) mod personal_id;
pub(crate) mod provinces;

pub(crate) use personal_id::PersonalId;
