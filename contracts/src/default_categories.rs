//! The categories every new ledger starts with: two levels, grouped the way most household
//! budgets are. The API creates them; the ML worker's built-in seed examples are keyed by
//! these names, so a new ledger gets useful suggestions before it has labelled anything.

/// (group, kind, categories)
pub const DEFAULT_CATEGORIES: &[(&str, &str, &[&str])] = &[
    (
        "Income",
        "income",
        &[
            "Salary",
            "Business income",
            "Interest & dividends",
            "Refunds",
            "Other income",
        ],
    ),
    (
        "Housing",
        "expense",
        &[
            "Rent & mortgage",
            "Utilities",
            "Internet & phone",
            "Home maintenance",
        ],
    ),
    ("Food", "expense", &["Groceries", "Restaurants & cafes"]),
    (
        "Transport",
        "expense",
        &[
            "Fuel",
            "Public transport",
            "Taxi & rideshare",
            "Car maintenance",
            "Parking & tolls",
        ],
    ),
    (
        "Shopping",
        "expense",
        &["Clothing", "Electronics", "Household goods"],
    ),
    (
        "Health",
        "expense",
        &["Pharmacy", "Doctor & dentist", "Fitness"],
    ),
    (
        "Leisure",
        "expense",
        &[
            "Subscriptions & streaming",
            "Entertainment",
            "Hobbies",
            "Travel",
        ],
    ),
    (
        "Financial",
        "expense",
        &["Bank fees", "Interest paid", "Insurance", "Taxes"],
    ),
    (
        "Personal",
        "expense",
        &[
            "Education",
            "Gifts & donations",
            "Childcare",
            "Personal care",
        ],
    ),
];
