//! 4.4.1 evidence side: secret and key rotation age from metadata dumps, plus offboarding.

pub mod dumps;
pub mod offboarding;
pub mod rotation_441;
