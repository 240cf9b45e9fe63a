//! The operator binary: probes, metrics and a clean exit on SIGTERM.

use testkit::Service;
use testkit::readiness::{bad_setting_stops_the_binary, get_json};

const OPERATOR: &str = env!("CARGO_BIN_EXE_operator");

#[tokio::test]
async fn serves_probes_and_metrics_and_stops_on_sigterm() {
    let operator = Service::spawn(OPERATOR, &[]).await;
    assert_eq!(get_json(&operator.url("/healthz")).await.0, 200);
    assert_eq!(get_json(&operator.url("/readyz")).await.0, 200);
    let metrics = reqwest::get(operator.url("/metrics"))
        .await
        .expect("scrape")
        .text()
        .await
        .expect("body");
    assert!(
        metrics.contains("financetracker_operator_build_info{version="),
        "{metrics}"
    );
    assert!(
        metrics.contains("process_resident_memory_bytes"),
        "{metrics}"
    );

    let (exit, logs) = operator.terminate().await;
    assert!(exit.success(), "{exit}: {logs:#?}");
}

#[tokio::test]
async fn a_port_in_use_stops_the_operator_naming_the_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let env = [("LISTEN_ADDR", taken.local_addr().expect("addr").to_string())];
    bad_setting_stops_the_binary(OPERATOR, &env, "invalid LISTEN_ADDR (--listen-addr)").await;
}
