//! One module per route.
pub mod admin_import;
pub mod api_docs;
pub mod embed;
pub mod explore;
pub mod home;
pub mod markets;
pub mod rankings;
