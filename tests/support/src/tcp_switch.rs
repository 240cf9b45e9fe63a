//! A TCP forwarder that can be switched off and on, to make a real store look down to the
//! service under test. Off: new connections are accepted and closed at once, and open ones
//! are cut. On: bytes flow to the real store.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug)]
pub struct TcpSwitch {
    addr: SocketAddr,
    on: watch::Sender<bool>,
    accept_loop: JoinHandle<()>,
}

impl TcpSwitch {
    /// Starts switched off.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind switch");
        let addr = listener.local_addr().expect("switch address");
        let (on, _) = watch::channel(false);
        let accept_loop = tokio::spawn(accept(listener, upstream, on.subscribe()));
        Self {
            addr,
            on,
            accept_loop,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn set_on(&self, on: bool) {
        self.on.send_replace(on);
    }
}

impl Drop for TcpSwitch {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

async fn accept(listener: TcpListener, upstream: SocketAddr, on: watch::Receiver<bool>) {
    while let Ok((client, _)) = listener.accept().await {
        if !*on.borrow() {
            drop(client);
            continue;
        }
        tokio::spawn(forward(client, upstream, on.clone()));
    }
}

async fn forward(mut client: TcpStream, upstream: SocketAddr, mut on: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = on.wait_for(|on| !*on) => {}
    }
}
