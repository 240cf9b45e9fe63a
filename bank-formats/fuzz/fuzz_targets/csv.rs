#![no_main]
//! Any bytes read as CSV: a row, a row error or a rejection, never a panic.

use bank_formats::{Format, Options, read_as};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_as(data, Some(Format::Csv), &Options::default());
});
