//! Where the test stores are: `DATABASE_URL` (the server `#[sqlx::test]` creates its
//! databases on) and `REDIS_URL`, with the `make test` defaults.

use std::net::SocketAddr;

use url::Url;

const DEFAULT_DATABASE_URL: &str =
    "postgres://financetracker:financetracker@127.0.0.1:5432/financetracker";
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

fn env_url(name: &str, default: &str) -> Url {
    let raw = std::env::var(name).unwrap_or_else(|_| default.to_owned());
    Url::parse(&raw).unwrap_or_else(|e| panic!("{name} is not a URL: {e}"))
}

fn socket_addr(url: &Url, default_port: u16) -> SocketAddr {
    let host = url.host_str().expect("store URL has a host");
    let host = if host == "localhost" {
        "127.0.0.1"
    } else {
        host
    };
    format!("{host}:{}", url.port().unwrap_or(default_port))
        .parse()
        .expect("store host is an IP address or localhost")
}

pub fn postgres_addr() -> SocketAddr {
    socket_addr(&env_url("DATABASE_URL", DEFAULT_DATABASE_URL), 5432)
}

/// `REDIS_URL`, or the `make test` default.
pub fn redis_url() -> String {
    env_url("REDIS_URL", DEFAULT_REDIS_URL).to_string()
}

pub fn redis_addr() -> SocketAddr {
    socket_addr(&env_url("REDIS_URL", DEFAULT_REDIS_URL), 6379)
}

/// A URL for `database` with the test credentials, reached through `via`.
pub fn database_url(database: &str, via: SocketAddr) -> String {
    let mut url = env_url("DATABASE_URL", DEFAULT_DATABASE_URL);
    url.set_ip_host(via.ip())
        .expect("postgres URLs have a host");
    url.set_port(Some(via.port()))
        .expect("postgres URLs have a port");
    url.set_path(database);
    url.to_string()
}

/// An address on which nothing listens (bound, then released).
pub fn closed_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address")
}
