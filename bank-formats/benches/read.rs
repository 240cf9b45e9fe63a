//! Reading a generated 100,000-row bank CSV, against the plain `csv` crate splitting the
//! same bytes into records (the floor: no detection, no dates, no amounts).
//! `cargo bench -p bank-formats --bench read`; bench/imports/run.sh reports the numbers.

use std::fmt::Write as _;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const ROWS: usize = 100_000;

/// A US-style export: quoted thousands, a balance column, a few card-payment texts.
pub fn generated_csv(rows: usize) -> Vec<u8> {
    let payees = [
        "AMAZON MKTP US*2K4",
        "SHELL OIL 57442",
        "STARBUCKS STORE 0213",
        "NETFLIX.COM",
        "PAYROLL ACME INC",
        "TRADER JOE'S #552",
    ];
    let mut out = String::from("Transaction Date,Posted Date,Description,Amount,Balance\n");
    for i in 0..rows {
        let (month, day) = (1 + i % 12, 1 + i % 28);
        let cents = (i * 7919) % 250_000;
        let sign = if i % 9 == 0 { "" } else { "-" };
        let _ = writeln!(
            out,
            "{month:02}/{day:02}/2024,{month:02}/{day:02}/2024,{} {i},\"{sign}{},{:03}.{:02}\",\"{},{:03}.{:02}\"",
            payees[i % payees.len()],
            cents / 100_000,
            (cents / 100) % 1000,
            cents % 100,
            1 + i % 50,
            i % 1000,
            i % 100
        );
    }
    out.into_bytes()
}

fn read(c: &mut Criterion) {
    let bytes = generated_csv(ROWS);
    let parsed = bank_formats::read(&bytes, &bank_formats::Options::default())
        .expect("the generated file reads");
    assert_eq!((parsed.rows.len(), parsed.errors.len()), (ROWS, 0));
    let mut group = c.benchmark_group("read 100k-row CSV");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(20);
    group.bench_function("bank_formats::read (detect + parse)", |b| {
        b.iter(|| bank_formats::read(&bytes, &bank_formats::Options::default()).expect("reads"));
    });
    let mapping = parsed.mapping.clone();
    group.bench_function("bank_formats::read with a saved mapping", |b| {
        let options = bank_formats::Options {
            csv_mapping: mapping.clone(),
        };
        b.iter(|| bank_formats::read(&bytes, &options).expect("reads"));
    });
    group.bench_function("baseline: csv crate records only", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(bytes.as_slice());
            let mut record = csv::StringRecord::new();
            let mut n = 0usize;
            while reader.read_record(&mut record).expect("record") {
                n += record.len();
            }
            n
        });
    });
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
