//! A real Prometheus server (Debian's `prometheus`, which `make test` installs; `PROMETHEUS`
//! names another binary) of a test's own, on a free port with an empty database.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

#[derive(Debug)]
pub struct Prometheus {
    process: Child,
    pub url: url::Url,
    dir: PathBuf,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn binary() -> String {
    let binary = std::env::var("PROMETHEUS").unwrap_or_else(|_| "prometheus".to_owned());
    let found = std::process::Command::new(&binary)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "no Prometheus server ({binary}): run `make test` (scripts/tools.sh installs Debian's prometheus) or set PROMETHEUS"
    );
    binary
}

impl Prometheus {
    /// Starts one with `config` (prometheus.yml text) and waits until it is ready.
    pub async fn start(name: &str, config: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ft-prometheus-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let file = dir.join("prometheus.yml");
        std::fs::write(&file, config).expect("config");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let process = Command::new(binary())
            .arg(format!("--config.file={}", file.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start prometheus");
        let url: url::Url = format!("http://127.0.0.1:{port}/").parse().expect("url");
        let ready = url.join("-/ready").expect("url");
        for _ in 0..200 {
            if reqwest::get(ready.clone())
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Self { process, url, dir };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("prometheus on port {port} did not become ready in 20 s");
    }

    /// An empty one that scrapes nothing.
    pub async fn start_empty(name: &str) -> Self {
        Self::start(
            name,
            "global:\n  scrape_interval: 15s\nscrape_configs: []\n",
        )
        .await
    }

    /// Stops it (an outage), keeping its files until dropped.
    pub async fn stop(&mut self) {
        let _ = self.process.kill().await;
    }
}
