//! Pure: what an import will write. Each row read from the file gets its target account, its
//! checks against that account's currency, and its import id, which is what deduplicates:
//! the bank's own id (OFX `FITID`) when the file has one, otherwise a hash of the account,
//! date, amount, normalised text and the row's occurrence among identical rows in the file.
//! Two genuinely identical transactions on one day get occurrences 0 and 1 and both stay;
//! importing the same or an overlapping file again yields the same ids and adds nothing twice.
//! A category the file names (QIF `L`, and each split part's `S`) is kept when the ledger has
//! one of that name; a name the ledger lacks becomes a new category, created at commit, so a
//! household moving from another app keeps its categories and its split transactions.

// One hasher throughout: generic hasher parameters would only add noise.
#![allow(clippy::implicit_hasher)]

use std::collections::{BTreeMap, HashMap, HashSet};

use bank_formats::{ParsedFile, RowError};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::money::check_amount;
use crate::transactions::input::MAX_SPLITS;

/// The longest payee and description a transaction keeps (the table's limits).
pub const MAX_PAYEE: usize = 200;
pub const MAX_DESCRIPTION: usize = 1000;
/// The longest category or group name and split memo (the tables' limits).
pub const MAX_CATEGORY_NAME: usize = 100;
pub const MAX_MEMO: usize = 200;
/// The most categories one import creates. A household keeps tens of categories and a
/// long-time Quicken user a few hundred; a file naming thousands is not a category list
/// (every payee as a category, say), and each one would be a class the ledger's model
/// learns and a line in every category picker.
pub const MAX_NEW_CATEGORIES: usize = 500;
/// Where a category named without a group goes, by the direction of its money.
pub const IMPORTED_GROUP: &str = "Imported";
pub const IMPORTED_INCOME_GROUP: &str = "Imported income";

/// One of our accounts that a source account's rows go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub account_id: Uuid,
    pub minor_units: u32,
}

/// A row ready to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    pub line: usize,
    pub account_id: Uuid,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payee: String,
    pub description: String,
    pub import_id: String,
    /// The ledger category the file's category names, when there is one.
    pub category_id: Option<Uuid>,
    /// The parts of a split transaction, summing to `amount`; empty when not split.
    pub splits: Vec<PlannedSplit>,
}

/// One part of a split transaction, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSplit {
    pub category_id: Uuid,
    pub amount: Decimal,
    pub memo: String,
}

/// A category the file names that the ledger lacks: the commit creates it (and its group,
/// when the ledger has no group of that name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NewCategory {
    pub group: String,
    pub name: String,
    /// The kind a new group gets: income when the money under its new categories comes in.
    pub income: bool,
}

impl std::fmt::Display for NewCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} › {}", self.group, self.name)
    }
}

/// The ledger's categories by the names a file may give them, lower case: `group:name`
/// always, and `name` alone where only one group has it.
#[derive(Debug, Default, Clone)]
pub struct CategoryNames {
    names: HashMap<String, Option<Uuid>>,
    /// Nothing more will be created: a name not found now stays unknown (the commit's
    /// plan, after it created what the file lacked).
    settled: bool,
}

impl CategoryNames {
    /// From `(id, group name, category name)` of the ledger's active categories.
    pub fn new(categories: impl IntoIterator<Item = (Uuid, String, String)>) -> Self {
        let mut names: HashMap<String, Option<Uuid>> = HashMap::new();
        for (id, group, name) in categories {
            names.insert(
                format!("{}:{}", normalise(&group), normalise(&name)),
                Some(id),
            );
            names
                .entry(normalise(&name))
                .and_modify(|existing| *existing = None)
                .or_insert(Some(id));
        }
        Self {
            names,
            settled: false,
        }
    }

    /// The same names, with nothing more to be created (see [`Self::lacks`]).
    #[must_use]
    pub fn settled(self) -> Self {
        Self {
            settled: true,
            ..self
        }
    }

    /// The category `file_name` means: `Group:Name` exactly, else `Name` (the last part)
    /// when it is unambiguous. `Food:Groceries` and `groceries` both find Food › Groceries.
    pub fn find(&self, file_name: &str) -> Option<Uuid> {
        let parts: Vec<String> = file_name
            .split(':')
            .map(normalise)
            .filter(|p| !p.is_empty())
            .collect();
        let full = parts.join(":");
        self.names.get(&full).copied().flatten().or_else(|| {
            parts
                .last()
                .and_then(|last| self.names.get(last).copied().flatten())
        })
    }

    /// The (group, category) to create for `file_name`, or `None` when the ledger has the
    /// category, or when a bare name is ambiguous (two groups have it: that is not a
    /// missing category). `Bills:Cell Phone` is group `Bills`, category `Cell Phone`;
    /// deeper levels stay in the category's name; a bare name has no group (`None`).
    /// Never when settled, nor for a name longer than a category may be (a shortened one
    /// would not be found by the file's name).
    fn lacks(&self, file_name: &str) -> Option<(Option<String>, String)> {
        if self.settled || self.find(file_name).is_some() {
            return None;
        }
        let parts: Vec<&str> = file_name
            .split(':')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let fits = |name: &str| name.chars().count() <= MAX_CATEGORY_NAME;
        match parts.as_slice() {
            [] => None,
            [one] if self.names.contains_key(&normalise(one)) || !fits(one) => None,
            [one] => Some((None, (*one).to_owned())),
            [group, rest @ ..] => {
                let name = rest.join(":");
                (fits(group) && fits(&name)).then(|| (Some((*group).to_owned()), name))
            }
        }
    }
}

/// The categories the mapped rows of `parsed` name that `categories` lacks, each once
/// (first spelling wins), in name order. A group's kind follows the sum of the money under
/// its new categories; a bare name goes to [`IMPORTED_GROUP`] or [`IMPORTED_INCOME_GROUP`]
/// by its own sum.
pub fn new_categories(
    parsed: &ParsedFile,
    targets: &HashMap<usize, Target>,
    categories: &CategoryNames,
) -> Vec<NewCategory> {
    // (group key, name key) -> (group, name, money under it)
    type Wanted = BTreeMap<(Option<String>, String), (Option<String>, String, Decimal)>;
    let mut wanted = Wanted::new();
    let named = parsed
        .rows
        .iter()
        .filter(|r| targets.contains_key(&r.account))
        .flat_map(|r| {
            let whole = r
                .category
                .as_deref()
                .filter(|_| r.splits.is_empty())
                .map(|c| (c, r.amount));
            let parts = r
                .splits
                .iter()
                .filter_map(|s| s.category.as_deref().map(|c| (c, s.amount)));
            whole.into_iter().chain(parts)
        });
    for (file_name, amount) in named {
        let Some((group, name)) = categories.lacks(file_name) else {
            continue;
        };
        let key = (group.as_deref().map(normalise), normalise(&name));
        wanted.entry(key).or_insert((group, name, Decimal::ZERO)).2 += amount;
    }
    // A bare name that the file also gives with a group is that grouped category: creating
    // both would make the bare name ambiguous.
    let grouped: HashSet<String> = wanted
        .keys()
        .filter(|(group, _)| group.is_some())
        .map(|(_, name)| name.clone())
        .collect();
    wanted.retain(|(group, name), _| group.is_some() || !grouped.contains(name));
    let mut group_sums: HashMap<String, Decimal> = HashMap::new();
    for ((group_key, _), (_, _, sum)) in &wanted {
        if let Some(g) = group_key {
            *group_sums.entry(g.clone()).or_default() += *sum;
        }
    }
    let mut out: Vec<NewCategory> = wanted
        .into_iter()
        .map(|((group_key, _), (group, name, sum))| match group {
            Some(group) => NewCategory {
                income: group_key
                    .and_then(|g| group_sums.get(&g).copied())
                    .is_some_and(|s| s > Decimal::ZERO),
                group,
                name,
            },
            None => NewCategory {
                group: if sum > Decimal::ZERO {
                    IMPORTED_INCOME_GROUP
                } else {
                    IMPORTED_GROUP
                }
                .to_owned(),
                name,
                income: sum > Decimal::ZERO,
            },
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| {
        normalise(&a.group) == normalise(&b.group) && normalise(&a.name) == normalise(&b.name)
    });
    out
}

/// Pure: why `new` is more categories than an import may create, if it is.
pub fn too_many_categories(new: &[NewCategory]) -> Option<String> {
    (new.len() > MAX_NEW_CATEGORIES).then(|| {
        format!(
            "the file names {} categories this ledger lacks, and an import creates at most \
             {MAX_NEW_CATEGORIES}: create the ones you want first, or export the file without \
             categories",
            new.len()
        )
    })
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    /// The file's row errors plus the rows that break the account's currency.
    pub errors: Vec<RowError>,
    /// Rows of source accounts not mapped to one of ours.
    pub unmapped: usize,
    /// Categories the file names that the ledger lacks (the commit creates them).
    pub new_categories: Vec<NewCategory>,
    /// Split transactions imported whole and uncategorised, because a part has no category
    /// or an amount finer than the account's currency.
    pub unsplit: usize,
}

/// Plans the rows of `parsed`; `targets` maps a source account index to our account.
pub fn plan(
    parsed: &ParsedFile,
    targets: &HashMap<usize, Target>,
    categories: &CategoryNames,
) -> Plan {
    let mut planner = Planner::new(targets, categories);
    let rows = parsed.rows.iter().filter_map(|r| planner.row(r)).collect();
    Plan {
        rows,
        ..planner.finish(parsed)
    }
}

/// Plans a file's rows one at a time, in file order, for a caller that writes them as they
/// come: the rows of [`plan`], and at [`Planner::finish`] the rest of its plan.
#[derive(Debug)]
pub struct Planner<'a> {
    targets: &'a HashMap<usize, Target>,
    categories: &'a CategoryNames,
    /// How often each content key has come so far: a row's occurrence among identical rows.
    occurrences: HashMap<String, u32>,
    /// The content key's buffer, reused from row to row.
    key: String,
    /// Everything but the rows.
    rest: Plan,
}

impl<'a> Planner<'a> {
    pub fn new(targets: &'a HashMap<usize, Target>, categories: &'a CategoryNames) -> Self {
        Self {
            targets,
            categories,
            occurrences: HashMap::new(),
            key: String::new(),
            rest: Plan::default(),
        }
    }

    /// The next row of the file as it will be written, or `None` when it is not written
    /// (its source account is not mapped, or its amount breaks the account's currency).
    pub fn row(&mut self, row: &bank_formats::Row) -> Option<PlannedRow> {
        let Some(target) = self.targets.get(&row.account) else {
            self.rest.unmapped += 1;
            return None;
        };
        if let Err(message) = check_amount(row.amount, target.minor_units) {
            self.rest.errors.push(RowError {
                line: row.line,
                message: format!("the amount {} {message}", row.amount),
            });
            return None;
        }
        let payee = clip(&row.payee, MAX_PAYEE);
        let description = clip(&row.description, MAX_DESCRIPTION);
        let import_id = if let Some(bank_id) = &row.import_id {
            clip(bank_id, 200)
        } else {
            let key = &mut self.key;
            content_key(
                key,
                target.account_id,
                row.date,
                row.amount,
                &payee,
                &description,
            );
            let occurrence = if let Some(seen) = self.occurrences.get_mut(key.as_str()) {
                *seen += 1;
                *seen - 1
            } else {
                self.occurrences.insert(key.clone(), 1);
                0
            };
            hashed_id(key, occurrence)
        };
        // One part is no split: it is the row's category (many exporters write an `S`
        // line for every transaction).
        let (category, splits) = match row.splits.as_slice() {
            [] => (row.category.as_deref(), Vec::new()),
            [one] => (one.category.as_deref(), Vec::new()),
            parts => {
                let planned = planned_splits(parts, target.minor_units, self.categories);
                self.rest.unsplit += usize::from(planned.is_none());
                (None, planned.unwrap_or_default())
            }
        };
        Some(PlannedRow {
            line: row.line,
            account_id: target.account_id,
            date: row.date,
            amount: row.amount,
            payee,
            description,
            import_id,
            category_id: category.and_then(|c| self.categories.find(c)),
            splits,
        })
    }

    /// The plan of `parsed` without its rows, once every row has been through
    /// [`Planner::row`].
    pub fn finish(self, parsed: &ParsedFile) -> Plan {
        let mut errors = parsed.errors.clone();
        errors.extend(self.rest.errors);
        errors.sort_by_key(|e| e.line);
        Plan {
            errors,
            new_categories: new_categories(parsed, self.targets, self.categories),
            ..self.rest
        }
    }
}

/// The parts of a split row as they will be written, or `None` when they cannot be (more
/// than the API allows, a part without a category, an ambiguous one, or an amount finer
/// than the currency): the row is
/// then imported whole. A part naming a category the commit will create makes the parts
/// empty for now: the commit plans again once the category exists. The reader has already
/// checked that the parts add up to the row's amount.
fn planned_splits(
    parts: &[bank_formats::SplitPart],
    minor_units: u32,
    categories: &CategoryNames,
) -> Option<Vec<PlannedSplit>> {
    if parts.len() > MAX_SPLITS {
        return None;
    }
    let mut planned = Vec::with_capacity(parts.len());
    let mut waiting = false;
    for part in parts {
        check_amount(part.amount, minor_units).ok()?;
        let name = part.category.as_deref()?;
        match categories.find(name) {
            Some(category_id) => planned.push(PlannedSplit {
                category_id,
                amount: part.amount,
                memo: clip(&part.memo, MAX_MEMO),
            }),
            None if categories.lacks(name).is_some() => waiting = true,
            None => return None,
        }
    }
    if waiting {
        planned.clear();
    }
    Some(planned)
}

/// Cuts text to at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].to_owned(),
        None => text.to_owned(),
    }
}

/// Lower case, one space between words: "AMAZON  Mktp" and "amazon mktp" are the same text.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_normalised(&mut out, text);
    out
}

/// Appends `text` normalised to `out`. Each word is lower-cased on its own (so a Greek
/// capital sigma ending a word becomes the final form), ASCII words in place.
fn push_normalised(out: &mut String, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
}

/// Writes into `out` what identifies a row without a bank id: its account, date, amount and
/// normalised texts, `|` between them.
fn content_key(
    out: &mut String,
    account: Uuid,
    date: NaiveDate,
    amount: Decimal,
    payee: &str,
    description: &str,
) {
    use std::fmt::Write as _;
    out.clear();
    let _ = write!(out, "{account}|{date}|{}|", amount.normalize());
    push_normalised(out, payee);
    out.push('|');
    push_normalised(out, description);
}

/// `ft1:` and the first 32 hex digits of SHA-256 of `{key}|{occurrence}`; the prefix keeps
/// these apart from bank ids.
fn hashed_id(key: &str, occurrence: u32) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(key.as_bytes())
        .chain_update(b"|")
        .chain_update(occurrence.to_string().as_bytes())
        .finalize();
    format!("ft1:{}", service_kit::digest::hex(&digest[..16]))
}

/// Which planned rows are duplicates: their id is already in the account (`existing`), or
/// an earlier row of the same file has it (a bank id repeated).
pub fn duplicates(rows: &[PlannedRow], existing: &HashSet<(Uuid, String)>) -> Vec<bool> {
    let mut seen: HashSet<(Uuid, &str)> = HashSet::new();
    rows.iter()
        .map(|r| {
            let first_in_file = seen.insert((r.account_id, r.import_id.as_str()));
            !first_in_file || existing.contains(&(r.account_id, r.import_id.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bank_formats::{Options, read};

    fn account() -> Uuid {
        Uuid::from_u128(7)
    }

    fn planned(file: &str) -> Plan {
        let parsed = read(file.as_bytes(), &Options::default()).unwrap();
        plan(
            &parsed,
            &HashMap::from([(
                0,
                Target {
                    account_id: account(),
                    minor_units: 2,
                },
            )]),
            &CategoryNames::default(),
        )
    }

    #[test]
    fn identical_rows_on_one_day_are_both_kept() {
        let plan = planned(
            "Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n2024-01-05,Coffee,-3.50\n2024-01-06,Coffee,-3.50\n",
        );
        let ids: HashSet<&str> = plan.rows.iter().map(|r| r.import_id.as_str()).collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(
            duplicates(&plan.rows, &HashSet::new()),
            [false, false, false]
        );
    }

    /// The ids of rows without a bank id are stored: a later version must make the same
    /// ones, or re-importing a file would add it twice. Expected values from Python's hashlib
    /// on the documented key.
    #[test]
    fn content_ids_are_the_sha256_of_the_documented_key() {
        let mut key = String::from("left over from an earlier row");
        content_key(
            &mut key,
            account(),
            NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(),
            Decimal::new(-350, 2),
            " AMAZON  Mktp",
            "  ΣΑΣ   CAFÉ ",
        );
        assert_eq!(
            key,
            "00000000-0000-0000-0000-000000000007|2024-01-05|-3.5|amazon mktp|σας café"
        );
        assert_eq!(hashed_id(&key, 0), "ft1:a76d385e7eb081af4914b3efc67f95fc");
        assert_eq!(hashed_id(&key, 1), "ft1:7f7222b83f7b21f470f2d3c56e13823e");
        assert_eq!(hashed_id(&key, 12), "ft1:d631b84557364098108a4b7b00d237d3");
    }

    #[test]
    fn the_same_rows_get_the_same_ids_in_an_overlapping_file() {
        let first = planned(
            "Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n2024-01-05,Coffee,-3.50\n2024-01-06,Tea,-2\n",
        );
        let second = planned(
            "Date,Payee,Amount\n2024-01-06,TEA, -2.00\n2024-01-05,Coffee,-3.50\n2024-01-05,Coffee,-3.50\n2024-01-07,Cake,-4\n",
        );
        let existing: HashSet<(Uuid, String)> = first
            .rows
            .iter()
            .map(|r| (r.account_id, r.import_id.clone()))
            .collect();
        assert_eq!(
            duplicates(&second.rows, &existing),
            [true, true, true, false]
        );
    }

    #[test]
    fn a_bank_id_is_the_import_id_and_repeats_are_duplicates() {
        let ofx = "<OFX><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>
            <STMTTRN><DTPOSTED>20240105<TRNAMT>-3.50<FITID>A1<NAME>Coffee</STMTTRN>
            <STMTTRN><DTPOSTED>20240106<TRNAMT>-2<FITID>A2<NAME>Tea</STMTTRN>
            <STMTTRN><DTPOSTED>20240105<TRNAMT>-3.50<FITID>A1<NAME>Coffee</STMTTRN>
            </BANKTRANLIST></STMTRS></OFX>";
        let plan = planned(ofx);
        let ids: Vec<&str> = plan.rows.iter().map(|r| r.import_id.as_str()).collect();
        assert_eq!(ids, ["A1", "A2", "A1"]);
        assert_eq!(
            duplicates(&plan.rows, &HashSet::new()),
            [false, false, true]
        );
    }

    #[test]
    fn amounts_finer_than_the_currency_are_row_errors() {
        let plan = planned("Date,Payee,Amount\n2024-01-05,Coffee,-3.505\n2024-01-06,Tea,-2\n");
        assert_eq!(plan.rows.len(), 1);
        assert_eq!(plan.errors[0].line, 2);
        assert!(
            plan.errors[0]
                .message
                .contains("-3.505 has more than 2 decimal places"),
            "{}",
            plan.errors[0].message
        );
    }

    #[test]
    fn rows_of_unmapped_accounts_are_counted_not_planned() {
        let parsed = read(
            b"Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n",
            &Options::default(),
        )
        .unwrap();
        let plan = plan(&parsed, &HashMap::new(), &CategoryNames::default());
        assert_eq!((plan.rows.len(), plan.unmapped), (0, 1));
    }

    #[test]
    fn file_categories_find_the_ledger_category_of_that_name() {
        let (groceries, fuel, other_food, other_fun) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let names = CategoryNames::new([
            (groceries, "Food".to_owned(), "Groceries".to_owned()),
            (fuel, "Transport".to_owned(), "Fuel".to_owned()),
            (other_food, "Food".to_owned(), "Other".to_owned()),
            (other_fun, "Leisure".to_owned(), "Other".to_owned()),
        ]);
        assert_eq!(names.find("Food:Groceries"), Some(groceries));
        assert_eq!(names.find(" food : GROCERIES "), Some(groceries));
        assert_eq!(names.find("Groceries"), Some(groceries));
        assert_eq!(
            names.find("Car:Fuel"),
            Some(fuel),
            "the name alone when the group differs"
        );
        assert_eq!(names.find("Leisure:Other"), Some(other_fun));
        assert_eq!(names.find("Other"), None, "ambiguous without its group");
        assert_eq!(names.find("Bills:Cell Phone"), None);

        let parsed = read(
            b"!Type:Bank\nD01/02/2024\nT-5.00\nPShop\nLFood:Groceries\n^\nD01/03/2024\nT-9.00\nPShop\nLFood:Groceries\nSFood:Groceries\n$-4.00\nSCar:Fuel\n$-5.00\n^\n",
            &Options::default(),
        )
        .unwrap();
        let plan = plan(
            &parsed,
            &HashMap::from([(
                0,
                Target {
                    account_id: account(),
                    minor_units: 2,
                },
            )]),
            &names,
        );
        let categories: Vec<Option<Uuid>> = plan.rows.iter().map(|r| r.category_id).collect();
        assert_eq!(
            categories,
            [Some(groceries), None],
            "a split row is categorised by its parts"
        );
        let parts: Vec<(Uuid, Decimal)> = plan.rows[1]
            .splits
            .iter()
            .map(|s| (s.category_id, s.amount))
            .collect();
        assert_eq!(
            parts,
            [
                (groceries, Decimal::new(-400, 2)),
                (fuel, Decimal::new(-500, 2))
            ]
        );
        assert!(plan.new_categories.is_empty());
    }

    fn one_account() -> HashMap<usize, Target> {
        HashMap::from([(
            0,
            Target {
                account_id: account(),
                minor_units: 2,
            },
        )])
    }

    #[test]
    fn categories_the_ledger_lacks_are_planned_once_with_their_kind() {
        let other = Uuid::from_u128(3);
        let names = CategoryNames::new([
            (other, "Food".to_owned(), "Other".to_owned()),
            (Uuid::from_u128(4), "Leisure".to_owned(), "Other".to_owned()),
        ]);
        let parsed = read(
            b"!Type:Bank\n\
              D01/02/2024\nT-5.00\nPShop\nLBills:Cell Phone\n^\n\
              D01/03/2024\nT-9.00\nPShop\nLbills : cell phone\n^\n\
              D01/04/2024\nT20.00\nPBoss\nLTips\n^\n\
              D01/05/2024\nT-3.00\nPShop\nLGym\n^\n\
              D01/06/2024\nT-1.00\nPShop\nLOther\n^\n\
              D01/07/2024\nT10.00\nPShop\nSSide:Sales\n$12.00\nSSide:Costs\n$-2.00\n^\n",
            &Options::default(),
        )
        .unwrap();
        let plan = plan(&parsed, &one_account(), &names);
        let new: Vec<(String, bool)> = plan
            .new_categories
            .iter()
            .map(|c| (c.to_string(), c.income))
            .collect();
        assert_eq!(
            new,
            [
                ("Bills › Cell Phone".to_owned(), false),
                ("Imported › Gym".to_owned(), false),
                ("Imported income › Tips".to_owned(), true),
                ("Side › Costs".to_owned(), true),
                ("Side › Sales".to_owned(), true),
            ],
            "one kind per group, from the money under it; `Other` is ambiguous, not missing"
        );
        let split = plan.rows.last().unwrap();
        assert!(
            split.splits.is_empty() && plan.unsplit == 0,
            "parts waiting for new categories are planned again at commit"
        );
        assert!(
            new_categories(&parsed, &HashMap::new(), &names).is_empty(),
            "unmapped accounts create nothing"
        );
    }

    #[test]
    fn a_split_with_a_part_that_cannot_be_written_is_imported_whole() {
        let groceries = Uuid::from_u128(1);
        let names = CategoryNames::new([(groceries, "Food".to_owned(), "Groceries".to_owned())]);
        let parsed = read(
            b"!Type:Bank\nD01/03/2024\nT-9.00\nPShop\nSGroceries\n$-4.00\nS[Savings]\n$-5.00\n^\n",
            &Options::default(),
        )
        .unwrap();
        let plan = plan(&parsed, &one_account(), &names);
        assert_eq!(plan.rows.len(), 1);
        assert!(plan.rows[0].splits.is_empty());
        assert_eq!((plan.rows[0].category_id, plan.unsplit), (None, 1));
    }

    #[test]
    fn one_part_is_the_rows_category_and_too_many_parts_or_unknown_names_import_whole() {
        let groceries = Uuid::from_u128(1);
        let names = CategoryNames::new([(groceries, "Food".to_owned(), "Groceries".to_owned())]);
        let many: String = (0..=MAX_SPLITS).map(|_| "SGroceries\n$-1.00\n").collect();
        let file = format!(
            "!Type:Bank\nD01/03/2024\nT-9.00\nPOne\nLOther\nSGroceries\n$-9.00\n^\n\
             D01/04/2024\nT-{n}.00\nPMany\n{many}^\n\
             D01/05/2024\nT-3.00\nPNew\nSGroceries\n$-1.00\nSGym\n$-2.00\n^\n",
            n = MAX_SPLITS + 1
        );
        let parsed = read(file.as_bytes(), &Options::default()).unwrap();
        let open = plan(&parsed, &one_account(), &names);
        assert_eq!(
            open.rows[0].category_id,
            Some(groceries),
            "one part: its category"
        );
        assert!(open.rows[0].splits.is_empty());
        assert!(
            open.rows[1].splits.is_empty(),
            "more parts than the API allows"
        );
        assert!(
            open.rows[2].splits.is_empty(),
            "waits for Gym to be created"
        );
        assert_eq!(open.unsplit, 1);
        // After the commit made what it could, a name still unknown imports the row whole.
        let settled = plan(&parsed, &one_account(), &names.settled());
        assert!(settled.new_categories.is_empty());
        assert!(settled.rows[2].splits.is_empty());
        assert_eq!(settled.unsplit, 2, "and says so");
    }

    #[test]
    fn a_bare_name_the_file_also_groups_is_that_category_and_long_names_are_not_cut() {
        let long = "x".repeat(MAX_CATEGORY_NAME + 1);
        let file = format!(
            "!Type:Bank\nD01/03/2024\nT5.00\nPA\nLSales\n^\n\
             D01/04/2024\nT6.00\nPB\nLSide:Sales\n^\n\
             D01/05/2024\nT-1.00\nPC\nL{long}\n^\n"
        );
        let parsed = read(file.as_bytes(), &Options::default()).unwrap();
        let plan = plan(&parsed, &one_account(), &CategoryNames::default());
        let new: Vec<String> = plan
            .new_categories
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(new, ["Side › Sales"]);
    }

    #[test]
    fn long_texts_are_clipped_at_a_character_boundary() {
        assert_eq!(clip("ééé", 2), "éé");
        assert_eq!(clip("ab", 5), "ab");
        assert_eq!(normalise("  AMAZON   Mktp "), "amazon mktp");
    }

    proptest::proptest! {
        /// Stored ids hash normalised texts: the fast path for ASCII words must lower-case
        /// exactly as `str::to_lowercase` does word by word, for any text.
        #[test]
        fn normalising_is_word_by_word_lower_case(text in "(\\PC|[ \t\n]|Σ){0,40}") {
            let word_by_word = text
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(normalise(&text), word_by_word);
        }
    }
}
