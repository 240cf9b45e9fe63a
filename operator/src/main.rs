use std::process::ExitCode;

use clap::Parser;
use operator::config::{Cli, Command};
use operator::finance_tracker::nginx::{NginxConfig, render};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Crd) => {
            print!("{}", operator::crd::to_yaml());
            return ExitCode::SUCCESS;
        }
        Some(Command::NginxConfig { api, max_body_mib }) => {
            print!(
                "{}",
                render(&NginxConfig {
                    api,
                    max_body_mib: *max_body_mib,
                })
            );
            return ExitCode::SUCCESS;
        }
        Some(Command::Run) | None => {}
    }
    // Fails only if a provider is already installed, which nothing else here does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = cli.config;
    let result = async {
        config.log.init()?;
        operator::serve::serve(config).await
    }
    .await;
    service_kit::exit::report("operator", result)
}
