//! A Prometheus Operator PrometheusRule with the platform's alerts, when the cluster has
//! that API and the spec allows it. The rule groups are Prometheus' own rule-file format
//! (`rule_groups`), so `promtool check rules` and `promtool test rules` test them as they
//! are applied. Each alert's runbook is a paragraph of the README's "Alerts" section.

use kube::core::DynamicObject;
use serde_json::{Value, json};

use super::Plan;
use crate::child::{Child, Kind};
use crate::crd::FinanceTrackerSpec;
use crate::crd::finance_tracker::StoreMode;
use crate::finance_tracker::names::{Component, Names};
use crate::model_experiment::variants::Serving;

/// How far below the accuracy measured at its promotion the serving model may fall.
pub const ACCURACY_DROP: f64 = 0.05;

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    if !plan.prometheus_rule {
        return Vec::new();
    }
    let names = plan.names;
    let mut rule = DynamicObject::new(&names.instance, &Kind::PrometheusRule.api_resource())
        .within(&names.namespace);
    rule.metadata = names.metadata(names.instance.clone(), Component::Api);
    // The user's labels select it for their Prometheus (`ruleSelector`); ours win.
    let mut labels = plan.spec.monitoring.service_monitor_labels.clone();
    labels.extend(rule.metadata.labels.take().unwrap_or_default());
    rule.metadata.labels = Some(labels);
    rule.data = json!({ "spec": rule_groups(names, plan.spec, &plan.variants.serving) });
    vec![Child::dynamic(Kind::PrometheusRule, &rule)]
}

fn alert(name: &str, expr: &str, wait: &str, severity: &str, summary: &str) -> Value {
    json!({
        "alert": name,
        "expr": expr,
        "for": wait,
        "labels": {"severity": severity},
        "annotations": {
            "summary": summary,
            "runbook": format!("README.md, section Alerts: {name}"),
        },
    })
}

/// Pure: `{groups: [...]}`, the alerts of the FinanceTracker `names` names, which has
/// `spec` and serves `serving`.
pub fn rule_groups(names: &Names, spec: &FinanceTrackerSpec, serving: &Serving) -> Value {
    let ns = &names.namespace;
    let api = format!(r#"namespace="{ns}",service="{}""#, names.of(Component::Api));
    let workers = format!(
        r#"namespace="{ns}",service=~"{}|{}""#,
        names.of(Component::MlWorker),
        names.of(Component::MlCandidate)
    );
    let instance = &names.instance;
    let mut rules = vec![
        alert(
            "FinanceTrackerApiErrors",
            &format!(
                "sum(rate(financetracker_api_http_requests_total{{{api},status=~\"5..\"}}[5m])) / sum(rate(financetracker_api_http_requests_total{{{api}}}[5m])) > 0.05"
            ),
            "10m",
            "critical",
            &format!("More than 5% of {instance}'s API requests fail with a server error."),
        ),
        alert(
            "FinanceTrackerApiSlow",
            &format!(
                "histogram_quantile(0.99, sum by (le) (rate(financetracker_api_http_request_duration_seconds_bucket{{{api}}}[5m]))) > 1"
            ),
            "15m",
            "warning",
            &format!("{instance}'s API answers 1 request in 100 slower than a second."),
        ),
        alert(
            "FinanceTrackerMlBacklog",
            &format!("sum(financetracker_ml_queue_jobs{{{workers},state=\"waiting\"}}) > 10000"),
            "15m",
            "warning",
            &format!("Over 10,000 of {instance}'s categorisation jobs wait on the queue."),
        ),
        alert(
            "FinanceTrackerMlQueueStuck",
            // Never empty at any minute of the last 30, and seen at each of them (a
            // queue that just appeared has no history to be stuck in).
            &format!(
                "min_over_time(sum(financetracker_ml_queue_jobs{{{workers},state=\"waiting\"}})[30m:1m]) > 0 and count_over_time(sum(financetracker_ml_queue_jobs{{{workers},state=\"waiting\"}})[30m:1m]) >= 30"
            ),
            "0m",
            "warning",
            &format!("{instance}'s categorisation queue has not been empty for 30 minutes."),
        ),
        alert(
            "FinanceTrackerExperimentInconclusive",
            &format!(
                "max by (experiment) (financetracker_operator_experiment_inconclusive_checks{{experiment_namespace=\"{ns}\"}}) >= 3"
            ),
            "30m",
            "warning",
            "A ModelExperiment has had no conclusive measurement for 30 minutes.",
        ),
    ];
    if let Some(promoted) = serving.accuracy {
        let version = &serving.version;
        let feedback = |outcomes: &str| {
            format!(
                "sum(increase(financetracker_ml_feedback_total{{{workers},model_version=\"{version}\",outcome=~\"{outcomes}\"}}[6h]))"
            )
        };
        let floor = promoted - ACCURACY_DROP;
        rules.push(alert(
            "FinanceTrackerAccuracyDropped",
            &format!(
                "{} / {} < {floor:.3} and {} >= 50",
                feedback("accepted"),
                feedback("accepted|corrected"),
                feedback("accepted|corrected"),
            ),
            "1h",
            "warning",
            &format!(
                "{instance}'s model {version} is accepted less often than at its promotion ({promoted:.3}) by over {ACCURACY_DROP}."
            ),
        ));
    }
    for (component, mode, name, what) in [
        (
            Component::Postgres,
            spec.postgres.mode,
            "FinanceTrackerPostgresDown",
            "PostgreSQL",
        ),
        (
            Component::Redis,
            spec.redis.mode,
            "FinanceTrackerRedisDown",
            "Redis",
        ),
    ] {
        if mode == StoreMode::Managed {
            rules.push(store_down(names, component, name, what));
        }
    }
    json!({ "groups": [{ "name": format!("financetracker-{instance}"), "rules": rules }] })
}

/// The store's StatefulSet has no ready pod (kube-state-metrics' series).
fn store_down(names: &Names, component: Component, name: &str, what: &str) -> Value {
    alert(
        name,
        &format!(
            "max(kube_statefulset_status_replicas_ready{{namespace=\"{}\",statefulset=\"{}\"}}) < 1",
            names.namespace,
            names.of(component)
        ),
        "5m",
        "critical",
        &format!("{}'s {what} has no ready pod.", names.instance),
    )
}
