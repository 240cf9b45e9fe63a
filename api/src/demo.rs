//! `api seed-demo`: a demo user with a year of realistic household transactions, so a
//! newcomer running `make run` can sign in and see a populated ledger at once. Running it
//! again changes nothing. The data comes from a pure, seeded generator.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::error::ApiError;

pub const DEMO_EMAIL: &str = "demo@financetracker.local";
pub const DEMO_PASSWORD: &str = "financetracker-demo";

/// One generated transaction. `category` names a default category; `None` leaves it for
/// the ML worker. `transfer_to` makes it a transfer to that account.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoTransaction {
    pub account: &'static str,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payee: &'static str,
    pub description: String,
    pub category: Option<&'static str>,
    pub transfer_to: Option<&'static str>,
}

/// (name, kind, opening balance in cents)
pub const DEMO_ACCOUNTS: &[(&str, &str, i64)] = &[
    ("Everyday Checking", "checking", 250_000),
    ("Savings", "savings", 1_000_000),
    ("Credit Card", "credit_card", 0),
    ("Cash", "cash", 20_000),
];

/// A small deterministic generator (xorshift): the same data on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Cents in `low..=high`.
    fn cents(&mut self, low: i64, high: i64) -> i64 {
        let span = u64::try_from(high - low + 1).unwrap_or(1);
        low + i64::try_from(self.next() % span).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.next() % items.len() as u64).unwrap_or(0);
        &items[i]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Places people spend at, with the bank-statement text and the category they belong to.
const GROCERIES: &[(&str, &str)] = &[
    ("Whole Foods", "WHOLE FOODS MARKET #10234 SEATTLE WA"),
    ("Trader Joe's", "TRADER JOE'S #552 QPS"),
    ("Safeway", "SAFEWAY STORE 1234"),
    ("Costco", "COSTCO WHSE #0455"),
];
const RESTAURANTS: &[(&str, &str)] = &[
    ("Starbucks", "STARBUCKS STORE 02121"),
    ("Chipotle", "CHIPOTLE 1234 ONLINE"),
    ("Blue Bottle Coffee", "SQ *BLUE BOTTLE COFFEE"),
    ("Uber Eats", "UBER EATS HELP.UBER.COM"),
    ("Panera Bread", "PANERA BREAD #601"),
];
const FUEL: &[(&str, &str)] = &[
    ("Shell", "SHELL OIL 57444"),
    ("Chevron", "CHEVRON 0091 PORTLAND"),
];
const SHOPPING: &[(&str, &str, &str)] = &[
    (
        "Amazon",
        "AMAZON.COM*MK12A3 AMZN.COM/BILL",
        "Household goods",
    ),
    ("Target", "TARGET 00012345", "Household goods"),
    ("Uniqlo", "UNIQLO USA 123", "Clothing"),
    ("Best Buy", "BESTBUY 00001234", "Electronics"),
    ("CVS", "CVS/PHARMACY #01234", "Pharmacy"),
];

/// A year of transactions ending `today`, the same for the same `today` and `seed`.
#[allow(clippy::too_many_lines)]
pub fn generate(today: NaiveDate, seed: u64) -> Vec<DemoTransaction> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    let start = today - Duration::days(364);
    let mut push = |account, date, cents, payee, description: String, category, transfer_to| {
        out.push(DemoTransaction {
            account,
            date,
            amount: money(cents),
            payee,
            description,
            category,
            transfer_to,
        });
    };
    let mut day = start;
    while day <= today {
        let dom = day.day();
        // Monthly fixed items.
        if dom == 1 {
            push(
                "Everyday Checking",
                day,
                -145_000,
                "Parkview Apartments",
                "PARKVIEW APTS RENT ACH".into(),
                Some("Rent & mortgage"),
                None,
            );
            push(
                "Everyday Checking",
                day,
                -5_999,
                "Comcast",
                "COMCAST CABLE COMM".into(),
                Some("Internet & phone"),
                None,
            );
        }
        if dom == 5 {
            let power = rng.cents(-14_000, -7_500);
            push(
                "Everyday Checking",
                day,
                power,
                "City Power & Light",
                "CITY POWER & LIGHT AUTOPAY".into(),
                Some("Utilities"),
                None,
            );
            push(
                "Credit Card",
                day,
                -1_549,
                "Netflix",
                "NETFLIX.COM 866-579-7172 CA".into(),
                Some("Subscriptions & streaming"),
                None,
            );
            push(
                "Credit Card",
                day,
                -1_099,
                "Spotify",
                "Spotify USA P1A2B3C4".into(),
                Some("Subscriptions & streaming"),
                None,
            );
        }
        if dom == 10 {
            push(
                "Everyday Checking",
                day,
                -12_000,
                "State Farm",
                "STATE FARM INSURANCE PREM".into(),
                Some("Insurance"),
                None,
            );
            push(
                "Credit Card",
                day,
                -3_900,
                "Planet Fitness",
                "PLANET FITNESS CLUB FEE".into(),
                Some("Fitness"),
                None,
            );
        }
        if dom == 25 {
            push(
                "Everyday Checking",
                day,
                420_000,
                "ACME Corp",
                "ACME CORP PAYROLL PPD ID 91234".into(),
                Some("Salary"),
                None,
            );
        }
        if dom == 26 {
            push(
                "Everyday Checking",
                day,
                -50_000,
                "",
                "Transfer to savings".into(),
                None,
                Some("Savings"),
            );
        }
        if dom == 28 {
            let payment = rng.cents(-130_000, -80_000);
            push(
                "Everyday Checking",
                day,
                payment,
                "",
                "Credit card payment".into(),
                None,
                Some("Credit Card"),
            );
        }
        if dom == 15 && day.month().is_multiple_of(3) {
            push(
                "Savings",
                day,
                rng.cents(900, 2_500),
                "Ally Bank",
                "INTEREST PAYMENT".into(),
                Some("Interest & dividends"),
                None,
            );
        }
        // Everyday spending; some left uncategorised for the ML worker.
        for (percent, places, category, low, high) in [
            (30, GROCERIES, "Groceries", -16_000, -2_500),
            (35, RESTAURANTS, "Restaurants & cafes", -8_500, -450),
        ] {
            if rng.chance(percent) {
                let (payee, text) = *rng.pick(places);
                let cents = rng.cents(low, high);
                let category = rng.chance(85).then_some(category);
                push(
                    "Credit Card",
                    day,
                    cents,
                    payee,
                    text.into(),
                    category,
                    None,
                );
            }
        }
        if day.weekday().num_days_from_monday() == 5 {
            let (payee, text) = *rng.pick(FUEL);
            push(
                "Credit Card",
                day,
                rng.cents(-7_000, -3_500),
                payee,
                text.into(),
                Some("Fuel"),
                None,
            );
        }
        if rng.chance(6) {
            let (payee, text) = if rng.chance(50) {
                ("Uber", "UBER *TRIP HELP.UBER.COM")
            } else {
                ("Lyft", "LYFT *RIDE SUN 8PM")
            };
            push(
                "Credit Card",
                day,
                rng.cents(-4_500, -900),
                payee,
                text.into(),
                Some("Taxi & rideshare"),
                None,
            );
        }
        if rng.chance(8) {
            let (payee, text, category) = *rng.pick(SHOPPING);
            let cents = rng.cents(-25_000, -1_200);
            let category = rng.chance(80).then_some(category);
            push(
                "Credit Card",
                day,
                cents,
                payee,
                text.into(),
                category,
                None,
            );
        }
        if rng.chance(4) {
            push(
                "Cash",
                day,
                rng.cents(-2_500, -300),
                "Farmers market",
                "Cash".into(),
                Some("Groceries"),
                None,
            );
        }
        day += Duration::days(1);
    }
    out
}

/// Creates the demo user, ledger, accounts and transactions unless the user exists.
/// Returns whether anything was created.
pub async fn seed(pool: &PgPool) -> Result<bool, ApiError> {
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = $1) AS "exists!""#,
        DEMO_EMAIL,
    )
    .fetch_one(pool)
    .await?;
    if exists {
        return Ok(false);
    }
    let hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = service_kit::stores::begin(pool).await?;
    let user_id = sqlx::query_scalar!(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, 'Demo', $2) RETURNING id",
        DEMO_EMAIL,
        hash,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO user_preferences (user_id, default_currency) VALUES ($1, 'USD')",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    let ledger_id = crate::ledgers::create(&mut tx, user_id, "Demo household", "USD").await?;

    let mut accounts = std::collections::HashMap::new();
    for (name, kind, opening) in DEMO_ACCOUNTS {
        let id = sqlx::query_scalar!(
            "INSERT INTO accounts (ledger_id, name, kind, currency, opening_balance)
             VALUES ($1, $2, $3::text::account_kind, 'USD', $4) RETURNING id",
            ledger_id,
            name,
            kind,
            money(*opening),
        )
        .fetch_one(&mut *tx)
        .await?;
        accounts.insert(*name, id);
    }
    let categories: std::collections::HashMap<String, Uuid> = sqlx::query!(
        "SELECT id, name FROM categories WHERE ledger_id = $1",
        ledger_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.name, r.id))
    .collect();

    let generated = generate(Utc::now().date_naive(), 20_261_124);
    let mut columns = Columns::default();
    for t in &generated {
        let transfer_id = t.transfer_to.map(|_| Uuid::new_v4());
        columns.push(
            accounts[t.account],
            t,
            t.amount,
            t.category.map(|c| categories[c]),
            transfer_id,
        );
        if let Some(to) = t.transfer_to {
            columns.push(accounts[to], t, -t.amount, None, transfer_id);
        }
    }
    sqlx::query!(
        r#"INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, description,
                                     category_id, category_source, transfer_id)
           SELECT $1, a, d, m, p, s, c, CASE WHEN c IS NULL THEN NULL ELSE 'user'::category_source END, x
           FROM unnest($2::uuid[], $3::date[], $4::numeric[], $5::text[], $6::text[], $7::uuid[], $8::uuid[])
                AS t(a, d, m, p, s, c, x)"#,
        ledger_id,
        &columns.accounts,
        &columns.dates,
        &columns.amounts,
        &columns.payees,
        &columns.descriptions,
        &columns.categories as &[Option<Uuid>],
        &columns.transfers as &[Option<Uuid>],
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(transactions = columns.accounts.len(), "demo data created");
    Ok(true)
}

#[derive(Default)]
struct Columns {
    accounts: Vec<Uuid>,
    dates: Vec<NaiveDate>,
    amounts: Vec<Decimal>,
    payees: Vec<String>,
    descriptions: Vec<String>,
    categories: Vec<Option<Uuid>>,
    transfers: Vec<Option<Uuid>>,
}

impl Columns {
    fn push(
        &mut self,
        account: Uuid,
        t: &DemoTransaction,
        amount: Decimal,
        category: Option<Uuid>,
        transfer: Option<Uuid>,
    ) {
        self.accounts.push(account);
        self.dates.push(t.date);
        self.amounts.push(amount);
        self.payees.push(t.payee.to_owned());
        self.descriptions.push(t.description.clone());
        self.categories.push(category);
        self.transfers.push(transfer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledgers::defaults::DEFAULT_CATEGORIES;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
    }

    #[test]
    fn a_year_of_data_that_is_the_same_every_time() {
        let a = generate(today(), 7);
        assert_eq!(a, generate(today(), 7));
        assert!(a.len() > 365, "more than one a day: {}", a.len());
        assert_eq!(
            a.first().map(|t| t.date),
            Some(today() - Duration::days(364))
        );
        assert!(a.iter().all(|t| t.date <= today()));
        assert!(
            a.iter()
                .all(|t| t.amount.scale() == 2 && !t.amount.is_zero())
        );
        let salaries = a.iter().filter(|t| t.category == Some("Salary")).count();
        assert_eq!(salaries, 12);
    }

    #[test]
    fn every_category_named_exists_by_default_and_some_are_left_for_the_model() {
        let known: Vec<&str> = DEFAULT_CATEGORIES
            .iter()
            .flat_map(|(_, _, c)| c.iter().copied())
            .collect();
        let data = generate(today(), 7);
        for t in &data {
            if let Some(category) = t.category {
                assert!(known.contains(&category), "{category}");
            }
        }
        let uncategorised = data
            .iter()
            .filter(|t| t.category.is_none() && t.transfer_to.is_none())
            .count();
        assert!(uncategorised > 20, "{uncategorised}");
    }
}
