//! A service binary started for a test, with JSON logs on stdout. The test learns the port
//! from the `listening` log line (the service binds port 0), and stops it with SIGTERM.

use std::process::{ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

const START_TIMEOUT: Duration = Duration::from_secs(20);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug)]
pub struct Service {
    child: Child,
    base_url: String,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Service {
    /// Starts `binary` listening on an ephemeral port with `env` added to its environment.
    pub async fn spawn(binary: &str, env: &[(&str, String)]) -> Self {
        let mut child = Command::new(binary)
            .env("LOG_FORMAT", "json")
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));

        let logs = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = oneshot::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        tokio::spawn(collect_logs(stdout, Arc::clone(&logs), addr_tx));

        let addr = tokio::time::timeout(START_TIMEOUT, addr_rx)
            .await
            .unwrap_or_else(|_| panic!("{binary} did not log `listening` within {START_TIMEOUT:?}"))
            .unwrap_or_else(|_| panic!("{binary} exited before listening"));
        Self {
            child,
            base_url: format!("http://{addr}"),
            logs,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Every log line so far.
    pub fn logs(&self) -> Vec<String> {
        self.logs.lock().expect("log lock").clone()
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub async fn terminate(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.child.id().expect("service still running").to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid} failed");
        let status = tokio::time::timeout(STOP_TIMEOUT, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("no exit within {STOP_TIMEOUT:?} of SIGTERM"))
            .expect("wait for service");
        // Let the log reader drain the pipe.
        tokio::time::sleep(Duration::from_millis(50)).await;
        (status, self.logs())
    }
}

impl Service {
    /// Kills the process with SIGKILL, as a crash or the OOM killer would: no drain, no
    /// clean-up. Returns its log lines.
    pub async fn kill(mut self) -> Vec<String> {
        self.child.start_kill().expect("send SIGKILL");
        tokio::time::timeout(STOP_TIMEOUT, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("no exit within {STOP_TIMEOUT:?} of SIGKILL"))
            .expect("wait for service");
        self.logs()
    }
}

async fn collect_logs(
    stdout: tokio::process::ChildStdout,
    logs: Arc<Mutex<Vec<String>>>,
    addr_tx: oneshot::Sender<String>,
) {
    let mut addr_tx = Some(addr_tx);
    let mut lines = BufReader::new(stdout).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
            && event["message"] == "listening"
            && let Some(addr) = event["addr"].as_str()
            && let Some(tx) = addr_tx.take()
        {
            let _ = tx.send(addr.to_owned());
        }
        logs.lock().expect("log lock").push(line);
    }
}

/// Runs `binary` to completion (at most 20 s) and returns what it printed.
pub async fn run_to_exit(binary: &str, args: &[&str], env: &[(&str, String)]) -> Output {
    let child = Command::new(binary)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));
    tokio::time::timeout(START_TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("{binary} {args:?} did not exit within {START_TIMEOUT:?}"))
        .expect("wait for process")
}
