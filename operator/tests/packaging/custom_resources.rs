//! The generated CRD schemas (structure and CEL rules) against the examples users copy, a
//! FinanceTracker the chart creates, and resources that must be refused at admission.

use operator::crd::{FinanceTracker, ModelExperiment};
use serde_json::Value;

use crate::tools::{expectation, helm, repo, text, yaml_documents, yaml_files};

/// The openAPIV3Schema of the FinanceTracker CRD, from the committed YAML.
fn schema() -> Value {
    schema_of("FinanceTracker")
}

fn schema_of(kind: &str) -> Value {
    let crd = std::fs::read_to_string(repo().join("crds/financetracker.yaml")).expect("crd");
    let doc = yaml_documents(&crd)
        .into_iter()
        .find(|d| d["spec"]["names"]["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} CRD"));
    doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

fn of_kind(text: &str, kind: &str) -> Vec<Value> {
    yaml_documents(text)
        .into_iter()
        .filter(|d| d["kind"] == kind)
        .collect()
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

/// Every `kind` in `operator/tests/chart/<dir>` (at least `min` files) is refused at
/// admission with the error its first line (`# expect: …`) names.
fn refused_with_reason(kind: &str, dir: &str, min: usize) {
    let schema = schema_of(kind);
    let files = yaml_files(&repo().join("operator/tests/chart").join(dir));
    assert!(files.len() >= min, "{} files in {dir}", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let object = &of_kind(&text, kind)[0];
        let errors = admission_errors(&schema, object);
        let expected = expectation(&file);
        assert!(
            errors.iter().any(|e| e.contains(&expected)),
            "{}: expected {expected:?} in {errors:#?}",
            file.display()
        );
    }
}

fn finance_trackers(text: &str) -> Vec<Value> {
    of_kind(text, "FinanceTracker")
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
    refused_with_reason("FinanceTracker", "invalid-finance-trackers", 5);
}

#[test]
fn the_example_experiments_are_admitted_and_measurable() {
    let schema = schema_of("ModelExperiment");
    let mut checked = 0;
    for file in yaml_files(&repo().join("examples")) {
        let text = std::fs::read_to_string(&file).expect("read");
        for object in of_kind(&text, "ModelExperiment") {
            let errors = admission_errors(&schema, &object);
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
            let me: ModelExperiment = serde_json::from_value(object).expect("deserializes");
            let checks = operator::model_experiment::analysis::checks(&me.spec, "money");
            assert!(checks.is_ok(), "{}: {checks:?}", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 1, "{checked} examples");
}

#[test]
fn bad_experiments_are_refused_with_the_reason() {
    refused_with_reason("ModelExperiment", "invalid-model-experiments", 6);
}
