//! The generated CRD schema (structure and CEL rules) against the examples users copy, a
//! FinanceTracker the chart creates, and resources that must be refused at admission.

use operator::crd::FinanceTracker;
use serde_json::Value;

use crate::tools::{expectation, helm, repo, text, yaml_documents, yaml_files};

/// The openAPIV3Schema of the FinanceTracker CRD, from the committed YAML.
fn schema() -> Value {
    let crd = std::fs::read_to_string(repo().join("crds/financetracker.yaml")).expect("crd");
    let docs = yaml_documents(&crd);
    docs[0]["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

/// Every error the API server's admission would give `object`: structural (JSON Schema)
/// and the CEL rules.
fn admission_errors(schema: &Value, object: &Value) -> Vec<String> {
    let validator =
        jsonschema::validator_for(schema).expect("the CRD schema is a valid JSON Schema");
    let mut errors: Vec<String> = validator
        .iter_errors(object)
        .map(|e| e.to_string())
        .collect();
    if let Err(cel) = kube_cel::validate(schema, object, None) {
        errors.extend(cel.into_vec().into_iter().map(|e| e.to_string()));
    }
    errors
}

fn finance_trackers(text: &str) -> Vec<Value> {
    yaml_documents(text)
        .into_iter()
        .filter(|d| d["kind"] == "FinanceTracker")
        .collect()
}

#[test]
fn the_examples_are_admitted_and_valid_for_the_operator() {
    let schema = schema();
    let files = yaml_files(&repo().join("examples"));
    assert!(files.len() >= 3);
    let mut checked = 0;
    for file in files {
        for object in finance_trackers(&std::fs::read_to_string(&file).expect("read")) {
            let errors = admission_errors(&schema, &object);
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
            let mut ft: FinanceTracker = serde_json::from_value(object).expect("deserializes");
            ft.metadata.namespace = Some("money".to_owned());
            let problems = operator::finance_tracker::validate::spec(&ft);
            assert!(problems.is_empty(), "{}: {problems:?}", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked} examples");
}

#[test]
fn the_finance_tracker_the_chart_creates_is_admitted() {
    let output = helm(&[
        "template",
        "ft",
        "charts/financetracker-operator",
        "--values",
        "charts/financetracker-operator/ci/with-instance-values.yaml",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let rendered = String::from_utf8(output.stdout).expect("utf-8");
    let objects = finance_trackers(&rendered);
    assert_eq!(objects.len(), 1);
    assert_eq!(
        admission_errors(&schema(), &objects[0]),
        Vec::<String>::new()
    );
}

#[test]
fn bad_finance_trackers_are_refused_with_the_reason() {
    let schema = schema();
    let files = yaml_files(&repo().join("operator/tests/chart/invalid-finance-trackers"));
    assert!(files.len() >= 5);
    for file in files {
        let object = &finance_trackers(&std::fs::read_to_string(&file).expect("read"))[0];
        let errors = admission_errors(&schema, object);
        let expected = expectation(&file);
        assert!(
            errors.iter().any(|e| e.contains(&expected)),
            "{}: expected {expected:?} in {errors:#?}",
            file.display()
        );
    }
}
