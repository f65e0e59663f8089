//! One module per route.
pub mod explore;
pub mod explore_state;
pub mod home;
