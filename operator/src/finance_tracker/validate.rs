//! Validate: what the CRD schema cannot say about a spec (names that must stay valid
//! after a suffix, quantities, URLs, fields that need each other), and whether the Secrets
//! it references exist. A FinanceTracker with a problem gets nothing applied: the
//! Degraded condition lists every problem with the field to fix.

use std::collections::BTreeMap;
use std::fmt;

use kube::ResourceExt;

use super::credentials::{self, SecretData};
use crate::crd::finance_tracker::{ImageOverride, MAX_NAME_LEN, StoreMode};
use crate::crd::{FinanceTracker, FinanceTrackerSpec};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field to fix, e.g. `spec.postgres.externalSecretRef`.
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Pure: every problem in the FinanceTracker itself, in field order.
pub fn spec(ft: &FinanceTracker) -> Vec<Problem> {
    let mut problems = Vec::new();
    let name = ft.name_any();
    if name.len() > MAX_NAME_LEN || !is_dns_label(&name) {
        problems.push(Problem::new(
            "metadata.name",
            format!(
                "{name:?} must be at most {MAX_NAME_LEN} characters of a-z, 0-9 and '-', starting \
                 with a letter (the parts' names add a suffix and must stay valid DNS labels)"
            ),
        ));
    }
    problems.extend(images(&ft.spec));
    problems.extend(resources(&ft.spec));
    problems.extend(stores(&ft.spec));
    if let Some(url) = &ft.spec.monitoring.prometheus_url {
        let parsed = url::Url::parse(url);
        if !parsed.is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host()) {
            problems.push(Problem::new(
                "spec.monitoring.prometheusUrl",
                format!("{url:?} is not an http(s) URL, such as http://prometheus.monitoring:9090"),
            ));
        }
    }
    if let Some(ingress) = &ft.spec.ingress
        && !ingress.host.split('.').all(is_dns_label_loose)
    {
        problems.push(Problem::new(
            "spec.ingress.host",
            format!("{:?} is not a lowercase DNS name", ingress.host),
        ));
    }
    problems
}

fn images(spec: &FinanceTrackerSpec) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (field, image) in [
        ("spec.api.image", &spec.api.image),
        ("spec.mlWorker.image", &spec.ml_worker.image),
        ("spec.web.image", &spec.web.image),
        ("spec.postgres.image", &spec.postgres.image),
        ("spec.redis.image", &spec.redis.image),
    ] {
        problems.extend(image_problems(field, image.as_ref()));
    }
    for (field, value) in [
        ("spec.images.registry", Some(&spec.images.registry)),
        ("spec.images.tag", spec.images.tag.as_ref()),
    ]
    .into_iter()
    .filter_map(|(field, value)| Some((field, value?)))
    {
        if value.is_empty() || value.chars().any(char::is_whitespace) {
            problems.push(Problem::new(field, "must be non-empty, without spaces"));
        }
    }
    problems
}

fn resources(spec: &FinanceTrackerSpec) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (field, resources) in [
        ("spec.api.resources", &spec.api.resources),
        ("spec.mlWorker.resources", &spec.ml_worker.resources),
        ("spec.web.resources", &spec.web.resources),
        ("spec.postgres.resources", &spec.postgres.resources),
        ("spec.redis.resources", &spec.redis.resources),
    ] {
        let Some(resources) = resources else { continue };
        for (part, map) in [
            ("requests", &resources.requests),
            ("limits", &resources.limits),
        ] {
            for (resource, quantity) in map.iter().flatten() {
                if !is_quantity(&quantity.0) {
                    problems.push(quantity_problem(
                        format!("{field}.{part}.{resource}"),
                        &quantity.0,
                    ));
                }
            }
        }
    }
    problems
}

fn stores(spec: &FinanceTrackerSpec) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (store, mode, reference, storage, example) in [
        (
            "postgres",
            spec.postgres.mode,
            &spec.postgres.external_secret_ref,
            &spec.postgres.storage,
            "postgres://user:password@host:5432/database",
        ),
        (
            "redis",
            spec.redis.mode,
            &spec.redis.external_secret_ref,
            &spec.redis.storage,
            "redis://:password@host:6379",
        ),
    ] {
        if mode == StoreMode::External && reference.is_none() {
            problems.push(Problem::new(
                format!("spec.{store}.externalSecretRef"),
                format!(
                    "required when spec.{store}.mode is External: name a Secret (and key, default \
                     `url`) holding the server's URL, such as {example}"
                ),
            ));
        }
        if mode == StoreMode::Managed && !is_quantity(&storage.size.0) {
            problems.push(quantity_problem(
                format!("spec.{store}.storage.size"),
                &storage.size.0,
            ));
        }
    }
    problems
}

/// Pure: problems with the user's own Secrets the spec references, given what the
/// dereference step found (`found` has only the Secrets that exist).
pub fn references(ft: &FinanceTracker, found: &BTreeMap<String, SecretData>) -> Vec<Problem> {
    let namespace = ft.namespace().unwrap_or_default();
    credentials::references(&ft.spec)
        .into_iter()
        .filter_map(|(field, reference)| match found.get(&reference.name) {
            None => Some(Problem::new(
                field,
                format!(
                    "Secret {:?} not found in namespace {namespace:?}: create it with the key {:?}",
                    reference.name, reference.key
                ),
            )),
            Some(data) if data.get(&reference.key).is_none_or(String::is_empty) => {
                Some(Problem::new(
                    field,
                    format!(
                        "Secret {:?} has no key {:?} (it has: {})",
                        reference.name,
                        reference.key,
                        if data.is_empty() {
                            "none".to_owned()
                        } else {
                            data.keys().cloned().collect::<Vec<_>>().join(", ")
                        }
                    ),
                ))
            }
            Some(_) => None,
        })
        .collect()
}

fn image_problems(field: &str, image: Option<&ImageOverride>) -> Vec<Problem> {
    let Some(image) = image else {
        return Vec::new();
    };
    [
        ("registry", &image.registry),
        ("repository", &image.repository),
        ("tag", &image.tag),
    ]
    .into_iter()
    .filter_map(|(part, value)| {
        let value = value.as_deref()?;
        (value.is_empty() || value.chars().any(char::is_whitespace)).then(|| {
            Problem::new(
                format!("{field}.{part}"),
                "must be non-empty, without spaces (leave it out for the default)",
            )
        })
    })
    .collect()
}

fn quantity_problem(field: String, value: &str) -> Problem {
    Problem::new(
        field,
        format!("{value:?} is not a Kubernetes quantity, such as 500m, 256Mi or 10Gi"),
    )
}

/// A DNS-1035 label: what a Service name must be.
fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A DNS-1123 label (may start with a digit): one part of a host name.
fn is_dns_label_loose(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Kubernetes' quantity grammar: a decimal number with an optional binary (`Ki`…`Ei`),
/// decimal (`m`, `k`, `M`…`E`) or exponent (`e3`) suffix.
fn is_quantity(s: &str) -> bool {
    quantity_value(s).is_some()
}

/// Pure: the value of a quantity (`10Gi` → 10 × 2³⁰), or `None` if it is not one.
pub fn quantity_value(s: &str) -> Option<f64> {
    let (sign, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, s.strip_prefix('+').unwrap_or(s)),
    };
    let number_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_end);
    if number.replace('.', "").is_empty() || number.matches('.').count() > 1 {
        return None;
    }
    let number: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024_f64,
        "Mi" => 1024_f64.powi(2),
        "Gi" => 1024_f64.powi(3),
        "Ti" => 1024_f64.powi(4),
        "Pi" => 1024_f64.powi(5),
        "Ei" => 1024_f64.powi(6),
        exponent => {
            let digits = exponent.strip_prefix(['e', 'E'])?;
            let unsigned = digits.strip_prefix(['+', '-']).unwrap_or(digits);
            if unsigned.is_empty() || !unsigned.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            10_f64.powi(digits.parse().ok()?)
        }
    };
    Some(sign * number * scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crd::finance_tracker::{IngressSpec, SecretKeyRef};
    use k8s_openapi::api::core::v1::ResourceRequirements;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    #[test]
    fn the_default_spec_is_valid() {
        assert_eq!(
            spec(&FinanceTracker::stored(
                "home",
                FinanceTrackerSpec::default()
            )),
            []
        );
    }

    #[test]
    fn an_external_store_without_its_secret_reference_names_the_field_and_the_fix() {
        let mut s = FinanceTrackerSpec::default();
        s.postgres.mode = StoreMode::External;
        let problems = spec(&FinanceTracker::stored("home", s));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "spec.postgres.externalSecretRef");
        assert!(
            problems[0].message.contains("postgres://"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut s = FinanceTrackerSpec::default();
        s.redis.mode = StoreMode::External;
        s.postgres.storage.size = Quantity("ten gigs".to_owned());
        s.api.resources = Some(ResourceRequirements {
            requests: Some([("memory".to_owned(), Quantity("lots".to_owned()))].into()),
            ..ResourceRequirements::default()
        });
        s.monitoring.prometheus_url = Some("prometheus:9090".to_owned());
        s.ingress = Some(IngressSpec {
            host: "Money.Example.com".to_owned(),
            class_name: None,
            tls_secret_name: None,
            annotations: BTreeMap::new(),
        });
        let name = "a-name-that-is-far-too-long-for-its-children-to-fit";
        let fields: Vec<String> = spec(&FinanceTracker::stored(name, s))
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "metadata.name",
                "spec.api.resources.requests.memory",
                "spec.postgres.storage.size",
                "spec.redis.externalSecretRef",
                "spec.monitoring.prometheusUrl",
                "spec.ingress.host",
            ]
        );
    }

    #[test]
    fn quantities_have_their_value() {
        assert_eq!(quantity_value("10Gi"), Some(10.0 * 1024_f64.powi(3)));
        assert_eq!(quantity_value("500m"), Some(0.5));
        assert_eq!(quantity_value("1e3"), Some(1000.0));
        assert!(quantity_value("20Gi") > quantity_value("20G"));
    }

    #[test]
    fn quantities_follow_the_kubernetes_grammar() {
        for ok in ["1", "500m", "0.5", "256Mi", "10Gi", "1e3", "+1.5G", ".5"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["", "Gi", "ten", "1.2.3", "10 Gi", "10gb", "1e", "--1"] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }

    #[test]
    fn a_referenced_secret_must_exist_and_hold_its_key() {
        let mut s = FinanceTrackerSpec::default();
        s.postgres.mode = StoreMode::External;
        s.postgres.external_secret_ref = Some(SecretKeyRef {
            name: "pg".to_owned(),
            key: "url".to_owned(),
        });
        let ft = FinanceTracker::stored("home", s);
        let missing = references(&ft, &BTreeMap::new());
        assert_eq!(missing.len(), 1);
        assert!(
            missing[0]
                .message
                .contains("\"pg\" not found in namespace \"money\""),
            "{}",
            missing[0]
        );

        let wrong_key = BTreeMap::from([(
            "pg".to_owned(),
            SecretData::from([("uri".to_owned(), "postgres://x".to_owned())]),
        )]);
        let problems = references(&ft, &wrong_key);
        assert!(
            problems[0].message.contains("no key \"url\" (it has: uri)"),
            "{}",
            problems[0]
        );

        let right = BTreeMap::from([(
            "pg".to_owned(),
            SecretData::from([("url".to_owned(), "postgres://x".to_owned())]),
        )]);
        assert_eq!(references(&ft, &right), []);
    }
}
