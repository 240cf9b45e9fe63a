//! The nginx config the operator renders is one `nginx -t` accepts, and docker-compose
//! runs the very same text.

use std::process::Command;

use operator::finance_tracker::nginx::{NginxConfig, render};

use crate::tools::{repo, scratch};

/// `nginx -t` on `config`, with `hosts` as /etc/hosts (nginx resolves its upstream when it
/// starts; in a cluster the Service's DNS name does that). The private mount namespace
/// keeps the machine's own /etc/hosts untouched.
fn nginx_test(config: &str, hosts: &str, test: &str) -> std::process::Output {
    let dir = scratch(test);
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, config).expect("write config");
    std::fs::write(dir.join("hosts"), hosts).expect("write hosts");
    let script = format!(
        "mount --bind {hosts} /etc/hosts && exec nginx -t -c {conf}",
        hosts = dir.join("hosts").display(),
        conf = conf.display()
    );
    Command::new("unshare")
        .args(["--mount", "sh", "-c", &script])
        .output()
        .expect("run unshare and nginx (make test installs nginx)")
}

#[test]
fn the_rendered_config_passes_nginx_t() {
    let config = render(&NginxConfig {
        api: "home-api.money.svc:8080",
        max_body_mib: 51,
    });
    let output = nginx_test(
        &config,
        "127.0.0.1 localhost\n10.96.0.20 home-api.money.svc\n",
        "ok",
    );
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("syntax is ok") && said.contains("test is successful"),
        "{said}"
    );
}

#[test]
fn nginx_t_catches_a_broken_config() {
    // The check itself must be able to fail: an unknown upstream host stops nginx at start.
    let config = render(&NginxConfig {
        api: "home-api.money.svc:8080",
        max_body_mib: 51,
    });
    let output = nginx_test(&config, "127.0.0.1 localhost\n", "broken");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(said.contains("host not found in upstream"), "{said}");
}

#[test]
fn docker_compose_runs_the_rendered_config() {
    let committed = std::fs::read_to_string(repo().join("docker/nginx.conf")).unwrap_or_default();
    let rendered = render(&NginxConfig {
        api: "api:8080",
        max_body_mib: 51,
    });
    assert!(
        committed == rendered,
        "docker/nginx.conf differs from the operator's rendering: regenerate it with \
         `cargo run -p operator -- nginx-config --api api:8080 > docker/nginx.conf`"
    );
}
