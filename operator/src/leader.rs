//! Leader election: of several operator replicas, only the one holding the Lease runs
//! the controllers. A replica that loses the Lease stops them (finishing in-flight
//! reconciles) and waits to win it again; on shutdown the holder releases it at once, so
//! a standby takes over without waiting for it to expire.

use std::future::Future;
use std::time::Duration;

use std::pin::Pin;

use kube::Client;
use kube_lease_manager::{LeaseManager, LeaseManagerBuilder};
use prometheus::IntGauge;

use crate::error::Error;
use crate::shutdown::Shutdown;

/// Seconds a Lease stays held without renewal, and how long before expiry it is renewed.
const LEASE_SECONDS: u64 = 15;
const GRACE_SECONDS: u64 = 5;

/// Completes when the controllers must stop: the Lease is lost or the process shuts down.
pub type Stop = Pin<Box<dyn Future<Output = ()> + Send + Sync>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseSettings {
    pub namespace: String,
    pub name: String,
    /// This replica's identity in the Lease (its pod name).
    pub identity: String,
}

/// Runs `lead` each time this replica wins the Lease, handing it a future that completes
/// when the Lease is lost or the process shuts down; returns after shutdown.
pub async fn while_leading<F, Fut>(
    client: Client,
    settings: &LeaseSettings,
    gauge: &IntGauge,
    shutdown: Shutdown,
    mut lead: F,
) -> Result<(), Error>
where
    F: FnMut(Stop) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(manager) = build(client, settings, shutdown.clone()).await else {
        return Ok(());
    };
    let (leading, task) = manager.watch().await;
    loop {
        let mut wait = leading.clone();
        tokio::select! {
            () = shutdown.clone().wait() => break,
            won = wait.wait_for(|held| *held) => if won.is_err() { break },
        }
        gauge.set(1);
        tracing::info!(identity = %settings.identity, lease = %settings.name, "leading: controllers start");
        let stop: Stop = {
            let mut held = leading.clone();
            let shutdown = shutdown.clone();
            Box::pin(async move {
                tokio::select! {
                    _ = held.wait_for(|held| !*held) => {}
                    () = shutdown.wait() => {}
                }
            })
        };
        lead(stop).await;
        gauge.set(0);
        if shutdown.fired() {
            break;
        }
        tracing::warn!(identity = %settings.identity, "lost the lease: controllers stopped until it is won back");
    }
    // Closing the channel makes the manager's task release the Lease and end.
    drop(leading);
    match task.await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(Error::Lease(e)),
        Err(e) => Err(Error::Kubernetes(format!("leader election task: {e}"))),
    }
}

/// Pure: the field manager of this replica's writes to the Lease. Its own per pod: a
/// replica takes an unheld Lease by server-side apply, and only a different manager makes
/// the second of two simultaneous takers fail with a conflict. With one manager for all,
/// both applies succeed and both replicas believe they lead.
pub fn field_manager(identity: &str) -> String {
    format!(
        "{}-lease-{identity}",
        crate::finance_tracker::names::MANAGER
    )
}

/// The lease manager, retried while the API server is unreachable; `None` on shutdown.
async fn build(
    client: Client,
    settings: &LeaseSettings,
    shutdown: Shutdown,
) -> Option<LeaseManager> {
    let mut wait = Duration::from_secs(1);
    loop {
        let built = LeaseManagerBuilder::new(client.clone(), &settings.name)
            .with_namespace(&settings.namespace)
            .with_identity(&settings.identity)
            .with_duration(LEASE_SECONDS)
            .with_grace(GRACE_SECONDS)
            .with_field_manager(field_manager(&settings.identity))
            .build()
            .await;
        match built {
            Ok(manager) => return Some(manager),
            Err(e) => {
                tracing::warn!(error = %e, retry_in_seconds = wait.as_secs(), "cannot set up the leader Lease");
            }
        }
        tokio::select! {
            () = shutdown.clone().wait() => return None,
            () = tokio::time::sleep(wait) => {}
        }
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}
