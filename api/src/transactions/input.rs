//! Checking what clients send for a transaction, without a database: dates, amounts in the
//! account's currency, splits that sum exactly, tags, text lengths. Pure functions.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::http::validation::Validator;
use crate::money::parse_amount;

pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 50;
pub const MAX_SPLITS: usize = 50;

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`) in PATCH
/// bodies, so `"category_id": null` clears the category while omitting it keeps it.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Trimmed, de-duplicated tags, in the order given.
pub fn clean_tags(v: &mut Validator, field: &str, tags: &[String]) -> Vec<String> {
    let mut cleaned: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim();
        let chars = tag.chars().count();
        v.check(
            (1..=MAX_TAG_CHARS).contains(&chars),
            field,
            format!("each tag must be 1 to {MAX_TAG_CHARS} characters"),
        );
        if !cleaned.iter().any(|t| t == tag) {
            cleaned.push(tag.to_owned());
        }
    }
    v.check(
        cleaned.len() <= MAX_TAGS,
        field,
        format!("at most {MAX_TAGS} tags"),
    );
    cleaned
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitInput {
    pub category_id: Uuid,
    pub amount: String,
    #[serde(default)]
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub category_id: Uuid,
    pub amount: Decimal,
    pub memo: String,
}

/// Splits of `total`: at least two parts, each a valid amount, summing exactly to `total`.
pub fn check_splits(
    v: &mut Validator,
    splits: &[SplitInput],
    total: Option<Decimal>,
    minor_units: u32,
) -> Vec<Split> {
    v.check(
        splits.len() != 1,
        "splits",
        "a split needs at least two parts (or use category_id)",
    )
    .check(
        splits.len() <= MAX_SPLITS,
        "splits",
        format!("at most {MAX_SPLITS} parts"),
    );
    let parsed: Vec<Split> = splits
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let amount = v.result(
                &format!("splits[{i}].amount"),
                parse_amount(&s.amount, minor_units),
            )?;
            v.check(
                s.memo.chars().count() <= 200,
                &format!("splits[{i}].memo"),
                "must be at most 200 characters",
            );
            Some(Split {
                category_id: s.category_id,
                amount,
                memo: s.memo.trim().to_owned(),
            })
        })
        .collect();
    if let Some(total) = total
        && parsed.len() == splits.len()
        && !parsed.is_empty()
    {
        let sum: Decimal = parsed.iter().map(|s| s.amount).sum();
        v.check(
            sum == total,
            "splits",
            format!("the parts sum to {sum} but the amount is {total}"),
        );
    }
    parsed
}

/// Free-text fields and their limits.
pub fn check_texts(v: &mut Validator, payee: &str, description: &str, notes: &str) {
    v.check(
        payee.chars().count() <= 200,
        "payee",
        "must be at most 200 characters",
    )
    .check(
        description.chars().count() <= 1000,
        "description",
        "must be at most 1000 characters",
    )
    .check(
        notes.chars().count() <= 5000,
        "notes",
        "must be at most 5000 characters",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn split(amount: &str) -> SplitInput {
        SplitInput {
            category_id: Uuid::nil(),
            amount: amount.to_owned(),
            memo: String::new(),
        }
    }

    #[test]
    fn splits_must_sum_exactly_to_the_amount() {
        let total = Some(Decimal::from_str("-10.00").expect("decimal"));
        let mut v = Validator::new();
        let parts = check_splits(&mut v, &[split("-3.33"), split("-6.67")], total, 2);
        assert!(v.finish().is_ok());
        assert_eq!(parts.len(), 2);

        let mut v = Validator::new();
        check_splits(&mut v, &[split("-3.33"), split("-6.66")], total, 2);
        let err = v.finish().expect_err("one cent off");
        assert!(format!("{err:?}").contains("sum to -9.99"), "{err:?}");

        let mut v = Validator::new();
        check_splits(&mut v, &[split("-10.00")], total, 2);
        assert!(v.finish().is_err(), "a single part is not a split");

        let mut v = Validator::new();
        check_splits(&mut v, &[split("-3.333"), split("-6.667")], total, 2);
        assert!(v.finish().is_err(), "parts obey the currency's decimals");
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        let mut v = Validator::new();
        let tags = clean_tags(
            &mut v,
            "tags",
            &[" trip ".into(), "trip".into(), "food".into()],
        );
        assert_eq!(tags, ["trip", "food"]);
        assert!(v.finish().is_ok());

        let mut v = Validator::new();
        clean_tags(&mut v, "tags", &[String::new()]);
        assert!(v.finish().is_err());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        let mut v = Validator::new();
        clean_tags(&mut v, "tags", &many);
        assert!(v.finish().is_err());
    }
}
