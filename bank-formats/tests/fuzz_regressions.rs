//! Every input a fuzzer once crashed on (`fuzz/regressions/<target>/`), read again as that
//! target reads it: each must now give rows, row errors or a rejection, never a panic.

use std::path::Path;

use bank_formats::{Format, Options, read_as};

#[test]
fn inputs_that_once_crashed_a_reader_are_read_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut read = 0;
    for (target, format) in [
        ("csv", Some(Format::Csv)),
        ("ofx", Some(Format::Ofx1)),
        ("qif", Some(Format::Qif)),
        ("any", None),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            let outcome = std::panic::catch_unwind(|| read_as(&bytes, format, &Options::default()));
            assert!(outcome.is_ok(), "{} panics again", path.display());
            read += 1;
        }
    }
    assert!(
        read >= 1,
        "no regression inputs found under {}",
        root.display()
    );
}

#[test]
fn a_posting_date_cut_inside_a_character_is_a_row_error() {
    // The fuzzer's input: a DTPOSTED of Windows-1252 bytes that decode to three-byte
    // characters, so byte 8 of the text falls inside one.
    let bytes = include_bytes!("../fuzz/regressions/ofx/dtposted-split-inside-a-character.ofx");
    let file = read_as(bytes, Some(Format::Ofx1), &Options::default()).expect("read");
    assert!(
        file.errors
            .iter()
            .any(|e| e.message.starts_with("DTPOSTED '™™") && e.message.ends_with("is not a date")),
        "{:?}",
        file.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
}
