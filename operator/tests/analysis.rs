//! The ModelExperiment analysis' queries against a real Prometheus server
//! (`testkit::prometheus`): answers,
//! refusals and outages each come back as what the analysis needs to tell them apart.

use std::time::Duration;

use operator::model_experiment::measure::{BuiltIn, Variables, render};
use operator::model_experiment::prometheus::Prometheus;
use testkit::prometheus::Prometheus as Server;

async fn start(name: &str) -> Server {
    Server::start_empty(name).await
}

fn client(url: &url::Url) -> Prometheus {
    Prometheus::new(url.clone(), Duration::from_secs(2))
}

#[tokio::test]
async fn a_number_none_or_a_reason_from_a_real_prometheus() {
    let server = start("answers").await;
    let prometheus = client(&server.url);
    assert_eq!(prometheus.instant("vector(0.875)").await, Ok(Some(0.875)));
    assert_eq!(prometheus.instant("scalar(vector(2))").await, Ok(Some(2.0)));
    assert_eq!(
        prometheus
            .instant("sum(financetracker_no_such_metric)")
            .await,
        Ok(None),
        "no series is no data"
    );
    let nan = prometheus.instant("0 / 0").await.expect("an answer");
    assert!(nan.is_some_and(f64::is_nan), "a ratio of zeros: {nan:?}");
    let two = prometheus
        .instant(r#"label_replace(vector(1), "v", "a", "", "") or label_replace(vector(2), "v", "b", "", "")"#)
        .await;
    assert!(
        two.as_ref().is_err_and(|e| e.message.contains("2 series")),
        "{two:?}"
    );
    let refused = prometheus.instant("rate(").await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.refused && e.message.contains("parse error")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_built_in_queries_are_valid_promql() {
    let server = start("built-in").await;
    let prometheus = client(&server.url);
    let vars = Variables {
        version: "minilm-l6-v2-int8",
        namespace: "money",
        interval: "5m",
    };
    for metric in [BuiltIn::Accuracy, BuiltIn::LatencyP99] {
        let (value, samples) = metric.templates();
        for template in [value, samples] {
            let query = render(template, &vars).expect("render");
            // Nothing is scraped, so no series: what matters is that Prometheus accepts it.
            assert_eq!(prometheus.instant(&query).await, Ok(None), "{query}");
        }
    }
}

#[tokio::test]
async fn an_outage_or_a_silent_server_is_an_error_within_the_timeout() {
    let mut server = start("outage").await;
    let prometheus = client(&server.url);
    assert_eq!(prometheus.instant("vector(1)").await, Ok(Some(1.0)));
    server.stop().await;
    let down = prometheus.instant("vector(1)").await;
    assert!(
        down.as_ref()
            .is_err_and(|e| e.message.contains("unreachable")),
        "{down:?}"
    );

    // Accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url: url::Url = format!("http://{}/", silent.local_addr().expect("addr"))
        .parse()
        .expect("url");
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let started = std::time::Instant::now();
    let timed_out = client(&url).instant("vector(1)").await;
    assert!(
        timed_out
            .as_ref()
            .is_err_and(|e| e.message.contains("did not answer within")),
        "{timed_out:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    hold.abort();
}
