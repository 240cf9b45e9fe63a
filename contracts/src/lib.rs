//! Wire contracts between FinanceTracker's services, defined once and used by both sides.

pub mod categorization;
pub mod default_categories;
pub mod model_routing;
