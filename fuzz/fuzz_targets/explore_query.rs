//! See `explore_query` in fuzz/src/lib.rs for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tradewinds_fuzz::explore_query(data));
