#![no_main]
//! Any bytes through format detection and the reader it picks, never a panic.

use bank_formats::{Options, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read(data, &Options::default());
});
