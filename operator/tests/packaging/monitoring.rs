//! What Prometheus and Grafana get, checked by Prometheus' own `promtool` (Debian's
//! prometheus package; `PROMTOOL` names another): the alerts the operator renders into a
//! PrometheusRule are a valid rule file and each fires on synthetic series that should fire
//! it and stays quiet on those that should not (operator/tests/alerts/tests.yaml); every
//! query of the chart's Grafana dashboard is valid PromQL.

use std::process::Command;

use operator::crd::{FinanceTracker, FinanceTrackerSpec};
use operator::finance_tracker::build::rule_groups;
use operator::finance_tracker::names::Names;
use operator::model_experiment::variants::Serving;

use crate::tools::{helm, repo, scratch, text, yaml_documents};

fn promtool(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    let binary = std::env::var("PROMTOOL").unwrap_or_else(|_| "promtool".to_owned());
    Command::new(&binary)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("no {binary} ({e}): run `make test` (scripts/tools.sh installs Debian's prometheus) or set PROMTOOL")
        })
}

fn alert_names(groups: &serde_json::Value) -> Vec<&str> {
    groups["groups"][0]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["alert"].as_str())
        .collect()
}

#[test]
fn the_alerts_pass_promtool_check_and_their_unit_tests() {
    let mut ft = FinanceTracker::new("home", FinanceTrackerSpec::default());
    ft.metadata.namespace = Some("money".to_owned());
    let serving = Serving {
        version: "minilm-l6-v2-int8".to_owned(),
        image: None,
        accuracy: Some(0.9),
    };
    let groups = rule_groups(&Names::new(&ft), &ft.spec, &serving);
    let dir = scratch("alerts");
    std::fs::write(
        dir.join("rules.yaml"),
        serde_json::to_string_pretty(&groups).expect("JSON is YAML"),
    )
    .expect("write rules");
    std::fs::copy(
        repo().join("operator/tests/alerts/tests.yaml"),
        dir.join("tests.yaml"),
    )
    .expect("copy tests");

    let check = promtool(&["check", "rules", "rules.yaml"], &dir);
    assert!(check.status.success(), "{}", text(&check));
    let tested = promtool(&["test", "rules", "tests.yaml"], &dir);
    assert!(tested.status.success(), "{}", text(&tested));

    let names = alert_names(&groups);
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    for name in &names {
        assert!(
            readme.contains(&format!("**{name}**")),
            "the README's Alerts section has no runbook for {name}"
        );
    }
    assert_eq!(names.len(), 8, "{names:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_a_promotion_there_is_no_accuracy_floor_and_external_stores_are_not_watched() {
    let mut spec = FinanceTrackerSpec::default();
    spec.postgres.mode = operator::crd::finance_tracker::StoreMode::External;
    let mut ft = FinanceTracker::new("home", spec);
    ft.metadata.namespace = Some("money".to_owned());
    let serving = Serving {
        version: "minilm-l6-v2-int8".to_owned(),
        image: None,
        accuracy: None,
    };
    let groups = rule_groups(&Names::new(&ft), &ft.spec, &serving);
    let names = alert_names(&groups);
    assert!(
        !names.contains(&"FinanceTrackerAccuracyDropped"),
        "{names:?}"
    );
    assert!(!names.contains(&"FinanceTrackerPostgresDown"), "{names:?}");
    assert!(names.contains(&"FinanceTrackerRedisDown"), "{names:?}");
}

#[test]
fn the_charts_dashboard_is_loaded_by_the_sidecar_and_its_queries_parse() {
    let output = helm(&["template", "ft", "charts/financetracker-operator"]);
    assert!(output.status.success(), "{}", text(&output));
    let rendered = String::from_utf8(output.stdout).expect("utf-8");
    let docs = yaml_documents(&rendered);
    let map = docs
        .iter()
        .find(|d| {
            d["kind"] == "ConfigMap"
                && d["metadata"]["name"] == "ft-financetracker-operator-dashboard"
        })
        .expect("the dashboard ConfigMap");
    assert_eq!(map["metadata"]["labels"]["grafana_dashboard"], "1");
    let dashboard: serde_json::Value =
        serde_json::from_str(map["data"]["financetracker.json"].as_str().expect("text"))
            .expect("the dashboard is JSON");
    // Each query as a recording rule, with the dashboard's variables filled in.
    let mut rules = Vec::new();
    for panel in dashboard["panels"].as_array().expect("panels") {
        for target in panel["targets"].as_array().expect("targets") {
            let expr = target["expr"]
                .as_str()
                .expect("expr")
                .replace("$__rate_interval", "5m")
                .replace("$namespace", "money")
                .replace("$instance", "home");
            rules.push(serde_json::json!({"record": format!("dashboard:query{}", rules.len()), "expr": expr}));
        }
    }
    assert!(rules.len() >= 10, "{} queries", rules.len());
    let dir = scratch("dashboard");
    let file = serde_json::json!({"groups": [{"name": "dashboard", "rules": rules}]});
    std::fs::write(dir.join("dashboard.yaml"), file.to_string()).expect("write");
    let check = promtool(&["check", "rules", "dashboard.yaml"], &dir);
    assert!(check.status.success(), "{}", text(&check));
    let off = helm(&[
        "template",
        "ft",
        "charts/financetracker-operator",
        "--set",
        "grafana.dashboard.enabled=false",
    ]);
    assert!(!String::from_utf8_lossy(&off.stdout).contains("-dashboard"));
    let _ = std::fs::remove_dir_all(&dir);
}
