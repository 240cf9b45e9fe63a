//! The arithmetic of budgets, without a database: what a month has available once earlier
//! months roll over, and which alert thresholds its spending has crossed.

use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthFigures {
    pub budgeted: Decimal,
    /// Spending net of refunds (positive = money out).
    pub spent: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthResult {
    /// What the previous month left (negative when it was overspent); zero without rollover.
    pub carried_in: Decimal,
    /// Budgeted plus carried in, minus spent.
    pub available: Decimal,
}

/// Each month's result, months in order and consecutive. With `rollover`, whatever a month
/// leaves (or overspends) moves into the next.
pub fn roll(months: &[MonthFigures], rollover: bool) -> Vec<MonthResult> {
    let mut carried = Decimal::ZERO;
    months
        .iter()
        .map(|m| {
            let carried_in = if rollover { carried } else { Decimal::ZERO };
            let available = m.budgeted + carried_in - m.spent;
            carried = available;
            MonthResult {
                carried_in,
                available,
            }
        })
        .collect()
}

/// Percent of the month's funds (budgeted + carried in) spent, rounded down; `None` when
/// the month has no funds.
pub fn percent_used(funds: Decimal, spent: Decimal) -> Option<i64> {
    if funds <= Decimal::ZERO {
        return None;
    }
    (spent * Decimal::from(100) / funds).floor().try_into().ok()
}

/// The thresholds (percents) that `percent` has reached.
pub fn crossed(thresholds: &[i16], percent: Option<i64>) -> Vec<i16> {
    let Some(percent) = percent else {
        return Vec::new();
    };
    thresholds
        .iter()
        .copied()
        .filter(|t| i64::from(*t) <= percent)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(budgeted: i64, spent: i64) -> MonthFigures {
        MonthFigures {
            budgeted: Decimal::from(budgeted),
            spent: Decimal::from(spent),
        }
    }

    #[test]
    fn without_rollover_each_month_stands_alone() {
        let r = roll(&[m(100, 60), m(100, 130)], false);
        assert_eq!(r[0].available, Decimal::from(40));
        assert_eq!(r[1].carried_in, Decimal::ZERO);
        assert_eq!(r[1].available, Decimal::from(-30));
    }

    #[test]
    fn rollover_carries_both_savings_and_overspending() {
        let r = roll(&[m(100, 60), m(100, 150), m(100, 0)], true);
        assert_eq!(r[1].carried_in, Decimal::from(40));
        assert_eq!(r[1].available, Decimal::from(-10));
        assert_eq!(
            r[2].carried_in,
            Decimal::from(-10),
            "overspending is carried too"
        );
        assert_eq!(r[2].available, Decimal::from(90));
    }

    #[test]
    fn thresholds_cross_at_their_percent() {
        let used = percent_used(Decimal::from(200), Decimal::from(160));
        assert_eq!(used, Some(80));
        assert_eq!(crossed(&[80, 100], used), [80]);
        assert_eq!(
            crossed(
                &[80, 100],
                percent_used(Decimal::from(200), Decimal::from(159))
            ),
            Vec::<i16>::new()
        );
        assert_eq!(
            crossed(
                &[80, 100],
                percent_used(Decimal::from(200), Decimal::from(250))
            ),
            [80, 100]
        );
        assert_eq!(
            percent_used(Decimal::ZERO, Decimal::from(5)),
            None,
            "no funds, no percent"
        );
    }
}
