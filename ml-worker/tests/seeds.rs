//! Day one: a new ledger with the default categories and not one label of its own gets
//! useful suggestions, from the built-in seed lines. Measured against the same ledger
//! taught only its category names, on statement lines that are not seeds themselves.

mod support;

use std::sync::Arc;

use contracts::default_categories::DEFAULT_CATEGORIES;
use ml_worker::classifier::logistic::Settings;
use ml_worker::classifier::{Direction, Example, LedgerClassifier};
use ml_worker::ledgers::Ledgers;
use ml_worker::model::embedder::Embedder;
use ml_worker::normalise::normalise;
use sqlx::PgPool;
use support::models;
use uuid::Uuid;

/// Lines as banks print them, with the default category a person would pick.
const DAY_ONE: &[(&str, f64, &str)] = &[
    (
        "NETFLIX INTERNATIONAL B.V. 866-579-7172",
        -15.99,
        "Subscriptions & streaming",
    ),
    (
        "Spotify P1A2B3C4D5 Stockholm",
        -10.99,
        "Subscriptions & streaming",
    ),
    ("SHELL 57442 HOUSTON TX", -48.20, "Fuel"),
    ("UBER *TRIP HELP.UBER.COM", -23.10, "Taxi & rideshare"),
    ("TESCO STORE 2345 LONDON", -61.05, "Groceries"),
    ("REWE Markt GmbH Berlin", -34.80, "Groceries"),
    (
        "STARBUCKS STORE 01234 SEATTLE",
        -5.45,
        "Restaurants & cafes",
    ),
    ("MCDONALD'S F12345", -9.30, "Restaurants & cafes"),
    ("CVS/PHARMACY #01234 BOSTON MA", -12.99, "Pharmacy"),
    ("IKEA DELFT", -129.00, "Household goods"),
    ("AIRBNB PAYMENTS LUXEMBOURG", -310.00, "Travel"),
    ("DB Fernverkehr Fahrkarte", -59.90, "Public transport"),
    ("H&M 123 AMSTERDAM", -39.99, "Clothing"),
    ("PUREGYM LTD", -24.99, "Fitness"),
    ("VODAFONE LIMITED MOBILE", -30.00, "Internet & phone"),
    ("MONTHLY MAINTENANCE FEE", -12.00, "Bank fees"),
    ("GEICO AUTO INSURANCE", -96.40, "Insurance"),
    ("SALARY NOVEMBER ACME LTD", 3200.00, "Salary"),
    ("INTEREST PAYMENT SAVINGS", 4.12, "Interest & dividends"),
    ("THE HOME DEPOT #4521 ATLANTA", -76.33, "Home maintenance"),
];

/// A ledger with the default categories, as the API creates it; ids by name.
async fn default_ledger(pool: &PgPool) -> (Uuid, Vec<(String, Uuid)>) {
    support::ledger_with(pool, DEFAULT_CATEGORIES).await
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_new_ledger_gets_useful_suggestions_from_the_seed_lines(pool: PgPool) {
    let (ledger, ids) = default_ledger(&pool).await;
    let name_of = |id: &str| {
        ids.iter()
            .find(|(_, i)| i.to_string() == id)
            .map(|(n, _)| n.clone())
            .unwrap_or_default()
    };
    for (line, _, _) in DAY_ONE {
        assert!(
            ml_worker::seeds::all().all(|seed| normalise(seed) != normalise(line)),
            "{line} is a seed itself: the test would measure memory, not learning"
        );
    }
    let embedder = Arc::new(Embedder::load(&models(), "minilm-l6-v2-int8", 2).expect("model"));
    let ledgers = Arc::new(Ledgers::new(pool.clone(), Arc::clone(&embedder)));
    let items: Vec<(String, f64)> = DAY_ONE
        .iter()
        .map(|(line, amount, _)| ((*line).to_owned(), *amount))
        .collect();
    let seeded = ledgers.categorize(ledger, items).await.expect("categorize");
    let seeded: Vec<String> = seeded
        .iter()
        .map(|ranked| name_of(&ranked[0].category))
        .collect();

    // The same ledger taught its category names only (what it knew before the seeds).
    let names: Vec<Example> = DEFAULT_CATEGORIES
        .iter()
        .flat_map(|(_, kind, names)| {
            names.iter().map(move |name| Example {
                description: (*name).to_owned(),
                direction: if *kind == "income" {
                    Direction::In
                } else {
                    Direction::Out
                },
                category: (*name).to_owned(),
                correction: false,
                seed: false,
            })
        })
        .collect();
    let embed = |texts: &[&str]| embedder.embed(texts).expect("embed");
    let names_only = LedgerClassifier::train(&names, &embed, Settings::default());
    let refs: Vec<(&str, Direction)> = DAY_ONE
        .iter()
        .map(|(line, amount, _)| (*line, Direction::of(*amount)))
        .collect();
    let names_only: Vec<String> = names_only
        .predict(&refs, &embed)
        .iter()
        .map(|ranked| ranked[0].category.clone())
        .collect();

    let right = |got: &[String]| {
        DAY_ONE
            .iter()
            .zip(got)
            .filter(|((_, _, want), got)| want == got)
            .count()
    };
    let table: Vec<String> = DAY_ONE
        .iter()
        .zip(seeded.iter().zip(&names_only))
        .map(|((line, _, want), (s, n))| format!("{line}: want {want}, seeded {s}, names {n}"))
        .collect();
    let (with_seeds, without) = (right(&seeded), right(&names_only));
    eprintln!(
        "day one: {with_seeds}/{} with seeds, {without}/{} from names only\n{}",
        DAY_ONE.len(),
        DAY_ONE.len(),
        table.join("\n")
    );
    assert!(
        with_seeds * 10 >= DAY_ONE.len() * 7,
        "at least 70% right on day one: {with_seeds}/{}\n{}",
        DAY_ONE.len(),
        table.join("\n")
    );
    assert!(
        with_seeds >= without + DAY_ONE.len() / 4,
        "the seeds add at least a quarter: {with_seeds} against {without}\n{}",
        table.join("\n")
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_ledger_label_wins_over_the_seeds(pool: PgPool) {
    let (ledger, ids) = default_ledger(&pool).await;
    let id = |name: &str| ids.iter().find(|(n, _)| n == name).expect(name).1;
    let account = support::account(&pool, ledger).await;
    // The seeds say Aldi is groceries; this household files it under household goods.
    sqlx::query(
        "INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, category_id, category_source)
         VALUES ($1, $2, '2026-11-01', -20, 'ALDI', $3, 'user')",
    )
    .bind(ledger)
    .bind(account)
    .bind(id("Household goods"))
    .execute(&pool)
    .await
    .expect("labelled");
    let embedder = Embedder::load(&models(), "minilm-l6-v2-int8", 2).expect("model");
    let ledgers = Arc::new(Ledgers::new(pool.clone(), Arc::new(embedder)));
    let ranked = ledgers
        .categorize(
            ledger,
            vec![("ALDI".to_owned(), -5.0), ("Pick n Pay".to_owned(), -5.0)],
        )
        .await
        .expect("categorize");
    assert_eq!(
        (ranked[0][0].category.as_str(), ranked[0][0].confidence),
        (id("Household goods").to_string().as_str(), 1.0),
        "the ledger's own label, from the exact memory"
    );
    assert!(
        ranked[1][0].confidence < 1.0,
        "a seed line is learned, not remembered: {:?}",
        ranked[1]
    );
}
