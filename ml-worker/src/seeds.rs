//! Built-in examples for the default categories (`contracts::default_categories`): bank
//! statement lines as they look in the US, UK, Germany, the Netherlands, South Africa and
//! Australia, a handful per category. A ledger that still has a default category (by name,
//! in a group of the same kind) learns from these as well as from its own labels, so it gets
//! useful suggestions on day one. They teach the model only: they are not the ledger's own
//! labels, so they never enter the exact memory and any label the ledger gives wins.

use contracts::default_categories::DEFAULT_CATEGORIES;

/// (category name as in the defaults, example statement lines)
pub const SEEDS: &[(&str, &[&str])] = &[
    (
        "Salary",
        &[
            "SALARY ACME CORP PAYROLL",
            "PAYROLL DIRECT DEPOSIT",
            "LOHN GEHALT NOVEMBER",
            "SALARIS WERKGEVER BV",
            "BGC SALARY MONTHLY",
            "NET PAY EMPLOYER LTD",
        ],
    ),
    (
        "Business income",
        &[
            "INVOICE PAYMENT CLIENT",
            "STRIPE PAYOUT",
            "SQUARE INC DEPOSIT",
            "PAYPAL TRANSFER SALES",
            "ETSY DEPOSIT",
            "CONSULTING FEE RECEIVED",
        ],
    ),
    (
        "Interest & dividends",
        &[
            "INTEREST EARNED",
            "CREDIT INTEREST",
            "DIVIDEND PAYMENT",
            "HABENZINSEN",
            "RENTE SPAARREKENING",
            "INTEREST PAID TO YOU",
        ],
    ),
    (
        "Refunds",
        &[
            "REFUND AMAZON",
            "RETURN CREDIT",
            "PURCHASE RETURN",
            "ERSTATTUNG GUTSCHRIFT",
            "TERUGBETALING",
            "REVERSAL OF CHARGE",
        ],
    ),
    (
        "Other income",
        &[
            "CASH DEPOSIT",
            "MOBILE DEPOSIT",
            "ZELLE FROM",
            "VENMO CASHOUT",
            "GIFT RECEIVED",
            "TAX REFUND TREAS",
        ],
    ),
    (
        "Rent & mortgage",
        &[
            "RENT PAYMENT",
            "MORTGAGE PAYMENT",
            "MIETE WOHNUNG",
            "HUUR WONING",
            "HOME LOAN REPAYMENT",
            "LETTING AGENT RENT",
        ],
    ),
    (
        "Utilities",
        &[
            "ELECTRIC COMPANY BILL",
            "BRITISH GAS",
            "WATER UTILITY",
            "STADTWERKE STROM",
            "ESKOM PREPAID ELECTRICITY",
            "CITY OF CAPE TOWN MUNICIPAL",
            "VATTENFALL ENERGIE",
            "PG&E UTILITY",
        ],
    ),
    (
        "Internet & phone",
        &[
            "VERIZON WIRELESS",
            "AT&T MOBILITY",
            "COMCAST XFINITY",
            "VODAFONE",
            "TELEKOM DEUTSCHLAND",
            "KPN INTERNET",
            "VODACOM AIRTIME",
            "TELSTRA",
            "BT GROUP BROADBAND",
        ],
    ),
    (
        "Home maintenance",
        &[
            "HOME DEPOT",
            "LOWES",
            "B&Q",
            "BAUHAUS",
            "OBI BAUMARKT",
            "GAMMA BOUWMARKT",
            "BUILDERS WAREHOUSE",
            "BUNNINGS WAREHOUSE",
            "PLUMBER SERVICES",
        ],
    ),
    (
        "Groceries",
        &[
            "WALMART SUPERCENTER",
            "KROGER",
            "TRADER JOES",
            "WHOLE FOODS MARKET",
            "TESCO STORES",
            "SAINSBURYS",
            "REWE",
            "EDEKA",
            "ALDI",
            "ALBERT HEIJN",
            "JUMBO SUPERMARKT",
            "WOOLWORTHS",
            "PICK N PAY",
            "CHECKERS",
            "COLES",
        ],
    ),
    (
        "Restaurants & cafes",
        &[
            "STARBUCKS",
            "MCDONALDS",
            "SUBWAY",
            "CHIPOTLE",
            "NANDOS",
            "COSTA COFFEE",
            "RESTAURANT",
            "PIZZA",
            "CAFE",
            "DOORDASH",
            "UBER EATS",
            "DELIVEROO",
            "THUISBEZORGD",
        ],
    ),
    (
        "Fuel",
        &[
            "SHELL OIL",
            "BP FUEL",
            "CHEVRON",
            "EXXONMOBIL",
            "ARAL TANKSTELLE",
            "ENGEN GARAGE",
            "SASOL",
            "CALTEX",
            "ESSO",
            "TOTALENERGIES",
        ],
    ),
    (
        "Public transport",
        &[
            "TFL TRAVEL CHARGE",
            "MTA NYC TRANSIT",
            "DEUTSCHE BAHN",
            "NS GROEP",
            "OV CHIPKAART",
            "GAUTRAIN",
            "OPAL TRAVEL",
            "TRAINLINE",
            "BVG TICKET",
        ],
    ),
    (
        "Taxi & rideshare",
        &[
            "UBER TRIP",
            "LYFT RIDE",
            "BOLT RIDE",
            "FREENOW TAXI",
            "TAXI",
            "ADDISON LEE",
        ],
    ),
    (
        "Car maintenance",
        &[
            "AUTOZONE",
            "JIFFY LUBE",
            "HALFORDS",
            "ATU AUTO TEILE",
            "TIRE CENTER",
            "CAR WASH",
            "AUTO REPAIR",
            "MIDAS",
        ],
    ),
    (
        "Parking & tolls",
        &[
            "PARKING",
            "PARKHAUS",
            "EZPASS TOLL",
            "SANRAL ETOLL",
            "LINKT TOLL",
            "NCP CAR PARK",
            "PARKMOBILE",
        ],
    ),
    (
        "Clothing",
        &[
            "H&M",
            "ZARA",
            "PRIMARK",
            "UNIQLO",
            "NIKE",
            "ADIDAS",
            "ZALANDO",
            "MR PRICE",
            "NEXT RETAIL",
            "OLD NAVY",
        ],
    ),
    (
        "Electronics",
        &[
            "BEST BUY",
            "APPLE STORE",
            "MEDIAMARKT",
            "SATURN ELEKTRO",
            "CURRYS",
            "COOLBLUE",
            "INCREDIBLE CONNECTION",
            "JB HI FI",
        ],
    ),
    (
        "Household goods",
        &[
            "IKEA",
            "TARGET",
            "AMAZON MARKETPLACE",
            "AMZN MKTP",
            "BED BATH BEYOND",
            "ARGOS",
            "HEMA",
            "ACTION",
            "DM DROGERIE MARKT",
            "KMART",
        ],
    ),
    (
        "Pharmacy",
        &[
            "CVS PHARMACY",
            "WALGREENS",
            "BOOTS",
            "APOTHEKE",
            "APOTHEEK",
            "DIS CHEM",
            "CLICKS PHARMACY",
            "CHEMIST WAREHOUSE",
        ],
    ),
    (
        "Doctor & dentist",
        &[
            "DENTAL CARE",
            "DENTIST",
            "MEDICAL CENTER",
            "ZAHNARZT",
            "HUISARTS",
            "HOSPITAL",
            "CLINIC",
            "OPTOMETRIST",
        ],
    ),
    (
        "Fitness",
        &[
            "PLANET FITNESS",
            "PURE GYM",
            "MCFIT",
            "BASIC FIT",
            "VIRGIN ACTIVE",
            "GYM MEMBERSHIP",
            "PELOTON",
            "YOGA STUDIO",
        ],
    ),
    (
        "Subscriptions & streaming",
        &[
            "NETFLIX.COM",
            "SPOTIFY",
            "DISNEY PLUS",
            "HULU",
            "YOUTUBE PREMIUM",
            "APPLE.COM BILL",
            "AMAZON PRIME",
            "HBO MAX",
            "SHOWMAX",
            "DAZN",
        ],
    ),
    (
        "Entertainment",
        &[
            "CINEMA",
            "AMC THEATRES",
            "TICKETMASTER",
            "EVENTIM",
            "STEAM GAMES",
            "PLAYSTATION NETWORK",
            "BOWLING",
            "CONCERT TICKETS",
        ],
    ),
    (
        "Hobbies",
        &[
            "HOBBY LOBBY",
            "MICHAELS CRAFTS",
            "GUITAR CENTER",
            "BOOKSTORE",
            "WATERSTONES",
            "THALIA BUCHHANDLUNG",
            "DECATHLON",
            "GARDEN CENTRE",
        ],
    ),
    (
        "Travel",
        &[
            "BOOKING.COM",
            "AIRBNB",
            "EXPEDIA",
            "MARRIOTT HOTEL",
            "HILTON HOTELS",
            "LUFTHANSA",
            "RYANAIR",
            "KLM",
            "DELTA AIR LINES",
            "EASYJET",
        ],
    ),
    (
        "Bank fees",
        &[
            "MONTHLY SERVICE FEE",
            "ATM FEE",
            "OVERDRAFT FEE",
            "KONTOFUEHRUNGSGEBUEHR",
            "FOREIGN TRANSACTION FEE",
            "ACCOUNT FEE",
            "CASH WITHDRAWAL FEE",
        ],
    ),
    (
        "Interest paid",
        &[
            "INTEREST CHARGE",
            "PURCHASE INTEREST",
            "SOLLZINSEN",
            "LOAN INTEREST",
            "OVERDRAFT INTEREST",
            "FINANCE CHARGE",
        ],
    ),
    (
        "Insurance",
        &[
            "GEICO",
            "STATE FARM",
            "ALLIANZ VERSICHERUNG",
            "AVIVA",
            "CENTRAAL BEHEER",
            "DISCOVERY LIFE",
            "OUTSURANCE",
            "INSURANCE PREMIUM",
        ],
    ),
    (
        "Taxes",
        &[
            "IRS USATAXPYMT",
            "HMRC SELF ASSESSMENT",
            "FINANZAMT",
            "BELASTINGDIENST",
            "SARS EFILING",
            "COUNCIL TAX",
            "PROPERTY TAX",
            "ATO TAX",
        ],
    ),
    (
        "Education",
        &[
            "UNIVERSITY TUITION",
            "COURSERA",
            "UDEMY",
            "SCHOOL FEES",
            "DUOLINGO",
            "TEXTBOOKS",
            "VOLKSHOCHSCHULE",
        ],
    ),
    (
        "Gifts & donations",
        &[
            "RED CROSS DONATION",
            "OXFAM",
            "UNICEF",
            "GOFUNDME",
            "CHARITY",
            "SPENDE",
            "GIFT SHOP",
        ],
    ),
    (
        "Childcare",
        &[
            "DAYCARE",
            "KITA BEITRAG",
            "KINDEROPVANG",
            "NURSERY FEES",
            "BABYSITTER",
            "AFTER SCHOOL CARE",
            "CRECHE",
        ],
    ),
    (
        "Personal care",
        &[
            "HAIR SALON",
            "BARBER",
            "FRISEUR",
            "KAPPER",
            "NAIL SPA",
            "SEPHORA",
            "ULTA BEAUTY",
            "DOUGLAS PARFUMERIE",
        ],
    ),
];

/// Pure: the seed lines for a ledger category named `name` (any case) in a group of kind
/// income (`money_in`) or expense; none when it is not a default category of that kind.
pub fn for_category(name: &str, money_in: bool) -> &'static [&'static str] {
    let kind = if money_in { "income" } else { "expense" };
    let is_default = DEFAULT_CATEGORIES
        .iter()
        .filter(|(_, k, _)| *k == kind)
        .flat_map(|(_, _, names)| names.iter())
        .any(|n| n.eq_ignore_ascii_case(name.trim()));
    if !is_default {
        return &[];
    }
    SEEDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map_or(&[], |(_, lines)| lines)
}

/// Every seed line, for warming the embedding cache.
pub fn all() -> impl Iterator<Item = &'static str> {
    SEEDS.iter().flat_map(|(_, lines)| lines.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_follow_the_name_and_the_kind_of_a_category() {
        assert!(for_category("groceries", false).contains(&"ALDI"));
        assert!(for_category(" Groceries ", false).len() >= 5);
        assert!(
            for_category("Groceries", true).is_empty(),
            "an income category named Groceries is not the default one"
        );
        assert!(for_category("Salary", true).contains(&"PAYROLL DIRECT DEPOSIT"));
        assert!(for_category("Bills", false).is_empty());
    }

    #[test]
    fn every_default_category_has_seeds_and_every_seed_a_default_category() {
        let defaults: Vec<&str> = DEFAULT_CATEGORIES
            .iter()
            .flat_map(|(_, _, names)| names.iter().copied())
            .collect();
        let seeded: Vec<&str> = SEEDS.iter().map(|(name, _)| *name).collect();
        for name in &defaults {
            assert!(seeded.contains(name), "{name} has no seeds");
        }
        for (name, lines) in SEEDS {
            assert!(defaults.contains(name), "{name} is not a default category");
            assert!(lines.len() >= 5, "{name} has only {} seeds", lines.len());
        }
    }
}
