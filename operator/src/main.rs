use std::process::ExitCode;

use clap::Parser;
use operator::config::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Crd) = cli.command {
        print!("{}", operator::crd::to_yaml());
        return ExitCode::SUCCESS;
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
