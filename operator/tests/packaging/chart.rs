//! The Helm chart: lint, render, validate, refuse bad values, and grant the operator what
//! its code uses.

use std::collections::BTreeSet;

use operator::child::Kind;
use serde_json::Value;

use crate::tools::{
    expectation, helm, kubernetes_validate, repo, scratch, text, yaml_documents, yaml_files,
};

const CHART: &str = "charts/financetracker-operator";

fn values_files() -> Vec<std::path::PathBuf> {
    let files = yaml_files(&repo().join(CHART).join("ci"));
    assert!(files.len() >= 4, "the values matrix: {files:?}");
    files
}

fn render(values: &std::path::Path) -> String {
    let values = values.display().to_string();
    let output = helm(&[
        "template",
        "ft",
        CHART,
        "--namespace",
        "ft-system",
        "--values",
        &values,
    ]);
    assert!(
        output.status.success(),
        "helm template -f {values}: {}",
        text(&output)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn helm_lint_strict_passes_for_every_values_file() {
    for values in values_files() {
        let values = values.display().to_string();
        let output = helm(&["lint", "--strict", CHART, "--values", &values]);
        assert!(
            output.status.success(),
            "helm lint --strict -f {values}: {}",
            text(&output)
        );
    }
}

#[test]
fn every_rendering_is_valid_kubernetes_1_35() {
    let dir = scratch("render");
    for values in values_files() {
        let rendered = render(&values);
        let file = dir.join(values.file_name().expect("name"));
        std::fs::write(&file, &rendered).expect("write");
        let output = kubernetes_validate(&file);
        assert!(
            output.status.success(),
            "{}: {}",
            values.display(),
            text(&output)
        );
        let kinds: BTreeSet<String> = yaml_documents(&rendered)
            .iter()
            .map(|d| d["kind"].as_str().unwrap_or_default().to_owned())
            .collect();
        for kind in [
            "Deployment",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "Service",
        ] {
            assert!(
                kinds.contains(kind),
                "{}: no {kind} in {kinds:?}",
                values.display()
            );
        }
    }
}

#[test]
fn bad_values_are_refused_by_the_values_schema() {
    let files = yaml_files(&repo().join("operator/tests/chart/invalid"));
    assert!(files.len() >= 5);
    for file in files {
        let path = file.display().to_string();
        let output = helm(&["template", "ft", CHART, "--values", &path]);
        let said = text(&output);
        assert!(!output.status.success(), "{path} was accepted");
        let expected = expectation(&file);
        assert!(
            said.contains(&expected),
            "{path}: expected {expected:?} in: {said}"
        );
    }
}

#[test]
fn the_release_installs_offline_and_packages() {
    let output = helm(&[
        "install",
        "ft",
        CHART,
        "--namespace",
        "ft-system",
        "--dry-run=client",
    ]);
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("kubectl -n money get ft home -w"),
        "NOTES say what to do next: {said}"
    );

    let dir = scratch("package");
    let destination = dir.display().to_string();
    let output = helm(&["package", CHART, "--destination", &destination]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(dir.join("financetracker-operator-0.1.0.tgz").exists());
}

/// The rules of the rendered (Cluster)Role as (group, resource) → verbs.
fn grants(rendered: &str, kind: &str) -> Vec<(String, String, BTreeSet<String>)> {
    let role = yaml_documents(rendered)
        .into_iter()
        .find(|d| {
            d["kind"] == kind
                && !d["metadata"]["name"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("-leader")
        })
        .unwrap_or_else(|| panic!("no {kind}"));
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let mut out = Vec::new();
    for rule in role["rules"].as_array().expect("rules") {
        let verbs: BTreeSet<String> = strings(&rule["verbs"]).into_iter().collect();
        for group in strings(&rule["apiGroups"]) {
            for resource in strings(&rule["resources"]) {
                out.push((group.clone(), resource, verbs.clone()));
            }
        }
    }
    out
}

fn allowed(
    grants: &[(String, String, BTreeSet<String>)],
    group: &str,
    resource: &str,
) -> BTreeSet<String> {
    grants
        .iter()
        .filter(|(g, r, _)| g == group && r == resource)
        .flat_map(|(_, _, v)| v.iter().cloned())
        .collect()
}

#[test]
fn the_role_grants_exactly_the_kinds_the_operator_manages() {
    let rendered = render(&repo().join(CHART).join("ci/default-values.yaml"));
    let grants = grants(&rendered, "ClusterRole");
    for kind in Kind::ALL {
        let resource = kind.api_resource();
        // Listed and applied each reconcile; watched unless it is a Prometheus Operator
        // kind (not every cluster has them); deleted when swept; Secrets the spec names are read.
        let mut verbs: BTreeSet<&str> = ["list", "create", "patch"].into();
        if kind != Kind::ServiceMonitor && kind != Kind::PrometheusRule {
            verbs.insert("watch");
        }
        if kind.swept() {
            verbs.insert("delete");
        }
        // Secrets the spec names are read; a ModelExperiment reads its workers.
        if kind == Kind::Secret || kind == Kind::Deployment {
            verbs.insert("get");
        }
        let expected: BTreeSet<String> = verbs.into_iter().map(str::to_owned).collect();
        assert_eq!(
            allowed(&grants, &resource.group, &resource.plural),
            expected,
            "{} ({}/{})",
            kind.name(),
            resource.group,
            resource.plural
        );
    }
    let child_kinds: BTreeSet<(String, String)> = Kind::ALL
        .iter()
        .map(|k| {
            let r = k.api_resource();
            (r.group, r.plural)
        })
        .collect();
    let extra: Vec<String> = grants
        .iter()
        .filter(|(g, r, _)| !child_kinds.contains(&(g.clone(), r.clone())))
        .map(|(g, r, v)| format!("{g}/{r} {v:?}"))
        .collect();
    assert_eq!(
        extra,
        [
            r#"finance.financetracker.dev/financetrackers {"get", "list", "patch", "watch"}"#,
            r#"finance.financetracker.dev/modelexperiments {"list", "watch"}"#,
            r#"finance.financetracker.dev/modelexperiments/status {"patch"}"#,
            r#"finance.financetracker.dev/financetrackers/status {"patch"}"#,
            r#"finance.financetracker.dev/financetrackers/finalizers {"update"}"#,
            r#"/persistentvolumeclaims {"delete", "list", "patch"}"#,
            r#"events.k8s.io/events {"create", "patch"}"#,
        ],
        "nothing beyond what the operator uses"
    );
}

#[test]
fn one_watched_namespace_gets_a_role_there_and_no_cluster_wide_grant() {
    let rendered = render(&repo().join(CHART).join("ci/one-namespace-values.yaml"));
    let docs = yaml_documents(&rendered);
    assert!(
        !docs
            .iter()
            .any(|d| d["kind"] == "ClusterRole" || d["kind"] == "ClusterRoleBinding")
    );
    let role = docs
        .iter()
        .find(|d| d["kind"] == "Role" && d["metadata"]["namespace"] == "money")
        .expect("a Role in the watched namespace");
    assert_eq!(role["metadata"]["name"], "ft-financetracker-operator");
    let deployment = docs
        .iter()
        .find(|d| d["kind"] == "Deployment")
        .expect("deployment");
    let env = &deployment["spec"]["template"]["spec"]["containers"][0]["env"];
    assert!(
        env.as_array()
            .expect("env")
            .iter()
            .any(|e| e["name"] == "WATCH_NAMESPACE" && e["value"] == "money"),
        "{env}"
    );
}

/// The operator Deployment's environment value `name` in a rendering.
fn operator_env(rendered: &str, name: &str) -> Option<String> {
    let docs = yaml_documents(rendered);
    let deployment = docs.iter().find(|d| d["kind"] == "Deployment")?;
    deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()?
        .iter()
        .find(|e| e["name"] == name)?["value"]
        .as_str()
        .map(str::to_owned)
}

#[test]
fn two_releases_in_one_namespace_elect_their_leaders_apart() {
    let lease = |release: &str| {
        let output = helm(&["template", release, CHART, "--namespace", "ft-system"]);
        assert!(output.status.success(), "{}", text(&output));
        operator_env(
            &String::from_utf8(output.stdout).expect("utf-8"),
            "LEASE_NAME",
        )
    };
    let (a, b) = (lease("blue"), lease("green"));
    assert_eq!(a.as_deref(), Some("blue-financetracker-operator"));
    assert_eq!(b.as_deref(), Some("green-financetracker-operator"));
}

#[test]
fn the_operator_can_be_scraped_through_a_labelled_service_monitor() {
    let rendered = render(&repo().join(CHART).join("ci/high-availability-values.yaml"));
    let docs = yaml_documents(&rendered);
    let monitor = docs
        .iter()
        .find(|d| d["kind"] == "ServiceMonitor")
        .expect("a ServiceMonitor when metrics.serviceMonitor.enabled");
    assert_eq!(
        monitor["metadata"]["labels"]["release"],
        "kube-prometheus-stack"
    );
    let service = docs
        .iter()
        .find(|d| d["kind"] == "Service")
        .expect("the metrics Service");
    let selector = monitor["spec"]["selector"]["matchLabels"]
        .as_object()
        .expect("matchLabels");
    for (key, value) in selector {
        assert_eq!(
            &service["metadata"]["labels"][key], value,
            "selects the Service by {key}"
        );
    }
    assert_eq!(
        monitor["spec"]["endpoints"][0]["port"],
        service["spec"]["ports"][0]["name"]
    );
    let default = render(&repo().join(CHART).join("ci/default-values.yaml"));
    assert!(
        !yaml_documents(&default)
            .iter()
            .any(|d| d["kind"] == "ServiceMonitor"),
        "none unless asked: the CRD may not exist"
    );
}
